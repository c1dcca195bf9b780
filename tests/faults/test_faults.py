"""Faults under the running application: its servers restarted, a worker killed, two of each.

Real gunicorn, Celery worker and beat processes on a private PostgreSQL and Redis
(conftest.py). What each test proves is in its name.
"""

from __future__ import annotations

import pytest

from .conftest import SWEEP_DAY, eventually, sweep

pytestmark = pytest.mark.faults


def test_postgresql_restarted_under_web_worker_and_beat_they_recover_without_a_restart(fresh):
    web, worker, beat = fresh.web(), fresh.worker(), fresh.beat()
    assert web.get("/cases/", fresh.session).status_code == 200
    assert sweep(fresh)["status"] == "done"
    before = fresh.state()

    fresh.postgres.restart()

    # The web server's connections were cut: the next requests answer on new ones.
    eventually(lambda: web.get("/cases/", fresh.session).status_code == 200, 30,
               web.process.tail())
    with fresh.postgres.connect() as conn:
        conn.execute("TRUNCATE alerts_notification, alerts_alert")
    answer = sweep(fresh)
    assert answer["status"] == "done" and answer["raised"] > 0, worker.tail()
    assert fresh.state() == before
    assert worker.running and beat.running and web.process.running


def test_redis_restarted_under_web_worker_and_beat_they_recover_without_a_restart(fresh):
    web, worker, beat = fresh.web(), fresh.worker(), fresh.beat()
    eventually(lambda: fresh.heartbeat() is not None, 30, beat.tail() + worker.tail())

    fresh.redis.restart()  # and its data with it: the heartbeat, the queue

    assert fresh.heartbeat() is None
    # Beat sends again and the worker runs it again: the heartbeat is back.
    eventually(lambda: fresh.heartbeat() is not None, 60, beat.tail() + worker.tail())
    assert web.get("/healthz").json() == {"database": "ok", "redis": "ok"}
    assert web.get("/cases/", fresh.session).status_code == 200
    answer = sweep(fresh)
    assert answer["status"] == "done" and answer["raised"] > 0, worker.tail()
    assert worker.running and beat.running and web.process.running


def test_a_worker_killed_mid_sweep_the_sweep_is_redelivered_and_ends_as_one_clean_run(fresh):
    worker = fresh.worker("worker-1")
    # The sweep is held mid-way: its first rule waits for a lock on the notifications.
    holder = fresh.postgres.connect()
    holder.autocommit = False
    holder.execute("LOCK TABLE alerts_notification IN ACCESS EXCLUSIVE MODE")
    result = fresh.celery().send_task("alerts.tasks.deadline_sweep",
                                      kwargs={"day": SWEEP_DAY})
    try:
        eventually(lambda: fresh.count(
            "SELECT count(*) FROM pg_locks WHERE NOT granted "
            "AND relation = 'alerts_notification'::regclass") > 0, 30, worker.tail())
        worker.kill()
    finally:
        holder.rollback()
        holder.close()

    second = fresh.worker("worker-2")
    answer = result.get(timeout=90)
    assert answer["status"] == "done", second.tail()
    assert "redelivered" in second.output() or answer["raised"] > 0
    after = fresh.state()
    # A clean sweep afterwards finds nothing left to do: the state of one clean run.
    again = sweep(fresh)
    assert (again["raised"], again["reopened"], again["resolved"], again["notified"]) == (
        0, 0, 0, 0)
    assert fresh.state() == after and after[0] and after[1]


def test_two_web_servers_and_two_workers_share_sessions_and_sweep_once(fresh):
    first, second = fresh.web("web-1"), fresh.web("web-2")
    fresh.worker("worker-1")
    fresh.worker("worker-2")

    # One session, both servers: signed in on one is signed in on the other.
    assert first.get("/cases/", fresh.session).status_code == 200
    assert second.get("/cases/", fresh.session).status_code == 200
    assert second.get("/cases/", "no-such-session").status_code == 302

    # Two schedulers send the morning's sweep: the first is held mid-way (its first rule
    # waits for a lock on the notifications) while the second reaches the other worker.
    app = fresh.celery()
    holder = fresh.postgres.connect()
    holder.autocommit = False
    holder.execute("LOCK TABLE alerts_notification IN ACCESS EXCLUSIVE MODE")
    try:
        first_sweep = app.send_task("alerts.tasks.deadline_sweep", kwargs={"day": SWEEP_DAY})
        eventually(lambda: fresh.count(
            "SELECT count(*) FROM pg_locks WHERE NOT granted "
            "AND relation = 'alerts_notification'::regclass") > 0, 30, "no sweep started")
        second_sweep = app.send_task("alerts.tasks.deadline_sweep", kwargs={"day": SWEEP_DAY})
        # One sweep at a time: the second finds the lock held and does nothing.
        assert second_sweep.get(timeout=60)["status"] == "skipped"
    finally:
        holder.rollback()
        holder.close()
    answer = first_sweep.get(timeout=60)
    assert answer["status"] == "done" and answer["notified"] > 0
    # Each person is told once per alert.
    assert fresh.count("SELECT count(*) FROM alerts_notification") == fresh.count(
        "SELECT count(DISTINCT (user_id, alert_id)) FROM alerts_notification") == answer[
        "notified"]
