"""The deadline sweep through a real Celery worker on the real Redis.

The worker is pointed at this run's test database (the data is committed, so the
worker sees it) and runs the real rules; the alert it raises is read back here.
"""

from __future__ import annotations

from datetime import date

import pytest

from alerts.models import Alert, Notification, Rule
from alerts.tasks import deadline_sweep
from tests.factories import make_nominal
from tests.helpers import child_database_url

from .conftest import celery_process, wait_until

pytestmark = pytest.mark.worker

TIMEOUT = 60.0


@pytest.fixture
def sweep_worker(transactional_db, monkeypatch, tmp_path):
    # Started after the test database is ready, stopped before it is emptied.
    monkeypatch.setenv("DATABASE_URL", child_database_url())
    args = ["worker", "--pool", "solo", "--without-mingle", "--without-gossip",
            "--loglevel", "INFO", "--hostname", "jmappa-sweep-test@%h"]
    with celery_process("sweep-worker", args, tmp_path) as worker:
        yield worker


def test_a_real_worker_runs_the_deadline_sweep_and_raises_the_alerts(sweep_worker,
                                                                      coordinator):
    nominal = make_nominal(sentence_date=date(2026, 1, 5), identified_on=date(2026, 2, 2))
    sweep_worker.wait_until_ready()

    result = deadline_sweep.apply_async(kwargs={"day": "2026-11-23"})

    def swept() -> bool:
        assert sweep_worker.running, sweep_worker.tail()
        return f"deadline_sweep[{result.id}] succeeded" in sweep_worker.output()

    assert wait_until(swept, TIMEOUT), sweep_worker.tail()
    assert result.get(timeout=10)["status"] == "done"
    alert = Alert.objects.get(rule=Rule.IDENTIFICATION_LATE, nominal=nominal)
    assert alert.resolved_at is None and alert.due_on == date(2026, 1, 8)
    assert Notification.objects.filter(alert=alert, user=coordinator).exists()
