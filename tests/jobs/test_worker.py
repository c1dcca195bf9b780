"""The background jobs for real: beat, the Redis broker and a worker process.

No eager mode and no mocks. A real `celery worker` (and `celery beat`) runs as
a subprocess with the test settings; success means the heartbeat key in Redis
holds a fresh timestamp *and* the worker's log shows that it ran the very task
that beat (or this test) sent, so stale messages left in the queue by an earlier
run can't make the test pass.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from jmappa.celery import app as celery_app
from jmappa.core import health
from jmappa.core.tasks import heartbeat

from .conftest import wait_until

pytestmark = pytest.mark.worker

HEARTBEAT_TIMEOUT = 40.0
BEAT_SENT = re.compile(r"jmappa\.core\.tasks\.heartbeat sent\. id->([0-9a-f-]{36})")


def _stored_heartbeat(client: redis.Redis) -> str | None:
    # The raw key, as the task stored it: an ISO 8601 timestamp.
    value = client.get(health.HEARTBEAT_KEY)
    return value.decode() if value is not None else None


def _fresh_heartbeat(client: redis.Redis, since: datetime) -> str | None:
    value = _stored_heartbeat(client)
    if value and datetime.fromisoformat(value) >= since:
        return value
    return None


def _succeeded(worker_output: str, task_id: str) -> bool:
    return f"jmappa.core.tasks.heartbeat[{task_id}] succeeded" in worker_output


def _report(message: str, *processes) -> str:
    return "\n".join([message, *(p.tail() for p in processes)])


def test_beat_schedules_the_heartbeat_and_a_real_worker_runs_it(
    celery_worker_process, start_beat, heartbeat_redis
):
    worker = celery_worker_process
    started = timezone.now()
    beat = start_beat()
    worker.wait_until_ready()
    ran_by_worker: list[str] = []

    def beat_sent_and_worker_ran() -> bool:
        assert beat.running, _report("celery beat stopped.", beat, worker)
        assert worker.running, _report("celery worker stopped.", beat, worker)
        worker_output = worker.output()
        ran_by_worker[:] = [
            task_id for task_id in BEAT_SENT.findall(beat.output())
            if _succeeded(worker_output, task_id)
        ]
        return bool(ran_by_worker) and _fresh_heartbeat(heartbeat_redis, started) is not None

    assert wait_until(beat_sent_and_worker_ran, HEARTBEAT_TIMEOUT), _report(
        f"No heartbeat from beat through the worker in {HEARTBEAT_TIMEOUT:.0f}s "
        f"(heartbeat key: {_stored_heartbeat(heartbeat_redis)!r}; "
        f"test started {started.isoformat()}; "
        f"beat tasks the worker ran: {ran_by_worker}).",
        beat, worker,
    )


def test_worker_runs_a_task_sent_through_the_broker(celery_worker_process, heartbeat_redis):
    worker = celery_worker_process
    worker.wait_until_ready()
    # This process sends to the broker that the worker consumes from.
    assert celery_app.conf.broker_url == settings.REDIS_URL
    assert not celery_app.conf.task_always_eager

    sent_at = timezone.now()
    result = heartbeat.apply_async()

    def worker_ran_it() -> bool:
        assert worker.running, _report("celery worker stopped.", worker)
        return (
            _succeeded(worker.output(), result.id)
            and _fresh_heartbeat(heartbeat_redis, sent_at) is not None
        )

    assert wait_until(worker_ran_it, HEARTBEAT_TIMEOUT), _report(
        f"The worker did not run heartbeat[{result.id}] in {HEARTBEAT_TIMEOUT:.0f}s "
        f"(heartbeat key: {_stored_heartbeat(heartbeat_redis)!r}; sent {sent_at.isoformat()}).",
        worker,
    )
