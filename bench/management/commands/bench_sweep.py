"""Benchmark of the deadline sweep: `manage.py bench_sweep`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jmappa REDIS_URL=redis://127.0.0.1:6379/0 \\
    .venv/bin/python manage.py bench_sweep [--nominals 100000] [--compare-with 10000]
        [--database-name jmappa_bench_sweep] [--date 2026-11-23] [--seed 2024]
        [--reuse] [--keep]

It never touches real data. As `bench_access` does, it creates its own database on the
server of `settings.DATABASES["default"]` (the name must contain "bench"), migrates it,
fills it (see bench/sweep_data.py: the nominals with their meetings, minutes, follow-ups,
plan actions, level 1 reviews, home visits, level history and referrals, written with
COPY in batches of 10,000 cases), runs VACUUM (ANALYZE) as autovacuum would on a live
database, and drops it at the end unless `--keep` or `--reuse` is given. `--reuse` keeps a
complete database of that name and size from an earlier run (its alerts and notifications
are emptied first, so that the first sweep raises everything again).

What is measured, with `default` pointed at the bench database in this process (the way
Django's test runner points it at the test database), on `--date` (today by default):
1. the first sweep, `alerts.sweep.sweep(day)`: it raises every alert;
2. the email digest after it (`notify.send_digests`, to the local-memory email backend);
3. a second sweep on the same data, which must change nothing, and its digest, which must
   send nothing.
For each: the wall time and the number of SQL statements (CaptureQueriesContext). With
`--compare-with N` the same is done on a second database of N nominals, to show that the
number of statements does not grow with the number of cases. The full daily run
(`run_sweep`) is the same sweep and digest inside a Redis lock.
The benchmark asserts nothing: the figures are for people to read.
"""

from __future__ import annotations

import os
import time
from datetime import date

from django.core import mail
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from alerts.models import Alert, Notification, Rule
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
from bench.sweep_data import SweepData

MARKER = "jmappa bench_sweep: complete"


class Command(BaseCommand):
    help = "Time the deadline sweep on a generated register, in a database of its own."

    def add_arguments(self, parser):
        parser.add_argument("--nominals", type=int, default=100_000)
        parser.add_argument("--compare-with", type=int, default=0, metavar="N",
                            help="Also run on N nominals and compare the query counts.")
        parser.add_argument("--database-name", default="jmappa_bench_sweep")
        parser.add_argument("--date", type=date.fromisoformat, default=None)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--reuse", action="store_true")
        parser.add_argument("--keep", action="store_true")

    def log(self, text: str = "") -> None:
        self.stdout.write(text)

    def handle(self, *args, **options):
        name = options["database_name"]
        configured = connections["default"].settings_dict["NAME"]
        if "bench" not in name or name == configured:
            raise CommandError("The benchmark database's name must contain 'bench' and differ "
                               "from the configured database's.")
        day = options["date"] or timezone.localdate()
        runs = [(options["nominals"], name)]
        if options["compare_with"]:
            runs.append((options["compare_with"], f"{name}_{options['compare_with']}"))
        self.log("JMAPPA deadline sweep benchmark")
        self.log(f"Day swept: {day:%a %d %b %Y}; machine: {os.cpu_count()} cores")
        figures = []
        for nominals, database in runs:
            try:
                figures.append(self._run(database, nominals, day, options))
            finally:
                remove_alias()
                if not (options["keep"] or options["reuse"]):
                    drop_database(database)
                    self.log(f"Dropped the database {database}.")
        if len(figures) == 2:
            self._compare(figures)

    def _run(self, database: str, nominals: int, day: date, options) -> dict:
        self.log("")
        self.log(f"== {nominals:,} nominals, database {database}")
        summary = f"nominals={nominals} seed={options['seed']} day={day.isoformat()}"
        state = database_state(database)
        reuse = options["reuse"] and state == f"{MARKER} {summary}"
        started = time.perf_counter()
        if not reuse:
            create_database(database)
        add_alias(database)
        call_command("migrate", database=BENCH_ALIAS, interactive=False, verbosity=0)
        generation = None
        if reuse:
            self.log(f"Reusing it ({summary}).")
        else:
            self.log(f"  created and migrated ({time.perf_counter() - started:.1f} s)")
            with transaction.atomic(using=BENCH_ALIAS):
                counts = SweepData(alias=BENCH_ALIAS, nominals=nominals, day=day,
                                   seed=options["seed"], log=self.log).run()
            with connections[BENCH_ALIAS].cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
            generation = time.perf_counter() - started
            self.log(f"Generated in {generation:.1f} s (create, migrate, data, VACUUM ANALYZE):")
            self.log("  " + ", ".join(f"{count:,} {what}" for what, count in counts.items()))
            mark_complete(database, f"{MARKER} {summary}")
        connections[BENCH_ALIAS].close()
        with default_points_at(database), override_settings(
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            return {"nominals": nominals, "generation": generation, **self._measure(day)}

    def _measure(self, day: date) -> dict:
        from alerts.notify import send_digests
        from alerts.sweep import sweep

        connection = connections["default"]
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {Notification._meta.db_table}, {Alert._meta.db_table}")
        mail.outbox = []
        figures = {}
        self.rule_times: dict[str, list[float]] = {}
        for run in ("first", "second"):
            with CaptureQueriesContext(connection) as swept:
                started = time.perf_counter()
                result, failed = self._sweep(sweep, day)
                elapsed = time.perf_counter() - started
            for rule, error in failed.items():
                self.log(f"  rule {rule} FAILED, left out: {error}")
            with CaptureQueriesContext(connection) as digested:
                started = time.perf_counter()
                emailed = send_digests()
                digest_time = time.perf_counter() - started
            figures[run] = {"time": elapsed, "queries": len(swept.captured_queries),
                            "digest_time": digest_time,
                            "digest_queries": len(digested.captured_queries),
                            "emailed": emailed, "result": result}
            self.log(f"Sweep {run}: {elapsed:.2f} s, {len(swept.captured_queries)} queries; "
                     f"raised {result.total('raised'):,}, reopened {result.total('reopened'):,}, "
                     f"resolved {result.total('resolved'):,}, notified "
                     f"{result.total('notified'):,}")
            self.log(f"  digest: {digest_time:.2f} s, {len(digested.captured_queries)} queries, "
                     f"{emailed:,} emails")
        by_rule = dict(Alert.objects.values_list("rule").annotate(
            n=Count("id", filter=Q(resolved_at__isnull=True))).values_list("rule", "n"))
        overdue = dict(Alert.objects.filter(resolved_at__isnull=True, due_on__lt=day)
                       .values_list("rule").annotate(n=Count("id")).values_list("rule", "n"))
        first = figures["first"]["result"]
        self.log("Open alerts after the first sweep, by rule (open, of them overdue, "
                 "notifications; seconds in sweep 1 and sweep 2):")
        for rule in Rule:
            counts = first.rules.get(str(rule.value))
            times = "".join(f"{t:>8.2f}" for t in self.rule_times.get(rule.value, []))
            self.log(f"  {rule.value:26} {by_rule.get(rule.value, 0):>9,} "
                     f"{overdue.get(rule.value, 0):>9,} "
                     f"{counts.notified if counts else 0:>9,}{times}")
        figures["by_rule"] = by_rule
        return figures

    def _sweep(self, sweep, day: date):
        """sweep(day), one rule at a time as sweep(day) itself goes (each rule in its own
        transaction), so that a rule that fails is reported and the others still measured."""
        result, failed = None, {}
        for rule in Rule:
            started = time.perf_counter()
            try:
                one = sweep(day, rules=[rule.value])
            except Exception as exc:  # noqa: BLE001 - reported, the other rules go on
                failed[rule.value] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
                continue
            self.rule_times.setdefault(rule.value, []).append(time.perf_counter() - started)
            if result is None:
                result = one
            else:
                result.rules.update(one.rules)
        if result is None:
            raise CommandError(f"Every rule failed: {failed}")
        return result, failed

    def _compare(self, figures: list[dict]) -> None:
        self.log("")
        self.log("Queries do not grow with cases:")
        self.log(f"  {'nominals':>10} {'sweep 1':>9} {'queries':>8} {'sweep 2':>9} "
                 f"{'queries':>8} {'digest q':>9}")
        for f in sorted(figures, key=lambda f: f["nominals"]):
            self.log(f"  {f['nominals']:>10,} {f['first']['time']:>8.2f}s "
                     f"{f['first']['queries']:>8} {f['second']['time']:>8.2f}s "
                     f"{f['second']['queries']:>8} {f['first']['digest_queries']:>9}")
        same = len({(f["first"]["queries"], f["second"]["queries"]) for f in figures}) == 1
        self.log(f"  same number of sweep queries at both sizes: {'yes' if same else 'NO'}")
