"""The deadline sweep's Celery tasks.

Both are safe to run twice: `acks_late` with `reject_on_worker_lost` puts a task back
on the queue if its worker dies, and the sweep reaches the same state however often it
runs. A lost database connection (PostgreSQL restarting) is retried a few times, with
growing waits; jmappa.celery closes stale connections around every task.

Exactly one sweep a day, even if two beat schedulers are started by mistake: both may
send the task, but the sweep takes a Redis lock (sweep.sweep_lock) and the second one
finds it held and does nothing ("skipped"). That is simpler and more robust than trying
to stop the second scheduler itself, and it covers a hand run at the same moment too.

A sweep redelivered because its worker died finds the lock still held by the dead worker:
it is not dropped as a duplicate but tried again once the lock has lapsed (the lock is
renewed only while its holder lives), so that the day's sweep still completes.
"""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .sweep import lock_seconds, run_sweep, sweep

RETRYING = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "max_retries": 3,
    "retry_backoff": 30,
    "retry_backoff_max": 600,
}


@shared_task(bind=True, name="alerts.tasks.deadline_sweep", ignore_result=False,
             expires=6 * 60 * 60, **RETRYING)
def deadline_sweep(self, day: str | None = None) -> dict:
    """The day's sweep and email digest (`day` as YYYY-MM-DD; today by default)."""
    result = run_sweep(date.fromisoformat(day) if day else None)
    redelivered = (self.request.delivery_info or {}).get("redelivered")
    if result.skipped and (redelivered or self.request.retries):
        raise self.retry(countdown=lock_seconds())
    return result.as_dict()


@shared_task(name="alerts.tasks.refresh_case", ignore_result=True,
             expires=60 * 60, **RETRYING)
def refresh_case(nominal_id: int) -> dict:
    """One case's alerts recomputed for today, after a change to its deadlines."""
    return sweep(nominal_ids=[nominal_id]).as_dict()
