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
    force_login: the whole stack (middleware, session, access filter, paginator count,
    template rendering);
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

import bisect
import itertools
import math
import os
import random
import re
import statistics
import time
import warnings
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager, suppress
from copy import deepcopy
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

import guardian.shortcuts
import psycopg
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone
from guardian.models import UserObjectPermission
from psycopg import sql as pgsql

from cases.models import (
    TEAM_ROLES_THAT_CHANGE,
    CaseAgency,
    Cat3Disposal,
    Category,
    CustodyStatus,
    Eligibility,
    Exclusion,
    Gender,
    Level,
    NamedAccess,
    Nominal,
    NominalUserObjectPermission,
    RiskLevel,
    Status,
    TeamMember,
    TeamRole,
)
from cases.selectors import nominal_list
from jmappa.accounts.models import Agency, AgencyKind, Grade, Role, User

BENCH_ALIAS = "bench"
PAGE_SIZE = 50
API_PATH = "/api/v1/offenders/"
MARKER = "jmappa bench_access: complete"
# The case list's default (cases.filters.NominalFilterForm): active cases, sorted by name.
PAGE_FILTERS = {"status": Status.ACTIVE.value}


class _Weighted:
    """A weighted choice among keys, with its cumulative weights computed once."""

    def __init__(self, weights: dict):
        self.keys = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))

    def pick(self, rng: random.Random):
        return self.keys[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def distinct(self, rng: random.Random, k: int, exclude=()) -> list:
        chosen: list = []
        wanted = min(k, len([key for key in self.keys if key not in exclude]))
        while len(chosen) < wanted:
            key = self.pick(rng)
            if key not in exclude and key not in chosen:
                chosen.append(key)
        return chosen


# (name, kind, whether its SPOC sees every case the agency is involved in)
AGENCIES = [
    ("States of Jersey Police", AgencyKind.POLICE, False),
    ("Jersey Probation and After-Care Service", AgencyKind.PROBATION, False),
    ("HM Prison La Moye", AgencyKind.PRISON, False),
    ("Health and Social Services", AgencyKind.HEALTH_SOCIAL_SERVICES, False),
    ("Children's Services", AgencyKind.CHILDRENS_SERVICES, True),
    ("Mental Health Services", AgencyKind.MENTAL_HEALTH, False),
    ("Housing", AgencyKind.HOUSING, True),
    ("Education", AgencyKind.EDUCATION, False),
    ("Customs and Immigration", AgencyKind.CUSTOMS_IMMIGRATION, False),
    ("Social Security", AgencyKind.OTHER, False),
]
(POLICE, PROBATION, PRISON, HEALTH, CHILDREN, MENTAL_HEALTH, HOUSING, EDUCATION, CUSTOMS,
 OTHER) = range(len(AGENCIES))
LEAD_AGENCY = _Weighted({PROBATION: 60, POLICE: 28, MENTAL_HEALTH: 5, PRISON: 5, CHILDREN: 2})
CONTACT_AGENCY = _Weighted({POLICE: 10, PROBATION: 8, PRISON: 8, HEALTH: 14, CHILDREN: 12,
                            MENTAL_HEALTH: 12, HOUSING: 20, EDUCATION: 6, CUSTOMS: 4, OTHER: 6})
TEAM_SIZE = _Weighted({2: 30, 3: 32, 4: 20, 5: 12, 6: 6})
CATEGORY = _Weighted({Category.ONE: 50, Category.TWO: 38, Category.THREE: 5, Category.PDP: 4,
                      Category.UNKNOWN: 3})
LEVEL = _Weighted({Level.ONE: 82, Level.TWO: 14, Level.THREE: 3, Level.UNKNOWN: 1})
ROSH = _Weighted({RiskLevel.LOW: 30, RiskLevel.MEDIUM: 40, RiskLevel.HIGH: 25,
                  RiskLevel.VERY_HIGH: 5})
CUSTODY = _Weighted({CustodyStatus.COMMUNITY: 75, CustodyStatus.CUSTODY: 20,
                     CustodyStatus.HOSPITAL: 5})
GENDER = _Weighted({Gender.MALE: 88, Gender.FEMALE: 10, Gender.NOT_KNOWN: 2})
CONTACT_SEES_VICTIMS = 0.15
ENDED_MEMBERSHIPS = 0.30
EXCLUDED = 0.01
RESTRICTED = 0.005

FAMILY_NAMES = [name.strip() for name in """Le Brocq, Le Sueur, de Gruchy, Renouf, Vibert,
Pallot, Amy, Le Cornu, Gallichan, Romeril, Le Marquand, Le Quesne, Ahier, Bisson, Cabot, Falle,
Hamon, Journeaux, Le Feuvre, Le Gresley, Le Maistre, Luce, Mauger, Noel, Perchard, Querée,
Syvret, Touzel, Vardon, Bertram, Blampied, Carrel, Dupré, Egré, Gibaut, Huelin, Jeune, Labey,
Le Breton, Le Cocq, Le Rossignol, Mourant, Picot, Poingdestre, Renault, Sohier, Tostevin,
de la Haye, Da Silva, Fernandes, Pereira, Gomes, Rodrigues, Sousa, Ferreira, Santos, Oliveira,
Costa, Martins, Carvalho, Almeida, Kowalski, Nowak, Wiśniewski, Wójcik, Kamiński, Lewandowski,
Smith, Jones, Williams, Brown, Taylor, Davies, Evans, Wilson, Thomas, Johnson, Roberts,
Robinson, Thompson, Wright, Walker, White, Edwards, Hughes, Green, Hall, Lewis, Harris, Clarke,
Patel, Jackson, Wood, Turner, Martin, Cooper, Hill, Ward, Morris, Moore, Clark, Lee, King,
Baker, Harrison, Morgan, Allen, James, Scott, Phillips, Watson, Davis, Parker, Price, Bennett,
Young, Griffiths, Mitchell, Kelly, Cook, Carter, Richards, Bailey, Collins, Bell, Shaw, Murphy,
Miller, Cox, Richardson, Marshall, Graham, Murray, Gray, Kennedy, Ellis, Mason, Campbell, Reid,
Stewart, Hunt, Palmer, Mills, O'Brien, Byrne, Ryan, O'Connor, Walsh, McCarthy, Doyle,
Gallagher, Quinn, Lynch""".split(",")]
GIVEN_NAMES = """James John Robert Michael William David Richard Joseph Thomas Charles
Christopher Daniel Matthew Anthony Mark Paul Steven Andrew Kenneth Joshua Kevin Brian
George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen
Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Patrick Frank Raymond Jack
Dennis Jerry Tyler Aaron José Adam Nathan Henry Peter Zachary Douglas Harold Kyle Noah
Carl Arthur Gerald Roger Keith Jeremy Terry Lawrence Sean Christian Albert Joe Ethan Austin
Jesse Willie Billy Bryan Bruce Jordan Ralph Roy Alan Wayne Eugene Juan Gabriel Louis Russell
Randy Vincent Philip Logan Bobby Harry Johnny Mary Patricia Jennifer Linda Elizabeth Susan
Jessica Sarah Karen Lisa Nancy Sandra João Pedro Tiago Rui Nuno Piotr Tomasz Marek""".split()


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 50 runs: the 48th fastest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# -- the bench database ---------------------------------------------------------------------


def _maintenance_connection() -> psycopg.Connection:
    db = settings.DATABASES["default"]
    params = {"dbname": "postgres", "host": db.get("HOST") or None,
              "port": db.get("PORT") or None, "user": db.get("USER") or None,
              "password": db.get("PASSWORD") or None}
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if option in db.get("OPTIONS", {}):
            params[option] = db["OPTIONS"][option]
    return psycopg.connect(**{k: v for k, v in params.items() if v is not None},
                           autocommit=True)


def _database_state(name: str) -> str | None:
    """None if there is no such database, else its comment ('' if none)."""
    with _maintenance_connection() as conn:
        row = conn.execute(
            "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database "
            "WHERE datname = %s", [name]).fetchone()
    return None if row is None else row[0]


def _drop_database(name: str) -> None:
    with _maintenance_connection() as conn:
        conn.execute(pgsql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                     .format(pgsql.Identifier(name)))


def _create_database(name: str) -> None:
    _drop_database(name)
    with _maintenance_connection() as conn:
        conn.execute(pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(name)))


def _mark_complete(name: str, summary: str) -> None:
    with _maintenance_connection() as conn:
        conn.execute(pgsql.SQL("COMMENT ON DATABASE {} IS {}").format(
            pgsql.Identifier(name), pgsql.Literal(f"{MARKER} {summary}")))


def _add_alias(name: str) -> None:
    bench = deepcopy(connections["default"].settings_dict)
    bench["NAME"] = name
    bench["TEST"] = {**bench.get("TEST", {}), "NAME": None}
    connections.settings[BENCH_ALIAS] = bench
    settings.DATABASES[BENCH_ALIAS] = bench


def _remove_alias() -> None:
    if BENCH_ALIAS in connections.settings:
        connections[BENCH_ALIAS].close()
        with suppress(AttributeError):
            del connections[BENCH_ALIAS]
        connections.settings.pop(BENCH_ALIAS, None)
    settings.DATABASES.pop(BENCH_ALIAS, None)


@contextmanager
def _default_points_at(name: str):
    """`default` on the bench database, as Django's test runner switches it to the test
    database; switched back whatever happens."""
    connection = connections["default"]
    if connection.in_atomic_block:
        raise CommandError("Run bench_access outside a transaction (in pytest: "
                           "django_db(transaction=True)).")
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    settings.DATABASES["default"]["NAME"] = name
    ContentType.objects.clear_cache()
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        settings.DATABASES["default"]["NAME"] = original
        ContentType.objects.clear_cache()


def _copy_text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    if isinstance(value, str):
        return (str(value).replace("\\", "\\\\").replace("\t", "\\t")
                .replace("\n", "\\n").replace("\r", "\\r"))
    return str(value)


def _copy(alias: str, model, fields: list[str], rows, chunk: int = 20_000) -> int:
    """COPY rows (tuples in `fields` order) into the model's table: much faster than
    bulk_create for the large link tables."""
    columns = [model._meta.get_field(f).column for f in fields]
    statement = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
        pgsql.Identifier(model._meta.db_table),
        pgsql.SQL(", ").join(pgsql.Identifier(c) for c in columns))
    count = 0
    with connections[alias].cursor() as cursor, cursor.cursor.copy(statement) as copy:
        lines = []
        for row in rows:
            lines.append("\t".join(map(_copy_text, row)))
            if len(lines) >= chunk:
                copy.write("\n".join(lines) + "\n")
                count += len(lines)
                lines = []
        if lines:
            copy.write("\n".join(lines) + "\n")
            count += len(lines)
    return count


def _copy_objects(alias: str, objs: list) -> None:
    """COPY unsaved model instances, every stored column but generated ones, primary key
    included (set beforehand); then move the table's id sequence past them."""
    model = type(objs[0])
    connection = connections[alias]
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    rows = (
        [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
        for obj in objs
    )
    _copy(alias, model, [f.name for f in fields], rows)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"(SELECT max(id) FROM {table}))")


# -- generation -----------------------------------------------------------------------------


class _Generator:
    """Realistic case teams, their guardian grants, exclusions and restrictions."""

    def __init__(self, *, alias: str, nominals: int, users: int, seed: int,
                 archived_share: float, log):
        self.alias = alias
        self.n_nominals = nominals
        self.n_users = users
        self.rng = random.Random(seed)
        self.archived_share = archived_share
        self.log = log
        self.today = timezone.localdate()
        self.now = timezone.now()

    def run(self) -> None:
        started = time.perf_counter()
        plans = [self._plan() for _ in range(self.n_nominals)]
        self._create_agencies_and_users(plans)
        self._staff_teams(plans)
        self.log(f"  planned {len(plans):,} teams and created {self.n_users:,} users "
                 f"({time.perf_counter() - started:.1f} s)")
        self._create_nominals(plans)
        self.log(f"  created the nominals ({time.perf_counter() - started:.1f} s)")
        self._create_links(plans)
        self.log(f"  wrote memberships, agency links, grants, exclusions and named access "
                 f"({time.perf_counter() - started:.1f} s)")

    # Plans: who is on each team, by agency, before any user exists.

    def _plan(self) -> dict:
        rng = self.rng
        category = CATEGORY.pick(rng)
        lead = LEAD_AGENCY.pick(rng)
        current = [[TeamRole.CASE_MANAGER, lead, True, None]]  # role, agency, victims, user
        if category in (Category.ONE, Category.TWO, Category.THREE):
            current.append([TeamRole.VISOR_MANAGER, POLICE, False, None])
        size = max(TEAM_SIZE.pick(rng), len(current))
        for agency in CONTACT_AGENCY.distinct(rng, size - len(current), {lead}):
            current.append([TeamRole.AGENCY_CONTACT, agency, rng.random() < CONTACT_SEES_VICTIMS,
                            None])
        archived = rng.random() < self.archived_share
        if archived:
            archived_on = self.today - timedelta(days=rng.randint(30, 15 * 365))
            ended = [[*slot[:3], None, archived_on - timedelta(days=rng.randint(180, 2500)),
                      archived_on] for slot in current]
            current = []
        else:
            archived_on = None
            ended = []
            if rng.random() < ENDED_MEMBERSHIPS:
                for _ in range(rng.randint(1, 2)):
                    role, agency = rng.choice([(TeamRole.CASE_MANAGER, lead),
                                               (TeamRole.AGENCY_CONTACT,
                                                CONTACT_AGENCY.pick(rng))])
                    start = self.today - timedelta(days=rng.randint(400, 3000))
                    end = min(start + timedelta(days=rng.randint(30, 365)),
                              self.today - timedelta(days=1))
                    ended.append([role, agency, role == TeamRole.CASE_MANAGER, None, start, end])
            for slot in current:
                slot.append(self.today - timedelta(days=rng.randint(0, 6 * 365)))
        return {"category": category, "lead": lead, "current": current, "ended": ended,
                "archived_on": archived_on, "excluded": rng.random() < EXCLUDED,
                "restricted": rng.random() < RESTRICTED}

    def _create_agencies_and_users(self, plans: list[dict]) -> None:
        rng, alias = self.rng, self.alias
        self.agencies = Agency.objects.using(alias).bulk_create([
            Agency(name=name, kind=kind, duty_to_cooperate=True, spoc_sees_agency_cases=sees)
            for name, kind, sees in AGENCIES
        ])
        demand = Counter(slot[1] for plan in plans for slot in plan["current"])
        total = sum(demand.values()) or 1
        # Besides the caseload holders: the Co-ordinator, administrators, SMB members.
        n_admins = max(1, self.n_users // 2500)
        n_smb = min(len(AGENCIES), self.n_users // 500)
        holders = self.n_users - 1 - n_admins - n_smb
        per_agency = [max(2, round(holders * demand[a] / total)) for a in range(len(AGENCIES))]
        per_agency[per_agency.index(max(per_agency))] += holders - sum(per_agency)
        if min(per_agency) < 2:
            raise CommandError("Too few users for the teams: give --users 30 or more.")

        unusable = make_password(None)
        users, agency_of, weight = [], [], []
        seq = iter(range(1, 10**9))

        def add(agency: int, roles: list[str], grade: int, title: str, capacity: float = 0.0):
            n = next(seq)
            users.append(User(
                username=f"bench{n:05d}", password=unusable,
                first_name=rng.choice(GIVEN_NAMES), last_name=rng.choice(FAMILY_NAMES),
                email=f"bench{n:05d}@bench.invalid", agency_id=self.agencies[agency].pk,
                roles=roles, grade=grade, job_title=title,
            ))
            agency_of.append(agency)
            weight.append(capacity)

        add(POLICE, [Role.COORDINATOR, Role.CHAIR], Grade.MIDDLE_MANAGER, "JMAPPA Co-ordinator")
        for _ in range(n_admins):
            add(POLICE, [Role.ADMINISTRATOR], Grade.PRACTITIONER, "JMAPPA Administrator")
        for agency in range(n_smb):
            add(agency, [Role.SMB_MEMBER], Grade.SENIOR_MANAGER, "Head of Service")
        spocs = {}
        for agency, count in enumerate(per_agency):
            for i in range(count):
                if i == 0 and self.n_users >= 200:
                    spocs[agency] = len(users)
                    add(agency, [Role.PRACTITIONER, Role.SPOC], Grade.FIRST_LINE_MANAGER,
                        "Single point of contact", rng.uniform(0.5, 1.5))
                elif rng.random() < 0.03:
                    add(agency, [Role.PRACTITIONER, Role.CHAIR], Grade.SENIOR_MANAGER,
                        "Senior manager", rng.uniform(0.5, 1.5))
                else:
                    add(agency, [Role.PRACTITIONER], Grade.PRACTITIONER, "Practitioner",
                        rng.uniform(0.5, 1.5))
        User.objects.using(alias).bulk_create(users, batch_size=1000)
        for agency, index in spocs.items():
            Agency.objects.using(alias).filter(pk=self.agencies[agency].pk).update(
                spoc_id=users[index].pk)
        self.coordinator_id = users[0].pk
        self.pool: dict[int, tuple[list[int], list[float]]] = {}
        for agency in range(len(AGENCIES)):
            ids, cumulative, running = [], [], 0.0
            for user, a, w in zip(users, agency_of, weight, strict=True):
                if a == agency and w > 0:
                    running += w
                    ids.append(user.pk)
                    cumulative.append(running)
            self.pool[agency] = (ids, cumulative)
        self.holder_ids = [u.pk for u, w in zip(users, weight, strict=True) if w > 0]

    def _draw(self, agency: int, taken: set[int]) -> int | None:
        ids, cumulative = self.pool[agency]
        for _ in range(30):
            user = ids[bisect.bisect(cumulative, self.rng.random() * cumulative[-1])]
            if user not in taken:
                return user
        return None

    def _staff_teams(self, plans: list[dict]) -> None:
        for plan in plans:
            taken: set[int] = set()
            for kind in ("current", "ended"):
                slots = []
                for slot in plan[kind]:
                    user = self._draw(slot[1], taken)
                    if user is None:
                        continue
                    taken.add(user)
                    slot[3] = user
                    slots.append(slot)
                plan[kind] = slots
            if plan["excluded"]:
                on_team = {slot[3] for slot in plan["current"]}
                while True:
                    user = self.rng.choice(self.holder_ids)
                    if user not in on_team:
                        plan["excluded"] = user
                        break

    def _create_nominals(self, plans: list[dict]) -> None:
        rng = self.rng
        objs = []
        first_id = (Nominal.objects.using(self.alias).order_by("-id")
                    .values_list("id", flat=True).first() or 0) + 1
        for n, plan in enumerate(plans, start=first_id):
            category = plan["category"]
            # The current holder of a role wins over an ended one.
            managers = {slot[0]: slot[3] for slot in plan["ended"] + plan["current"]}
            dob = self.today - timedelta(days=rng.randint(16 * 365, 85 * 365))
            archived_on = plan["archived_on"]
            cat3 = category == Category.THREE
            objs.append(Nominal(
                id=n,
                given_names=" ".join(rng.sample(GIVEN_NAMES, rng.choice((1, 1, 2)))),
                family_name=rng.choice(FAMILY_NAMES),
                date_of_birth=dob,
                gender=GENDER.pick(rng),
                pnc_number=f"{dob.year % 100:02d}/{n:07d}{chr(65 + n % 26)}",
                visor_number=f"V{n:07d}" if TeamRole.VISOR_MANAGER in managers else "",
                eligibility=(Eligibility.AWAITING if category == Category.UNKNOWN
                             else Eligibility.ELIGIBLE),
                category=category,
                level=Level.UNKNOWN if category == Category.UNKNOWN else LEVEL.pick(rng),
                index_offence="" if category == Category.PDP else "Index offence",
                cat3_capacity_for_serious_harm=True if cat3 else None,
                cat3_needs_multi_agency_management=True if cat3 else None,
                cat3_disposal=Cat3Disposal.CONVICTION if cat3 else "",
                rosh=ROSH.pick(rng),
                lead_agency_id=self.agencies[plan["lead"]].pk,
                case_manager_id=managers.get(TeamRole.CASE_MANAGER),
                visor_manager_id=managers.get(TeamRole.VISOR_MANAGER),
                custody_status=CUSTODY.pick(rng),
                identified_on=self.today - timedelta(days=rng.randint(0, 20 * 365)),
                status=Status.ARCHIVED if archived_on else Status.ACTIVE,
                archived_on=archived_on,
                archive_reason="No longer managed under JMAPPA" if archived_on else "",
                restricted=bool(plan["restricted"]),
                restricted_reason="Known to staff" if plan["restricted"] else "",
            ))
        _copy_objects(self.alias, objs)
        for plan, obj in zip(plans, objs, strict=True):
            plan["id"] = obj.pk

    def _create_links(self, plans: list[dict]) -> None:
        alias, now, coordinator = self.alias, self.now, self.coordinator_id
        perms = {p.codename: p.pk for p in Permission.objects.using(alias).filter(
            content_type__app_label="cases", content_type__model="nominal")}
        nominal_type = ContentType.objects.db_manager(alias).get_for_model(Nominal).pk
        members, links, grants, exclusions, named = [], [], [], [], []
        for plan in plans:
            nominal = plan["id"]
            for role, _agency, victims, user, start, *end in plan["current"] + plan["ended"]:
                members.append((nominal, user, role, victims, start, end[0] if end else None,
                                coordinator))
            involved: dict[int, date] = {}
            for slot in plan["current"] + plan["ended"]:
                involved[slot[1]] = min(slot[4], involved.get(slot[1], slot[4]))
            involved.setdefault(plan["lead"], self.today)
            for agency, start in involved.items():
                links.append((nominal, self.agencies[agency].pk, start, None))
            # Exactly what sync_case_permissions grants from the current memberships.
            wanted: dict[int, set[str]] = {}
            for role, _agency, victims, user, _start in plan["current"]:
                codenames = wanted.setdefault(user, set())
                codenames.add("view_nominal")
                if role in TEAM_ROLES_THAT_CHANGE:
                    codenames.add("change_nominal")
                if victims:
                    codenames.add("view_victims")
            for user, codenames in wanted.items():
                grants.extend((user, perms[codename], nominal) for codename in sorted(codenames))
            if plan["excluded"]:
                exclusions.append((nominal, plan["excluded"], "Knows a victim", coordinator, now))
            if plan["restricted"]:
                for user in {coordinator, *wanted}:
                    named.append((nominal, user, coordinator, now))
        _copy(alias, TeamMember,
              ["nominal", "user", "role", "sees_victims", "date_from", "date_to", "added_by"],
              members)
        _copy(alias, CaseAgency, ["nominal", "agency", "date_from", "date_to"], links)
        _copy(alias, NominalUserObjectPermission, ["user", "permission", "content_object"],
              grants)
        _copy(alias, UserObjectPermission,
              ["user", "permission", "content_type", "object_pk"],
              ((user, perm, nominal_type, str(nominal)) for user, perm, nominal in grants))
        _copy(alias, Exclusion, ["nominal", "user", "reason", "recorded_by", "recorded_at"],
              exclusions)
        _copy(alias, NamedAccess, ["nominal", "user", "recorded_by", "recorded_at"], named)


# -- measurement ----------------------------------------------------------------------------


def _first_page_and_count(queryset) -> tuple[list[int], int]:
    rows = list(queryset[:PAGE_SIZE])
    return [row.pk for row in rows], queryset.count()


def _the_list(user):
    """The case list as the page and the API show it by default."""
    return nominal_list(user, filters=dict(PAGE_FILTERS))


def _guardian_queryset(user, *, generic: bool):
    """guardian's get_objects_for_user (with `generic`, on its generic table), narrowed and
    ordered as the case list: exclusions, restriction, default filter, select_related."""
    arguments = {"klass": Nominal, "use_groups": False, "with_superuser": False,
                 "accept_global_perms": False}
    if generic:
        with mock.patch.object(guardian.shortcuts, "get_user_obj_perms_model",
                               lambda _model: UserObjectPermission):
            queryset = guardian.shortcuts.get_objects_for_user(user, "cases.view_nominal",
                                                               **arguments)
    else:
        queryset = guardian.shortcuts.get_objects_for_user(user, "cases.view_nominal",
                                                           **arguments)
    return queryset.exclude(
        Exists(Exclusion.objects.filter(nominal=OuterRef("pk"), user=user))
    ).filter(
        Q(restricted=False) | Exists(NamedAccess.objects.filter(nominal=OuterRef("pk"), user=user))
    ).filter(**PAGE_FILTERS).select_related("lead_agency", "case_manager").order_by(
        *_the_list(user).query.order_by)


class _RawSQL:
    """The hand-written SQL for the list's rows: the team check as one EXISTS on the
    permission table's unique index, the same exclusion and restriction tests, the page's
    default filter; ORDER BY is the selector's own, compiled, so that the rows come in the
    same order."""

    def __init__(self, connection, user, *, view_permission: int, with_permission: bool):
        nominal = connection.ops.quote_name(Nominal._meta.db_table)
        where, params = [], []
        if with_permission:
            where.append(
                f"EXISTS (SELECT 1 FROM {NominalUserObjectPermission._meta.db_table} p "
                f"WHERE p.content_object_id = {nominal}.id AND p.user_id = %s "
                "AND p.permission_id = %s)")
            params += [user.pk, view_permission]
        where.append(f"NOT EXISTS (SELECT 1 FROM {Exclusion._meta.db_table} e "
                     f"WHERE e.nominal_id = {nominal}.id AND e.user_id = %s)")
        where.append(f"(NOT {nominal}.restricted OR EXISTS (SELECT 1 FROM "
                     f"{NamedAccess._meta.db_table} na WHERE na.nominal_id = {nominal}.id "
                     "AND na.user_id = %s))")
        params += [user.pk, user.pk]
        for name, value in PAGE_FILTERS.items():
            where.append(f"{nominal}.{connection.ops.quote_name(name)} = %s")
            params.append(str(value))
        where_sql = " AND ".join(where)
        compiler = _the_list(user).query.get_compiler(connection=connection)
        _extra, order_by, _group = compiler.pre_sql_setup()
        order_sql = ", ".join(sql for _expr, (sql, _params, _ref) in order_by)
        order_params = [p for _expr, (_sql, params_, _ref) in order_by for p in params_]
        self.page = (
            f"SELECT {nominal}.*, a.*, u.* FROM {nominal} "
            f"LEFT JOIN {Agency._meta.db_table} a ON a.id = {nominal}.lead_agency_id "
            f"LEFT JOIN {User._meta.db_table} u ON u.id = {nominal}.case_manager_id "
            f"WHERE {where_sql} ORDER BY {order_sql} LIMIT {PAGE_SIZE}"
        )
        self.page_params = params + order_params
        self.count = f"SELECT count(*) FROM {nominal} WHERE {where_sql}"
        self.count_params = params
        self.connection = connection

    def __call__(self) -> tuple[list[int], int]:
        with self.connection.cursor() as cursor:
            cursor.execute(self.page, self.page_params)
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(self.count, self.count_params)
            return ids, cursor.fetchone()[0]

    def shown(self) -> str:
        compose = self.connection.ops.compose_sql
        return (compose(self.page, self.page_params) + "\n      then: "
                + compose(self.count, self.count_params))


def _explain(connection, sql: str, params=()) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _sql_of(connection, fn) -> list[str]:
    """The SQL statements `fn` runs, as sent."""
    with CaptureQueriesContext(connection) as captured:
        fn()
    return [query["sql"] for query in captured.captured_queries]


def _plan_findings(plan: str, permission_index: str) -> list[str]:
    """What the plan does with the permission table and the nominals, in words."""
    table = NominalUserObjectPermission._meta.db_table
    lines = plan.splitlines()
    findings = []
    estimate = re.search(r"\(cost=[\d.]+\.\.([\d.]+) rows=(\d+).*?actual time=.*?rows=(\d+)",
                         lines[0])
    if estimate:
        findings.append(f"Top node: estimated cost {float(estimate.group(1)):,.0f}.")
    if re.search(rf"Seq Scan on {table}\b", plan):
        findings.append(f"POOR: sequential scan of {table}.")
    elif permission_index in plan:
        findings.append(f"{table} is read only through its unique index "
                        f"(user_id, permission_id, content_object_id): {permission_index}.")
    if re.search(r"Semi Join|Nested Loop", plan) and "Index Scan using cases_nominal_pkey" in plan:
        findings.append("The team check is a join: the user's permission rows are read first, "
                        "then their nominals by primary key.")
    for i, line in enumerate(lines):
        scan = re.search(r"(Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan)"
                         r"( using (\S+))? on cases_nominal\b.*?rows=(\d+) width=\d+\)"
                         r".*?rows=(\d+) loops", line)
        if not scan or (scan.group(3) or "").endswith("pkey"):
            continue
        removed = next((m for later in lines[i + 1:i + 6]
                        if (m := re.search(r"Rows Removed by Filter: (\d+)", later))), None)
        findings.append(
            f"cases_nominal: {scan.group(1)}{scan.group(2) or ''}, the access filter tested on "
            f"{int(scan.group(5)) + (int(removed.group(1)) if removed else 0):,} rows to keep "
            f"{int(scan.group(5)):,} (the planner expected {int(scan.group(4)):,}).")
    team_subplan = re.search(rf"SubPlan (\d+)\n(?:.*\n){{0,8}}?.*{table}", plan)
    if team_subplan:
        hashed = f"hashed SubPlan {team_subplan.group(1)}" in plan
        findings.append("The team test (EXISTS ... OR EXISTS ...) is a "
                        + ("hashed subplan: run once, then probed for every nominal row read."
                           if hashed else "subplan run for every nominal row read."))
    jit = re.search(r"JIT:.*?Total ([\d.]+) ms", plan, re.S)
    if jit:
        findings.append(f"JIT compilation: {jit.group(1)} ms (the estimated cost is above "
                        "jit_above_cost).")
    total = re.search(r"Execution Time: ([\d.]+) ms", plan)
    if total:
        findings.append(f"Execution time {total.group(1)} ms.")
    return findings


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
            with _default_points_at(name) as connection:
                self._measure(connection, options)
        finally:
            _remove_alias()
            if not keep:
                _drop_database(name)
                self.log(f"Dropped the database {name}.")
            else:
                self.log(f"Kept the database {name} (--reuse to use it again).")

    def log(self, text: str = "") -> None:
        self.stdout.write(text)

    def _prepare(self, name: str, options) -> None:
        db = connections["default"].settings_dict
        self.log("JMAPPA need-to-know case list benchmark")
        self.log(f"Database {name} on {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}")
        state = _database_state(name)
        reuse = options["reuse"] and state is not None and state.startswith(MARKER)
        started = time.perf_counter()
        if not reuse:
            _create_database(name)
        _add_alias(name)
        call_command("migrate", database=BENCH_ALIAS, interactive=False, verbosity=0)
        if reuse:
            self.log(f"Reusing it, generated with: {state[len(MARKER):].strip()}")
            return
        self.log(f"  created and migrated ({time.perf_counter() - started:.1f} s)")
        with transaction.atomic(using=BENCH_ALIAS):
            _Generator(alias=BENCH_ALIAS, nominals=options["nominals"], users=options["users"],
                       seed=options["seed"], archived_share=options["archived_share"],
                       log=self.log).run()
        analysed = time.perf_counter()
        with connections[BENCH_ALIAS].cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        self.log(f"  VACUUM (ANALYZE) ({time.perf_counter() - analysed:.1f} s)")
        self.log(f"Generated in {time.perf_counter() - started:.1f} s "
                 "(create, migrate, data, VACUUM ANALYZE)")
        connections[BENCH_ALIAS].close()
        _mark_complete(name, f"nominals={options['nominals']} users={options['users']} "
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
                 f"median {statistics.median(counts):g}, p95 {_percentile(counts, 0.95)}, "
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
            client = Client()
            client.force_login(user)
            fns: dict[str, Callable] = {}
            reference[label] = _first_page_and_count(_the_list(user))
            if page_url:
                page = self._try_get(client, page_url, f"(a) {label}", notes)
                if page:
                    fns["a"] = page
                    page_queries[label] = len(_sql_of(connection, page))
            fns["a'"] = lambda user=user: _first_page_and_count(_the_list(user))
            if api_url:
                api = self._try_get(client, api_url, f"(b) {label}", notes, json=True)
                if api:
                    fns["b"] = api
            raw = _RawSQL(connection, user, view_permission=view_pk,
                          with_permission=not everyone)
            fns["c"] = raw
            compare = {"c": raw()}
            if not everyone:
                shown["c"] = raw.shown()
                generic = _guardian_queryset(user, generic=True)
                direct = _guardian_queryset(user, generic=False)
                fns["d"] = lambda qs=generic: _first_page_and_count(qs)
                fns["e"] = lambda qs=direct: _first_page_and_count(qs)
                compare["d"], compare["e"] = fns["d"](), fns["e"]()
                shown["d"] = _sql_of(connection, lambda qs=generic: list(qs[:PAGE_SIZE]))[0]
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
            queryset = _the_list(user)
            statements = _sql_of(connection, lambda qs=queryset: (
                list(qs[:PAGE_SIZE]), qs.count()))
            list_sql, count_sql = statements[0], statements[-1]
            for what, sql in (("list query: nominal_list(user)[:50]", list_sql),
                              ("count query: nominal_list(user).count()", count_sql)):
                plan = _explain(connection, sql)
                self.log("")
                self.log(f"EXPLAIN (ANALYZE, BUFFERS) of the {label}'s {what}")
                self.log(plan)
                for finding in _plan_findings(plan, permission_index):
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
                    p50, p95 = statistics.median(values), _percentile(values, 0.95)
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
