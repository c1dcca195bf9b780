"""Load benchmark of the real mix: `manage.py bench_load`.

    DATABASE_URL=... REDIS_URL=... SECRET_KEY=<60 random characters> \\
    .venv/bin/python manage.py bench_load [--users 30] [--run-time 60] [--gunicorn-workers 4]
        [--database-name jmappa_load_bench] [--reuse] [--keep] [--nominals 100000]

It never touches real data. The register is bench_access's generated one (100,000 nominals,
5,000 users by default, in a database of its own, `--reuse` to keep one between runs), with
the demo data (`seed_demo`: meetings, draft minutes, the personas) added on top. gunicorn
serves it with the production settings (DEBUG off; static files by name,
bench/settings_load.py) on a free local port, and locust (bench/locustfile.py), headless,
runs the mix against it for `--run-time` seconds with `--users` simulated people:

- practitioners (their own caseloads, signed in): the case list, a search by name, a case
  page, My actions with progress, the meetings list and a meeting page;
- a minute-taker saving the draft minutes through the API (read, then PATCH with version);
- a partner agency polling the API (offenders, alerts) with an API token.

It prints locust's table and the aggregate: requests per second, p50/p95/p99 and errors, and
says whether p95 is under 300 ms with no error. The figures are for people to read; nothing
is asserted.
"""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.models import Count
from django.test.utils import override_settings

from bench.database import default_points_at, remove_alias
from bench.management.commands.bench_access import Command as BenchAccess
from bench.sessions import signed_in
from cases.models import Nominal, NominalUserObjectPermission
from jmappa.accounts.models import Role, User
from jmappa.accounts.services import api_token_issue
from meetings.models import Meeting, Minutes

LOCUSTFILE = Path(__file__).resolve().parents[2] / "locustfile.py"
P95_TARGET_MS = 300


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Command(BaseCommand):
    help = "Load benchmark of the real mix with locust against gunicorn (see the docstring)."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=30)
        parser.add_argument("--run-time", type=int, default=60, help="Seconds.")
        parser.add_argument("--gunicorn-workers", type=int, default=4)
        parser.add_argument("--nominals", type=int, default=100_000)
        parser.add_argument("--people", type=int, default=5_000,
                            help="Users of the generated register.")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--database-name", default="jmappa_load_bench")
        parser.add_argument("--reuse", action="store_true",
                            help="Reuse a complete benchmark database of that name.")
        parser.add_argument("--keep", action="store_true", help="Keep the database.")

    def handle(self, *args, **options):
        name = options["database_name"]
        if "bench" not in name or name == connections["default"].settings_dict["NAME"]:
            raise CommandError("The database name must contain 'bench' and not be the "
                               "configured database.")
        prepare = BenchAccess(stdout=self.stdout, stderr=self.stderr)
        try:
            prepare._prepare(name, {
                "nominals": options["nominals"], "users": options["people"],
                "seed": options["seed"], "archived_share": 0.45, "reuse": options["reuse"]})
        finally:
            remove_alias()
        with tempfile.TemporaryDirectory(prefix="jmappa-load-") as folder:
            config = Path(folder) / "config.json"
            with default_points_at(name):
                config.write_text(json.dumps(self._people()))
            self._run(name, config, Path(folder), options)
        if not (options["keep"] or options["reuse"]):
            from bench.database import drop_database
            drop_database(name)

    def _people(self) -> dict:
        """The demo on top of the register, and who plays whom."""
        with override_settings(DEBUG=True):
            call_command("seed_demo", verbosity=0)
        loads = (NominalUserObjectPermission.objects
                 .filter(permission__codename="view_nominal", user__roles=[Role.PRACTITIONER],
                         user__username__startswith="bench")
                 .values("user").annotate(n=Count("id")).filter(n__gte=5).order_by("user"))
        users = [User.objects.get(pk=row["user"]) for row in loads[:40]]
        users += list(User.objects.filter(
            username__in=["probation.officer", "police.inspector", "housing.officer"]))
        practitioners = []
        for user in users:
            cases = list(NominalUserObjectPermission.objects.filter(
                user=user, permission__codename="view_nominal")
                .values_list("content_object_id", flat=True)[:30])
            names = Nominal.objects.filter(pk__in=cases).values_list("family_name", flat=True)
            client = signed_in(user)
            practitioners.append({
                "username": user.username,
                "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "cases": cases,
                "terms": sorted({family[:4] for family in names if family}) or ["a"],
                "meetings": list(Meeting.objects.filter(nominal_id__in=cases)
                                 .values_list("pk", flat=True)[:10]),
            })
        draft = Minutes.objects.filter(status="draft").order_by("pk").first()
        if draft is None:
            raise CommandError("The demo has no draft minutes to save.")
        taker = User.objects.get(username="admin.officer")
        partner = User.objects.get(username="police.inspector")
        return {
            "practitioners": practitioners,
            "minutes": {"meeting": draft.meeting_id,
                        "token": api_token_issue(user=taker, actor=None, name="bench_load")},
            "partner": {"token": api_token_issue(user=partner, actor=None, name="bench_load")},
        }

    def _run(self, name: str, config: Path, folder: Path, options) -> None:
        db = connections["default"].settings_dict
        port = _free_port()
        env = dict(os.environ)
        url = (f"postgres://{db.get('USER') or ''}"
               f"{':' + db['PASSWORD'] if db.get('PASSWORD') else ''}@"
               f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{name}")
        env.update(DJANGO_SETTINGS_MODULE="bench.settings_load", DATABASE_URL=url, DEBUG="0",
                   ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="0",
                   API_THROTTLE_RATE="100000/minute", LOG_LEVEL="WARNING",
                   REDIS_URL=settings.REDIS_URL, JMAPPA_LOAD_CONFIG=str(config))
        env.pop("TEST_REDIS_URL", None)
        server_log = open(folder / "gunicorn.log", "wb")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "jmappa.wsgi:application", "--bind",
             f"127.0.0.1:{port}", "--workers", str(options["gunicorn_workers"]),
             "--timeout", "60"], env=env, stdout=server_log, stderr=subprocess.STDOUT)
        host = f"http://127.0.0.1:{port}"
        try:
            self._wait_for(host, server, folder)
            self.stdout.write(f"gunicorn ({options['gunicorn_workers']} workers) on {host}; "
                              f"locust: {options['users']} users for {options['run_time']} s")
            prefix = folder / "locust"
            subprocess.run(
                [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
                 "--host", host, "--users", str(options["users"]),
                 "--spawn-rate", str(max(1, options["users"] // 5)),
                 "--run-time", f"{options['run_time']}s", "--csv", str(prefix),
                 "--only-summary", "--loglevel", "WARNING"],
                env=env, check=False)
            self._report(prefix)
        finally:
            server.terminate()
            server.wait(timeout=30)
            server_log.close()

    def _wait_for(self, host, server, folder) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError((folder / "gunicorn.log").read_text(errors="replace"))
            try:
                if requests.get(f"{host}/healthz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise CommandError("gunicorn did not answer /healthz in 60 s")

    def _report(self, prefix: Path) -> None:
        with open(f"{prefix}_stats.csv") as stats:
            rows = list(csv.DictReader(stats))
        self.stdout.write("")
        self.stdout.write(f"{'request':34}{'count':>8}{'fail':>6}{'req/s':>8}"
                          f"{'p50':>7}{'p95':>7}{'p99':>7}  (ms)")
        for row in rows:
            self.stdout.write(
                f"{(row['Name'] or '')[:34]:34}{row['Request Count']:>8}"
                f"{row['Failure Count']:>6}{float(row['Requests/s']):8.1f}"
                f"{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}")
        total = next(row for row in rows if row["Name"] == "Aggregated")
        p95, errors = float(total["95%"]), int(total["Failure Count"])
        verdict = "yes" if p95 < P95_TARGET_MS and errors == 0 else "NO"
        self.stdout.write("")
        self.stdout.write(f"{float(total['Requests/s']):.1f} requests/s, p95 {p95:.0f} ms, "
                          f"{errors} errors: p95 under {P95_TARGET_MS} ms with no error: "
                          f"{verdict}")
        load = os.getloadavg()[0]
        self.stdout.write(f"Load average (1 min) at the end: {load:.1f} on "
                          f"{os.cpu_count()} CPUs.")
