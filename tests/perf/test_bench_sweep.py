"""The deadline sweep benchmark (manage.py bench_sweep) runs end to end, on databases of its
own, at two tiny sizes: it reports the generation, both sweeps and their query counts, the
alerts of every rule, and the same number of queries at both sizes. It checks that the
figures are reported, never how fast anything is. As for bench_access, the command runs
through manage.py in a subprocess whose `default` database is this test database."""

import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from alerts.models import Rule
from cases.models import Nominal
from tests.helpers import child_database_url

from .test_bench_access import BASE_DIR, _database_exists


@pytest.mark.django_db
def test_bench_sweep_times_both_sweeps_and_counts_the_same_queries_at_two_sizes():
    test_database = connection.settings_dict["NAME"]
    bench_database = f"{test_database}_bench_sweep"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jmappa.settings_test",
           "DATABASE_URL": child_database_url()}

    done = subprocess.run(
        [sys.executable, "manage.py", "bench_sweep", "--nominals", "400",
         "--compare-with", "200", "--database-name", bench_database],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600,
    )

    assert done.returncode == 0, done.stderr
    report = done.stdout
    assert re.search(r"Generated in [\d.]+ s", report)
    first = re.findall(r"Sweep first: [\d.]+ s, (\d+) queries; raised ([\d,]+)", report)
    second = re.findall(r"Sweep second: [\d.]+ s, (\d+) queries; raised 0, reopened 0, "
                        r"resolved 0, notified 0", report)
    assert len(first) == 2 and len(second) == 2
    assert all(int(raised.replace(",", "")) > 0 for _, raised in first)
    assert "FAILED" not in report
    # Every rule answers something in the generated register.
    for rule in Rule.values:
        assert re.search(rf"  {rule} +[1-9][\d,]* ", report), rule
    assert "same number of sweep queries at both sizes: yes" in report
    # Its own databases, dropped afterwards; the test database untouched.
    assert f"Dropped the database {bench_database}." in report
    assert not _database_exists(bench_database)
    assert not _database_exists(f"{bench_database}_200")
    assert not Nominal.objects.exists()


def test_bench_sweep_refuses_a_database_not_named_bench(settings):
    configured = settings.DATABASES["default"]["NAME"]
    for name in (configured, "jmappa"):
        with pytest.raises(CommandError, match="must contain 'bench'"):
            call_command("bench_sweep", database_name=name, stdout=StringIO())
