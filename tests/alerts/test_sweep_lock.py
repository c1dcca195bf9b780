"""The sweep lock outlives no holder: renewed while its sweep runs, lapsing soon after its
holder dies, and a redelivered sweep waits for it rather than being dropped."""

from __future__ import annotations

import time

import pytest
import redis
from celery.exceptions import Retry
from django.core.cache import cache

from alerts.sweep import LOCK_NAME, run_sweep, sweep_lock
from alerts.tasks import deadline_sweep


@pytest.fixture
def short_lock(settings):
    settings.DEADLINE_SWEEP_LOCK_SECONDS = 1
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(cache.make_key(LOCK_NAME))
    yield client
    client.delete(cache.make_key(LOCK_NAME))
    client.close()


def test_the_sweep_lock_is_renewed_for_as_long_as_its_sweep_runs(short_lock):
    with sweep_lock() as held:
        assert held
        time.sleep(2.5)  # more than twice the lock's lifetime
        with sweep_lock() as second:
            assert not second
    with sweep_lock() as after:
        assert after


def test_a_lock_left_by_a_dead_holder_lapses_within_its_lifetime(db, short_lock):
    with sweep_lock() as held:
        assert held
        # Nothing renews it once its holder is gone: it ends within DEADLINE_SWEEP_LOCK_SECONDS.
        assert 0 < short_lock.pttl(cache.make_key(LOCK_NAME)) <= 1000
    # A holder that died: it took the lock and will never renew nor release it.
    short_lock.lock(cache.make_key(LOCK_NAME), timeout=1).acquire(blocking=False)
    assert run_sweep(send_digest=False).skipped
    time.sleep(1.5)
    assert not run_sweep(send_digest=False).skipped


def test_a_redelivered_sweep_finding_the_lock_held_is_retried_not_dropped(db, short_lock):
    with sweep_lock() as held:
        assert held
        deadline_sweep.push_request(delivery_info={"redelivered": True}, retries=0)
        try:
            with pytest.raises(Retry):
                deadline_sweep.run(day="2026-11-23")
        finally:
            deadline_sweep.pop_request()
        # Sent a second time by another scheduler (not redelivered): nothing, at once.
        assert deadline_sweep(day="2026-11-23")["status"] == "skipped"
