"""Benchmark of the need-to-know case list: `manage.py bench_access`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jmappa REDIS_URL=redis://127.0.0.1:6379/0 \\
    SECRET_KEY=<60 random characters> DEBUG=0 ALLOWED_HOSTS=testserver \\
    .venv/bin/python manage.py bench_access [--nominals 100000] [--users 5000] [--runs 50]
        [--warmup 5] [--database-name jmappa_bench] [--keep] [--reuse] [--seed 2024]
        [--archived-share 0.45] [-v 2]

It never touches real data. It creates its own database (`--database-name`, default
`jmappa_bench`; the name must contain "bench" and differ from the configured database's)
on the server of `settings.DATABASES["default"]`, dropping any previous one through the
`postgres` maintenance database; adds a `bench` connection alias pointing at it; migrates
it (`migrate --database bench`); generates the data there with `using("bench")`; and, unless
`--keep` or `--reuse` is given, drops it at the end. `--reuse` skips the generation when a
complete benchmark database of that name exists (it is migrated, and kept).

How the page is measured against the bench database. The case list page, the API and the
selectors use the `default` alias, as in production. For the measurement the command points
`default` at the bench database in this process, the way Django's own test runner points it
at the test database (`BaseDatabaseCreation.create_test_db`: close the connection, change
`NAME` in `settings.DATABASES` and in the connection's `settings_dict`), and back afterwards
(in a `finally`). `override_settings(DATABASES=...)` would not do: connections read their
settings once. Re-executing the command in a subprocess with another `DATABASE_URL` would
work too, but needs the environment rebuilt (the embedded server's URL, the test settings
module under pytest) and hides tracebacks; the in-process switch is what Django itself
relies on, is undone even on error, and refuses to run inside an open transaction (where
closing the connection would be unsafe). Content types are cached per alias, so that cache
is cleared on each switch. During the measurement the cache is a local-memory one (the API
throttle must not write into a shared Redis), "testserver" is an allowed host, and, when
`collectstatic` has not been run, static files use the plain storage instead of the
manifest one (a dictionary look-up against a join: no measurable difference).

The data (default size): 100,000 nominals and 5,000 users in 10 agencies. Every case has a
team of 2 to 6: the case manager from the lead agency (probation, police, ...), for category
1 to 3 a ViSOR manager from the police, and agency contacts from other agencies; about 30%
of the active cases also have one or two ended memberships. To keep a practitioner's
caseload at the usual 20 to 60 cases with 5,000 users, 45% of the register is archived
(records are kept to the 100th birthday, §13.3) with the whole team ended on archiving:
2 to 6 current members on every case would put 65 cases on the average practitioner.
`--archived-share 0` gives that heavier variant. CaseAgency rows link every agency
involved; ~1% of the cases have an exclusion, ~0.5% are restricted (named access for the
team and the Co-ordinator, as nominal_restrict does). Agencies and users are written with
bulk_create, the nominals and the large link tables with COPY (about 1.5 million rows: under
two minutes on 2 cores); then VACUUM (ANALYZE), which also sets the visibility map that
index-only scans need, as autovacuum would on a live database.

The guardian permissions are exactly those `cases.services.sync_case_permissions` would
grant from the current memberships: for each (user, case) with a current membership,
view_nominal; change_nominal when one of them is case manager or ViSOR manager
(TEAM_ROLES_THAT_CHANGE); view_victims when one of them may see victims (the case manager
does, as `_sync_management_roles` adds them). They are written twice: into
cases_nominaluserobjectpermission (guardian's direct foreign-key model, what the application
uses) and into guardian's generic guardian_userobjectpermission (object_pk as text), only to
compare the two paths.

What is measured, for a typical practitioner (the median caseload among plain
practitioners who are no agency's SPOC) and for the Co-ordinator, `--runs` times after
`--warmup` runs, all variants interleaved so that load from elsewhere on the server falls
on all of them alike:
(a) the case list page: a GET of `cases:list` with Django's test Client, signed in with
    force_login and a verified second factor: the whole stack (middleware, session, access
    filter, paginator count, template rendering);
(a') the selector alone: `cases.selectors.nominal_list(user, filters={"status": "active"})`
    (the page's default: active cases, by name), first page of 50 plus count();
(b) the API list /api/v1/offenders/, first page of 50 (skipped with a note if not routed);
(c) hand-written SQL for the same rows: the team check as one EXISTS on the permission
    table's unique index, the same exclusion, restriction and status tests, the same joins as
    select_related (lead agency, case manager); ORDER BY is the selector's own, compiled (the
    accent- and case-blind name order), so that both return the same rows in the same order;
    first 50 plus count;
(d) guardian's generic path: `guardian.shortcuts.get_objects_for_user(user,
    "cases.view_nominal", klass=Nominal, use_groups=False, with_superuser=False,
    accept_global_perms=False)` with guardian's own model look-up redirected to
    `guardian.models.UserObjectPermission`, so that guardian builds its generic query itself
    (CAST(cases_nominal.id AS varchar) IN (SELECT object_pk ...)), plus the same exclusion,
    restriction and status filters, ordering and joins, first 50 plus count;
(e) the same get_objects_for_user call left alone: guardian picks the direct FK table.
(c), (d) and (e) are checked to return the same 50 rows and count as (a'). The Co-ordinator
sees every case without any permission look-up, so (d) and (e) do not apply there.
It prints the server's jit setting, p50 and p95 in milliseconds (nearest rank), the
page/raw ratio, the targets (page p95 under 150 ms, within 3x the raw SQL, the restricted
query faster than the generic path), the machine's load average, and EXPLAIN (ANALYZE,
BUFFERS) of the practitioner's list query (the SQL of nominal_list(user)[:50], as sent) and of
its count (the co-ordinator's too with -v 2), each followed by what the plan does with the
permission table and the nominals, and the time JIT compilation took.
The benchmark asserts nothing: the figures are for people to read.
"""

from __future__ import annotations

import os
import statistics
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from django.db.models import Count
from django.test.utils import override_settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from guardian.models import UserObjectPermission

from bench.access_data import Generator
from bench.access_queries import (
    PAGE_FILTERS,
    PAGE_SIZE,
    RawSQL,
    explain,
    first_page_and_count,
    guardian_queryset,
    percentile,
    plan_findings,
    sql_of,
    the_list,
)
from bench.database import (
    BENCH_ALIAS,
    add_alias,
    create_database,
    database_state,
    default_points_at,
    drop_database,
    mark_complete,
    remove_alias,
)
from bench.sessions import signed_in
from cases.models import (
    CaseAgency,
    Nominal,
    NominalUserObjectPermission,
    Status,
    TeamMember,
)
from jmappa.accounts.models import Agency, Role, User

API_PATH = "/api/v1/offenders/"
MARKER = "jmappa bench_access: complete"









# -- the bench database ---------------------------------------------------------------------
























# -- generation -----------------------------------------------------------------------------




# -- measurement ----------------------------------------------------------------------------
















class Command(BaseCommand):
    help = ("Benchmark the need-to-know case list on a generated database of its own "
            "(see the module docstring).")

    def add_arguments(self, parser):
        parser.add_argument("--nominals", type=int, default=100_000)
        parser.add_argument("--users", type=int, default=5_000)
        parser.add_argument("--runs", type=int, default=50)
        parser.add_argument("--warmup", type=int, default=5)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--archived-share", type=float, default=0.45,
                            help="Share of archived cases, whose teams have all ended.")
        parser.add_argument("--database-name", default="jmappa_bench",
                            help="The database to create (its name must contain 'bench').")
        parser.add_argument("--keep", action="store_true",
                            help="Keep the bench database afterwards.")
        parser.add_argument("--reuse", action="store_true",
                            help="Reuse a complete bench database of that name (and keep it).")

    def handle(self, *args, **options):
        name = options["database_name"]
        if "bench" not in name or name == connections["default"].settings_dict["NAME"]:
            raise CommandError(f"Refusing database {name!r}: the name must contain 'bench' and "
                               "must not be the configured database.")
        if options["nominals"] < 50 or options["users"] < 30 or options["runs"] < 1:
            raise CommandError("Give at least --nominals 50, --users 30, --runs 1.")
        if not 0 <= options["archived_share"] < 1:
            raise CommandError("--archived-share is a share: from 0 to below 1.")
        self.verbosity = options["verbosity"]
        keep = options["keep"] or options["reuse"]
        try:
            self._prepare(name, options)
            with default_points_at(name) as connection:
                self._measure(connection, options)
        finally:
            remove_alias()
            if not keep:
                drop_database(name)
                self.log(f"Dropped the database {name}.")
            else:
                self.log(f"Kept the database {name} (--reuse to use it again).")

    def log(self, text: str = "") -> None:
        self.stdout.write(text)

    def _prepare(self, name: str, options) -> None:
        db = connections["default"].settings_dict
        self.log("JMAPPA need-to-know case list benchmark")
        self.log(f"Database {name} on {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}")
        state = database_state(name)
        reuse = options["reuse"] and state is not None and state.startswith(MARKER)
        started = time.perf_counter()
        if not reuse:
            create_database(name)
        add_alias(name)
        call_command("migrate", database=BENCH_ALIAS, interactive=False, verbosity=0)
        if reuse:
            self.log(f"Reusing it, generated with: {state[len(MARKER):].strip()}")
            return
        self.log(f"  created and migrated ({time.perf_counter() - started:.1f} s)")
        with transaction.atomic(using=BENCH_ALIAS):
            Generator(alias=BENCH_ALIAS, nominals=options["nominals"], users=options["users"],
                       seed=options["seed"], archived_share=options["archived_share"],
                       log=self.log).run()
        analysed = time.perf_counter()
        with connections[BENCH_ALIAS].cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        self.log(f"  VACUUM (ANALYZE) ({time.perf_counter() - analysed:.1f} s)")
        self.log(f"Generated in {time.perf_counter() - started:.1f} s "
                 "(create, migrate, data, VACUUM ANALYZE)")
        connections[BENCH_ALIAS].close()
        mark_complete(name, f"{MARKER} nominals={options['nominals']} users={options['users']} "
                            f"seed={options['seed']} archived_share={options['archived_share']}")

    # -- the figures --

    def _describe_data(self, connection) -> tuple[User, User, int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(" on ")[0]
            cursor.execute("SELECT current_setting('jit'), current_setting('jit_above_cost'), "
                           "current_setting('work_mem'), current_setting('shared_buffers')")
            jit, jit_cost, work_mem, shared_buffers = cursor.fetchone()
        self.log(f"{version}: jit={jit} (jit_above_cost {jit_cost}), work_mem {work_mem}, "
                 f"shared_buffers {shared_buffers}")
        nominals = Nominal.objects.count()
        archived = Nominal.objects.filter(status=Status.ARCHIVED).count()
        excluded = Nominal.objects.filter(exclusions__isnull=False).distinct().count()
        restricted = Nominal.objects.filter(restricted=True).count()
        members = TeamMember.objects.count()
        current = TeamMember.objects.current().count()
        direct = NominalUserObjectPermission.objects.count()
        generic = UserObjectPermission.objects.count()
        self.log(f"  {nominals:,} nominals ({nominals - archived:,} active, {archived:,} archived;"
                 f" {excluded:,} with an exclusion, {restricted:,} restricted)")
        self.log(f"  {User.objects.count():,} users in {Agency.objects.count()} agencies; "
                 f"{current:,} current team memberships, {members - current:,} ended; "
                 f"{CaseAgency.objects.count():,} agency links")
        self.log(f"  guardian grants: {direct:,} rows in "
                 f"{NominalUserObjectPermission._meta.db_table} (direct FK), "
                 f"{generic:,} in {UserObjectPermission._meta.db_table} (generic)")
        view = Permission.objects.get(content_type__app_label="cases",
                                      codename="view_nominal")
        loads = list(
            NominalUserObjectPermission.objects.filter(
                permission=view, user__roles=[Role.PRACTITIONER], user__spoc_of__isnull=True)
            .values_list("user").annotate(n=Count("id")).order_by("n", "user")
        )
        if not loads:
            raise CommandError("No practitioner holds a case: nothing to measure.")
        counts = [n for _user, n in loads]
        self.log(f"  caseload of {len(loads):,} plain practitioners: min {counts[0]}, "
                 f"median {statistics.median(counts):g}, p95 {percentile(counts, 0.95)}, "
                 f"max {counts[-1]} cases")
        practitioner = User.objects.get(pk=loads[len(loads) // 2][0])
        coordinator = User.objects.filter(roles__contains=[Role.COORDINATOR]).order_by("pk")[0]
        return practitioner, coordinator, view.pk

    def _measure(self, connection, options) -> None:
        practitioner, coordinator, view_pk = self._describe_data(connection)
        overrides = {
            "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "bench-access"}},
            "ALLOWED_HOSTS": [*settings.ALLOWED_HOSTS, "testserver"],
        }
        storages = settings.STORAGES
        if "Manifest" in storages["staticfiles"]["BACKEND"] and not (
                Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            overrides["STORAGES"] = {**storages, "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
            self.log("  (no collectstatic manifest: static URLs from the plain storage)")
        if settings.DEBUG:
            self.log("  (DEBUG is on: every query is also logged, timings are a little higher)")
        load = os.getloadavg()[0]
        with override_settings(**overrides), warnings.catch_warnings():
            # WhiteNoise warns that collectstatic has not been run: not this command's concern.
            warnings.filterwarnings("ignore", message="No directory at")
            self._measure_personas(connection, practitioner, coordinator, view_pk, options)
        self.log("")
        self.log(f"Load average of the machine (1 min): {load:.1f} before the runs, "
                 f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs "
                 "(other work on the machine or the server inflates the figures).")

    def _measure_personas(self, connection, practitioner, coordinator, view_pk, options):
        runs, warmup = options["runs"], options["warmup"]
        notes: list[str] = []
        try:
            page_url = reverse("cases:list")
        except NoReverseMatch:
            page_url = None
            notes.append("(a) skipped: cases:list is not routed; see (a') for its query.")
        try:
            resolve(API_PATH)
            api_url = API_PATH
        except Resolver404:
            api_url = None
            notes.append(f"(b) skipped: {API_PATH} is not routed yet.")

        personas = {"practitioner": practitioner, "co-ordinator": coordinator}
        variants: dict[str, dict[str, Callable]] = {}
        reference: dict[str, tuple[list[int], int]] = {}
        checks: list[str] = []
        page_queries: dict[str, int] = {}
        shown: dict[str, str] = {}
        for label, user in personas.items():
            everyone = label == "co-ordinator"
            client = signed_in(user)
            fns: dict[str, Callable] = {}
            reference[label] = first_page_and_count(the_list(user))
            if page_url:
                page = self._try_get(client, page_url, f"(a) {label}", notes)
                if page:
                    fns["a"] = page
                    page_queries[label] = len(sql_of(connection, page))
            fns["a'"] = lambda user=user: first_page_and_count(the_list(user))
            if api_url:
                api = self._try_get(client, api_url, f"(b) {label}", notes, json=True)
                if api:
                    fns["b"] = api
            raw = RawSQL(connection, user, view_permission=view_pk,
                          with_permission=not everyone)
            fns["c"] = raw
            compare = {"c": raw()}
            if not everyone:
                shown["c"] = raw.shown()
                generic = guardian_queryset(user, generic=True)
                direct = guardian_queryset(user, generic=False)
                fns["d"] = lambda qs=generic: first_page_and_count(qs)
                fns["e"] = lambda qs=direct: first_page_and_count(qs)
                compare["d"], compare["e"] = fns["d"](), fns["e"]()
                shown["d"] = sql_of(connection, lambda qs=generic: list(qs[:PAGE_SIZE]))[0]
            for key, result in compare.items():
                same = result == reference[label]
                checks.append(f"{label} ({key}): {'same' if same else 'DIFFERENT'} first "
                              f"{len(result[0])} rows and count ({result[1]:,}) as (a')")
            variants[label] = fns

        timings = {label: {key: [] for key in fns} for label, fns in variants.items()}
        for run in range(warmup + runs):
            for label, fns in variants.items():
                for key, fn in fns.items():
                    started = time.perf_counter()
                    fn()
                    elapsed = (time.perf_counter() - started) * 1000
                    if run >= warmup:
                        timings[label][key].append(elapsed)

        self._report(personas, reference, timings, page_queries, notes, checks, runs, warmup,
                     page_url, shown)
        explain_for = [("practitioner", practitioner)]
        if self.verbosity >= 2:
            explain_for.append(("co-ordinator", coordinator))
        permission_index = self._permission_index(connection)
        for label, user in explain_for:
            queryset = the_list(user)
            statements = sql_of(connection, lambda qs=queryset: (
                list(qs[:PAGE_SIZE]), qs.count()))
            list_sql, count_sql = statements[0], statements[-1]
            for what, sql in (("list query: nominal_list(user)[:50]", list_sql),
                              ("count query: nominal_list(user).count()", count_sql)):
                plan = explain(connection, sql)
                self.log("")
                self.log(f"EXPLAIN (ANALYZE, BUFFERS) of the {label}'s {what}")
                self.log(plan)
                for finding in plan_findings(plan, permission_index):
                    self.log(f"=> {finding}")

    def _try_get(self, client, url, label, notes, json=False):
        headers = {"HTTP_ACCEPT": "application/json"} if json else {}

        def get():
            response = client.get(url, secure=True, **headers)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            return len(response.content)

        try:
            get()
        except Exception as exc:  # the page is being built concurrently: report, go on
            notes.append(f"{label} skipped: GET {url} failed: {type(exc).__name__}: {exc}")
            return None
        return get

    def _permission_index(self, connection) -> str:
        table = NominalUserObjectPermission._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                [table, "%UNIQUE%(user_id, permission_id, content_object_id)%"])
            row = cursor.fetchone()
        return row[0] if row else "(no unique index on user_id, permission_id, content_object_id)"

    def _report(self, personas, reference, timings, page_queries, notes, checks, runs, warmup,
                page_url, shown):
        prac, coord = personas["practitioner"], personas["co-ordinator"]
        self.log("")
        self.log(f"Personas: practitioner {prac.username} ({prac.agency}), "
                 f"{reference['practitioner'][1]:,} cases in the list; "
                 f"co-ordinator {coord.username}, {reference['co-ordinator'][1]:,} cases in "
                 "the list (the list's default: active cases, by name)")
        rows = [
            ("a", f"(a) page GET {page_url or 'cases:list'} (test Client, whole stack)"),
            ("a'", "(a') selector nominal_list(user): 50 rows + count()"),
            ("b", f"(b) API GET {API_PATH} (first page of 50)"),
            ("c", "(c) hand-written SQL: 50 rows + count"),
            ("d", "(d) guardian generic table (get_objects_for_user): 50 + count"),
            ("e", "(e) guardian get_objects_for_user, direct FK table: 50 + count"),
        ]
        self.log("")
        self.log(f"Milliseconds over {runs} runs after {warmup} warm-up runs "
                 "(nearest-rank percentiles):")
        self.log(f"{'':66}{'practitioner':>17}{'co-ordinator':>17}")
        self.log(f"{'':66}{'p50':>8}{'p95':>9}{'p50':>8}{'p95':>9}")
        stats = {}
        for key, text in rows:
            cells = ""
            for label in personas:
                values = timings[label].get(key)
                if values:
                    p50, p95 = statistics.median(values), percentile(values, 0.95)
                    stats[(label, key)] = (p50, p95)
                    cells += f"{p50:8.1f}{p95:9.1f}"
                else:
                    cells += f"{'n/a':>8}{'n/a':>9}"
            self.log(f"{text:66}{cells}")
        page_key = "a" if ("practitioner", "a") in stats else "a'"
        for label in personas:
            if (label, page_key) in stats and (label, "c") in stats:
                p50 = stats[(label, page_key)][0] / stats[(label, "c")][0]
                p95 = stats[(label, page_key)][1] / stats[(label, "c")][1]
                self.log(f"ratio ({page_key})/(c), {label}: p50 {p50:.1f}x, p95 {p95:.1f}x")
        for label, count in page_queries.items():
            self.log(f"queries per page GET, {label}: {count}")
        for note in notes:
            self.log(f"Note: {note}")
        self.log("")
        self.log("Same rows:")
        for check in checks:
            self.log(f"  {check}")
        self.log("")
        self.log("Targets (practitioner, p95):")
        page = stats.get(("practitioner", page_key))
        raw = stats.get(("practitioner", "c"))
        generic = stats.get(("practitioner", "d"))
        selector = stats.get(("practitioner", "a'"))
        if page:
            self.log(f"  page ({page_key}) under 150 ms: {'yes' if page[1] < 150 else 'NO'} "
                     f"({page[1]:.1f} ms)")
            self.log(f"  page within 3x the raw SQL: {'yes' if page[1] <= 3 * raw[1] else 'NO'} "
                     f"({page[1] / raw[1]:.1f}x)")
        if selector and generic:
            self.log(f"  the access-restricted query (a') faster than the generic path (d): "
                     f"{'yes' if selector[1] < generic[1] else 'NO'} "
                     f"({selector[1]:.1f} against {generic[1]:.1f} ms)")
        self.log("")
        self.log("What was measured (the co-ordinator sees every case: no permission look-up, "
                 "so (d) and (e) do not apply):")
        self.log("  (a) Client().get(url, secure=True) after force_login: middleware, session "
                 "save, access filter, paginator count, rendering; status 200 checked.")
        self.log(f"  (a') list(nominal_list(user, filters={dict(PAGE_FILTERS)})[:50]) and its "
                 "count(): the page's own query, without the web stack.")
        self.log("  (b) the same Client on the API with Accept: application/json.")
        self.log(f"  (c) the practitioner's: {shown.get('c', '(not built)')}")
        self.log("      (the co-ordinator's: the same without the permission EXISTS)")
        self.log("  (d) guardian.shortcuts.get_objects_for_user(user, 'cases.view_nominal', "
                 "klass=Nominal, use_groups=False, with_superuser=False, "
                 "accept_global_perms=False) with guardian's get_user_obj_perms_model "
                 "returning guardian.models.UserObjectPermission, plus the exclusion and "
                 "restriction filters, the default filter, select_related and the order of "
                 "the list; the first query:")
        self.log(f"      {shown.get('d', '(not built)')}")
        self.log("  (e) the same call without the redirection: guardian uses "
                 "NominalUserObjectPermission (content_object_id IN ...).")
