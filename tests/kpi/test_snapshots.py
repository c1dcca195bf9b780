"""Quarterly snapshots: a closed quarter's figures are frozen and never change silently."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from cases.models import Level
from jmappa.audit.models import AuditEvent
from kpi import selectors
from kpi.models import KpiSnapshot, SnapshotFrozen
from kpi.periods import Period
from kpi.snapshots import freeze_closed_quarters, snapshot_quarter
from kpi.tasks import freeze_quarters
from tests.kpi.histories import case_at, coordinator, meeting

pytestmark = pytest.mark.django_db

Q2 = Period(2026, 2)
JULY = date(2026, 7, 2)


@pytest.fixture
def on_time_case():
    case = case_at(Level.THREE, date(2026, 4, 1))
    for day in (date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)):
        meeting(case, day, Level.THREE)
    return case


def test_the_quarter_end_job_freezes_each_kpi_of_the_closed_quarter(on_time_case):
    assert "2026-Q2" in freeze_closed_quarters(JULY)

    frozen = KpiSnapshot.objects.get(kpi=1, period="2026-Q2")
    assert (frozen.numerator, frozen.denominator, frozen.version) == (1, 1, 1)
    assert frozen.rows[0]["reference"] == on_time_case.reference
    assert set(KpiSnapshot.objects.filter(period="2026-Q2").values_list("kpi", flat=True)) \
        == {1, 2, 3, 4, 5}


def test_running_the_job_twice_changes_nothing(on_time_case):
    freeze_closed_quarters(JULY)
    count = KpiSnapshot.objects.count()
    assert freeze_closed_quarters(JULY) == []
    assert KpiSnapshot.objects.count() == count


def test_the_running_quarter_is_never_frozen():
    with pytest.raises(ValidationError):
        snapshot_quarter(period=Period(2026, 3), today=JULY)


def test_a_frozen_figure_does_not_change_when_the_history_does(on_time_case):
    snapshot_quarter(period=Q2, today=JULY)
    # A late entry changes what a recomputation would say...
    meeting(on_time_case, date(2026, 4, 2), Level.THREE).delete()
    late = case_at(Level.THREE, date(2026, 4, 1))
    meeting(late, date(2026, 4, 1), Level.THREE)

    shown = selectors.figure(1, Q2, JULY)

    # ... but the Board's figure for the quarter stays the one frozen.
    assert (shown.numerator, shown.denominator, shown.version) == (1, 1, 1)


def test_a_snapshot_cannot_be_changed_nor_deleted(on_time_case):
    frozen = snapshot_quarter(period=Q2, today=JULY)[0]
    frozen.numerator = 0
    with pytest.raises(SnapshotFrozen):
        frozen.save()
    with pytest.raises(SnapshotFrozen):
        frozen.delete()
    assert KpiSnapshot.objects.get(pk=frozen.pk).numerator == 1


def test_recomputing_a_closed_quarter_keeps_a_new_version_with_its_reason(on_time_case):
    snapshot_quarter(period=Q2, today=JULY)
    late = case_at(Level.THREE, date(2026, 4, 1))
    meeting(late, date(2026, 4, 1), Level.THREE)
    actor = coordinator()

    snapshot_quarter(period=Q2, today=JULY + timedelta(days=10), actor=actor,
                     reason="A level 3 case entered late")

    versions = KpiSnapshot.objects.filter(kpi=1, period="2026-Q2").order_by("version")
    assert [(s.version, s.denominator) for s in versions] == [(1, 1), (2, 2)]
    assert versions[1].reason == "A level 3 case entered late"
    assert selectors.figure(1, Q2, JULY).version == 2
    assert AuditEvent.objects.filter(object_type="kpi.kpisnapshot", object_id="2026-Q2",
                                     actor=actor).exists()


def test_the_beat_task_freezes_the_last_quarter(on_time_case, monkeypatch):
    monkeypatch.setattr("kpi.tasks.dates.today", lambda: JULY)
    assert "2026-Q2" in freeze_quarters.run()
