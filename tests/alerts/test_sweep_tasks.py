"""The sweep's tasks and schedule, and the write-through after a change to a deadline."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import OperationalError

from alerts import services
from alerts.models import Alert, Rule
from alerts.tasks import deadline_sweep, refresh_case
from cases.services import nominal_archive
from jmappa.core.mail import bulk_loading
from tests.factories import make_nominal


def test_the_sweep_is_scheduled_every_morning_at_the_configured_time():
    entry = settings.CELERY_BEAT_SCHEDULE["deadline-sweep"]
    assert entry["task"] == deadline_sweep.name == "alerts.tasks.deadline_sweep"
    assert entry["schedule"].hour == {settings.DEADLINE_SWEEP_HOUR}
    assert entry["schedule"].minute == {settings.DEADLINE_SWEEP_MINUTE}


def test_the_tasks_survive_a_lost_worker_and_retry_a_lost_database_a_few_times():
    for task in (deadline_sweep, refresh_case):
        assert task.acks_late and task.reject_on_worker_lost
        assert OperationalError in task.autoretry_for
        assert 0 < task.max_retries <= 5
        assert task.expires


def test_the_sweep_task_answers_its_counts(db, coordinator):
    make_nominal(sentence_date=date(2026, 1, 5), identified_on=date(2026, 2, 2))

    # Called in this process (the worker test runs it through a real worker).
    result = deadline_sweep(day="2026-11-23")

    assert result["status"] == "done" and result["day"] == "2026-11-23"
    assert result["rules"][Rule.IDENTIFICATION_LATE]["raised"] == 1
    assert Alert.objects.filter(rule=Rule.IDENTIFICATION_LATE).count() == 1


def test_archiving_a_case_queues_its_alerts_once_the_change_is_committed(
        db, coordinator, monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr(refresh_case, "delay", queued.append)
    nominal = make_nominal(date_of_birth=date(1926, 11, 1))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        nominal_archive(nominal=nominal, reason="Died", actor=coordinator)
    assert queued == []
    for callback in callbacks:
        callback()

    assert queued == [nominal.pk]


def test_the_refresh_of_one_case_raises_its_alerts_for_today(db, coordinator):
    nominal = make_nominal(date_of_birth=date(1900, 1, 1))
    nominal_archive(nominal=nominal, reason="Died", actor=coordinator)

    refresh_case(nominal.pk)

    assert Alert.objects.filter(rule=Rule.RETENTION_REVIEW, nominal=nominal,
                                due_on=date(2000, 1, 1)).exists()


def test_a_broker_out_of_reach_does_not_fail_the_change(db, monkeypatch, caplog):
    def unreachable(nominal_id):
        raise ConnectionError("broker down")

    monkeypatch.setattr(refresh_case, "delay", unreachable)

    services.refresh_case_later(1)

    assert "Could not queue the alert refresh of case 1" in caplog.text


def test_no_single_case_refresh_while_many_cases_are_loaded(
        db, coordinator, monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr(refresh_case, "delay", queued.append)
    nominal = make_nominal()

    with bulk_loading(), \
            django_capture_on_commit_callbacks(execute=True) as callbacks:
        nominal_archive(nominal=nominal, reason="Moved away", actor=coordinator)

    assert callbacks == [] and queued == []


def test_a_second_beat_sending_the_sweep_again_runs_nothing(db, coordinator):
    from alerts.sweep import sweep_lock

    make_nominal(sentence_date=date(2026, 1, 5), identified_on=date(2026, 2, 2))

    with sweep_lock() as held:
        assert held
        result = deadline_sweep(day="2026-11-23")

    assert result["status"] == "skipped" and not Alert.objects.exists()
