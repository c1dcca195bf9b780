"""Benchmark of the Board's KPIs: `manage.py bench_kpi`.

    DATABASE_URL=... REDIS_URL=... SECRET_KEY=<60 random characters> DEBUG=0 \\
    ALLOWED_HOSTS=testserver .venv/bin/python manage.py bench_kpi [--nominals 100000]
        [--runs 30] [--warmup 3] [--database-name jmappa_bench_kpi] [--keep] [--reuse]

It never touches real data: like bench_sweep it creates its own database on the configured
server, migrates it, generates a register there (bench/sweep_data.py: nominals, level
history, held level 1 to 3 meetings, minutes...), then adds what the KPIs read beyond it:
for each held level 2 and 3 meeting an invitation to four agencies and their attendance
(in person, video, report only, below seniority, absent, in live-like shares), and a Board
of nine seats meeting in each of the last eight quarters with each member's attendance.

Measured, with `default` pointed at the bench database (bench.database.default_points_at):
(a) the dashboard `/kpi/` for the Co-ordinator: the five KPIs for this quarter, by agency
    or member, and the eight quarters of the trend, `--runs` GETs after `--warmup`:
    median, p95 and the queries of one request; first with every quarter measured live
    (no snapshot yet), then with the closed quarters frozen (what the quarter-end job
    keeps), where only the running quarter is measured live. The page shows no rows: the
    figures measured live are counted by the database (measure_all without rows);
(b) one quarter's snapshot: `snapshot_quarter` of the last closed quarter, timed once,
    and the freezing of the other closed quarters. A snapshot keeps the rows behind each
    figure, so it measures the KPIs with their rows;
(c) the running quarter's rows kept case by case (kpi/indicators/running.py) measured anew
    for a new day, as the nightly job does before anyone reads them: what the first reading
    of a day would take without it. The dashboard in (a) reads them as kept, each reading
    measuring again the cases changed since.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

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
from bench.sweep_data import SweepData

MARKER = "jmappa bench_kpi: complete"

# One invitation per (meeting, agency) for four agencies; attendance: 80% in person, 6%
# video, 5% report only, 4% below seniority, 5% absent, drawn from the ids.
ATTENDANCE_SQL = """
INSERT INTO meetings_invitation (meeting_id, agency_id, name, email, telephone, reason,
                                 response, withdrawn_at)
SELECT m.id, a.id, 'Invitee', '', '', 'standing', 'attending', NULL
FROM meetings_meeting m
CROSS JOIN LATERAL (SELECT id FROM accounts_agency ORDER BY id LIMIT 4) a
WHERE m.status = 'held' AND m.level IN ('2', '3');
INSERT INTO meetings_attendance (meeting_id, agency_id, attendee_name, mode,
                                 meets_seniority, recorded_by_id)
SELECT i.meeting_id, i.agency_id, 'Attendee',
       CASE WHEN (i.id %% 100) < 84 THEN 'in_person' WHEN (i.id %% 100) < 90 THEN 'video'
            WHEN (i.id %% 100) < 95 THEN 'report' ELSE 'absent' END,
       CASE WHEN (i.id %% 100) BETWEEN 80 AND 83 THEN false ELSE true END,
       %(actor)s
FROM meetings_invitation i;
"""


class Command(BaseCommand):
    help = "Time the KPI dashboard and a quarter's snapshot on a generated register."

    def add_arguments(self, parser):
        parser.add_argument("--nominals", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument("--database-name", default="jmappa_bench_kpi")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--reuse", action="store_true")
        parser.add_argument("--keep", action="store_true")

    def log(self, text: str = "") -> None:
        self.stdout.write(text)

    def handle(self, *args, **options):
        name = options["database_name"]
        if "bench" not in name or name == connections["default"].settings_dict["NAME"]:
            raise CommandError("The benchmark database's name must contain 'bench' and differ "
                               "from the configured database's.")
        day = timezone.localdate()
        self.log(f"JMAPPA KPI benchmark: {options['nominals']:,} nominals, "
                 f"{os.cpu_count()} cores, {day:%d %b %Y}")
        try:
            self._prepare(name, options, day)
            with default_points_at(name), override_settings(**self._overrides()):
                self._measure(options, day)
        finally:
            remove_alias()
            if not (options["keep"] or options["reuse"]):
                drop_database(name)
                self.log(f"Dropped the database {name}.")

    def _overrides(self) -> dict:
        """As bench_access: "testserver" allowed, a local-memory cache, and the plain static
        storage when collectstatic has not been run."""
        overrides = {"ALLOWED_HOSTS": ["testserver"], "CACHES": {"default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}}
        storages = settings.STORAGES
        if "Manifest" in storages["staticfiles"]["BACKEND"] and not (
                Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            overrides["STORAGES"] = {**storages, "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
        return overrides

    def _prepare(self, name: str, options, day: date) -> None:
        summary = f"nominals={options['nominals']} seed={options['seed']} day={day}"
        reuse = options["reuse"] and database_state(name) == f"{MARKER} {summary}"
        started = time.perf_counter()
        if not reuse:
            create_database(name)
        add_alias(name)
        call_command("migrate", database=BENCH_ALIAS, interactive=False, verbosity=0)
        if reuse:
            self.log("Reusing the generated database.")
            return
        with transaction.atomic(using=BENCH_ALIAS):
            data = SweepData(alias=BENCH_ALIAS, nominals=options["nominals"], day=day,
                             seed=options["seed"], log=lambda *_: None)
            counts = data.run()
            with connections[BENCH_ALIAS].cursor() as cursor:
                for statement in ATTENDANCE_SQL.split(";"):
                    if statement.strip():
                        cursor.execute(statement, {"actor": data.coordinator})
        self._board(day)
        with connections[BENCH_ALIAS].cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
            cursor.execute("SELECT count(*) FROM meetings_attendance")
            attendance = cursor.fetchone()[0]
        mark_complete(name, f"{MARKER} {summary}")
        self.log(f"Generated in {time.perf_counter() - started:.1f} s: " + ", ".join(
            f"{count:,} {what}" for what, count in counts.items())
            + f", {attendance:,} attendance records")

    def _board(self, day: date) -> None:
        from jmappa.accounts.models import Grade, User
        from kpi.models import (
            SmbAttendance,
            SmbMeeting,
            SmbMeetingStatus,
            SmbMembership,
            SmbSeat,
        )
        from kpi.periods import last_quarters

        db = BENCH_ALIAS
        users = list(User.objects.using(db).order_by("id")[:10])
        actor = users[0]
        since = day - timedelta(days=3 * 365)
        memberships = []
        for n, user in enumerate(users[1:10], start=1):
            seat = SmbSeat.objects.using(db).create(
                name=f"Seat {n}", seniority="Senior", minimum_grade=Grade.SENIOR_MANAGER,
                position=n)
            memberships.append(SmbMembership.objects.using(db).create(
                seat=seat, member=user, grade=user.grade, date_from=since))
        for index, quarter in enumerate(last_quarters(day, 8)):
            meeting = SmbMeeting.objects.using(db).create(
                date=quarter.start + timedelta(days=10), status=SmbMeetingStatus.HELD,
                created_by=actor)
            SmbAttendance.objects.using(db).bulk_create([SmbAttendance(
                meeting=meeting, membership=m, recorded_by=actor,
                status="present" if (index + i) % 7 else "apologies")
                for i, m in enumerate(memberships)])

    def _measure(self, options, day: date) -> None:
        from jmappa.accounts.models import Role, User
        from kpi.indicators import running
        from kpi.models import KpiSnapshot, RunningStamp
        from kpi.periods import Period
        from kpi.snapshots import freeze_closed_quarters, snapshot_quarter

        KpiSnapshot.objects.all().delete()  # a reused database: measured afresh
        coordinator = User.objects.filter(roles__contains=[Role.COORDINATOR]).first()
        client = signed_in(coordinator)
        self._dashboard(client, options, "every quarter measured live (no snapshot yet)")
        quarter = Period.quarter_of(day).previous()
        started = time.perf_counter()
        snapshot_quarter(period=quarter, today=day)
        elapsed = time.perf_counter() - started
        rows = sum(len(s.rows) for s in KpiSnapshot.objects.filter(period=quarter.code))
        self.log(f"(b) snapshot of {quarter.label}: {elapsed:.2f} s ({rows:,} rows frozen)")
        started = time.perf_counter()
        frozen = freeze_closed_quarters(day)
        self.log(f"    the other {len(frozen)} closed quarters frozen in "
                 f"{time.perf_counter() - started:.2f} s")
        self._dashboard(client, options, "closed quarters from their snapshots, this "
                                         "quarter live (the state the beat job keeps)")
        RunningStamp.objects.all().delete()
        started = time.perf_counter()
        running.measure(Period.quarter_of(day), day)
        self.log(f"(c) the running quarter's rows measured anew for a new day: "
                 f"{time.perf_counter() - started:.2f} s")

    def _dashboard(self, client, options, what: str) -> None:
        times = []
        for run in range(options["warmup"] + options["runs"]):
            started = time.perf_counter()
            response = client.get("/kpi/", secure=True)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise CommandError(f"/kpi/ answered {response.status_code}")
            if run >= options["warmup"]:
                times.append(elapsed * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get("/kpi/", secure=True)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
        self.log(f"(a) /kpi/ dashboard, {what}, {len(times)} runs: median "
                 f"{statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
                 f"{len(queries.captured_queries)} queries")
