"""The case list benchmark (manage.py bench_access) runs end to end, on a database of its own.

A smoke test with a tiny size: it checks that the figures and the query plan are reported,
never how fast anything is. The command runs through manage.py in a subprocess whose
`default` database is this test database: inside a pytest-django test, Django refuses
connections to a database alias the test case did not declare, and the benchmark's own
`bench` alias is only created by the command.
"""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cases.models import Nominal
from tests.helpers import child_database_url

BASE_DIR = Path(__file__).resolve().parents[2]
FIGURES = r"\s+\d+\.\d\s+\d+\.\d"


def _database_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


@pytest.mark.django_db
def test_bench_access_reports_timings_and_the_plan_from_a_database_of_its_own():
    test_database = connection.settings_dict["NAME"]
    bench_database = f"{test_database}_bench"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jmappa.settings_test",
           "DATABASE_URL": child_database_url()}

    done = subprocess.run(
        [sys.executable, "manage.py", "bench_access", "--nominals", "300", "--users", "40",
         "--runs", "3", "--warmup", "1", "--database-name", bench_database],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600,
    )

    assert done.returncode == 0, done.stderr
    report = done.stdout
    assert re.search(r"practitioner\s+co-ordinator", report)
    assert re.search(r"p50\s+p95\s+p50\s+p95", report)
    for row in (r"\(a\) page GET /cases/", r"\(a'\) selector nominal_list",
                r"\(c\) hand-written SQL", r"\(d\) guardian generic table",
                r"\(e\) guardian get_objects_for_user"):
        assert re.search(row + r".*?" + FIGURES, report), row
    assert re.search(r"ratio \(a\)/\(c\), practitioner: p50 [\d.]+x, p95 [\d.]+x", report)
    assert "DIFFERENT" not in report
    plan = report.split("EXPLAIN (ANALYZE, BUFFERS) of the practitioner's list", 1)[1]
    assert "Execution Time" in plan
    assert "cases_nominaluserobjectpermission" in plan
    # Its own database, dropped afterwards; the test database untouched.
    assert f"Dropped the database {bench_database}." in report
    assert not _database_exists(bench_database)
    assert not Nominal.objects.exists()


def test_bench_access_refuses_a_database_not_named_bench(settings):
    configured = settings.DATABASES["default"]["NAME"]
    for name in (configured, "jmappa"):
        with pytest.raises(CommandError, match="must contain 'bench'"):
            call_command("bench_access", database_name=name, stdout=StringIO())
