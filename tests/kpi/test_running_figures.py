"""The running quarter's KPIs 1, 2, 3 and 5 are counted from each case's rows as last
measured, measured again only for the cases whose history changed since, or for every case on
a new day: whatever changes (a review held, cancelled or removed, a step-down, an archiving, a
deviation, a new lead agency, minutes, invitations, attendance) and whatever day it is, the
figures are those of the rows."""

from datetime import date, timedelta

import pytest

from cases.models import Deviation, Level, Nominal
from cases.services import nominal_archive, nominal_set_level
from jmappa.accounts.models import AgencyKind
from kpi.indicators import measure_all
from kpi.models import RunningReview, RunningStamp, StaleCase
from kpi.periods import Period
from kpi.tasks import freeze_quarters
from meetings.models import (
    Attendance,
    AttendanceMode,
    DisclosureDecision,
    Invitation,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from tests.factories import make_agency
from tests.kpi.histories import case_at, coordinator, meeting

pytestmark = pytest.mark.django_db

MAY_15 = date(2026, 5, 15)
NUMBERS = (1, 2, 3, 5)


def _figures(today):
    period = Period.quarter_of(today)
    with_rows = measure_all([period], today=today, numbers=NUMBERS)
    kept = measure_all([period], today=today, numbers=NUMBERS, with_rows=False)
    for number in NUMBERS:
        expected, found = with_rows[number][0], kept[number][0]
        assert (found.numerator, found.denominator, found.groups, found.extra) == (
            expected.numerator, expected.denominator, expected.groups, expected.extra), number
    return {number: (kept[number][0].numerator, kept[number][0].denominator)
            for number in NUMBERS}


@pytest.fixture
def cases():
    actor = coordinator()
    police = make_agency("Lead police", AgencyKind.POLICE)
    on_time = case_at(Level.THREE, date(2026, 3, 1), actor=actor, lead_agency=police)
    for day in (date(2026, 3, 1), date(2026, 4, 10), date(2026, 5, 10)):
        meeting(on_time, day, Level.THREE)
    late = case_at(Level.THREE, date(2026, 2, 1), actor=actor, lead_agency=police)
    meeting(late, date(2026, 2, 1), Level.THREE)
    level_2 = case_at(Level.TWO, date(2026, 4, 1), actor=actor)
    meeting(level_2, date(2026, 4, 2), Level.TWO)
    return {"actor": actor, "police": police, "on_time": on_time, "late": late,
            "level_2": level_2}


def test_a_change_to_a_case_marks_it_alone_to_be_measured_again(cases):
    _figures(MAY_15)
    assert not StaleCase.objects.exists()
    assert RunningReview.objects.count() == 3

    meeting(cases["late"], date(2026, 5, 1), Level.THREE)
    Nominal.objects.filter(pk=cases["level_2"].pk).update(
        lead_agency=make_agency("Lead probation", AgencyKind.PROBATION))
    Attendance.objects.create(
        meeting=Meeting.objects.filter(nominal=cases["on_time"]).first(),
        agency=cases["police"], mode=AttendanceMode.VIDEO, recorded_by=cases["actor"])

    assert set(StaleCase.objects.values_list("nominal_id", flat=True)) == {
        cases["late"].pk, cases["level_2"].pk, cases["on_time"].pk}
    _figures(MAY_15)
    assert not StaleCase.objects.exists()


def test_the_running_figures_follow_every_change_to_a_case(cases):
    actor, on_time, late, police = (cases["actor"], cases["on_time"], cases["late"],
                                    cases["police"])
    assert _figures(MAY_15) == {1: (1, 2), 2: (1, 1), 3: (0, 3), 5: (0, 0)}

    review = meeting(late, date(2026, 3, 10), Level.THREE)
    held = meeting(late, date(2026, 4, 20), Level.THREE)
    assert _figures(MAY_15)[1] == (2, 2)

    Meeting.objects.filter(pk=review.pk).update(status=MeetingStatus.CANCELLED)
    assert _figures(MAY_15)[1] == (1, 2)

    Meeting.objects.filter(pk=review.pk).delete()
    Deviation.objects.create(nominal=late, what="Late review", why="Panel cancelled",
                             decided_by=actor, decided_on=date(2026, 3, 1))
    assert _figures(MAY_15)[1] == (1, 2)

    nominal_set_level(nominal=on_time, level=Level.TWO, reason="Reduced", actor=actor,
                      on=date(2026, 5, 12))
    assert _figures(MAY_15)[2] == (2, 2)

    Minutes.objects.create(
        meeting=held, number=1, status=MinutesStatus.FINAL, disclosure_considered=True,
        disclosure_decision=DisclosureDecision.NOT_DISCLOSE, drafted_by=actor)
    invited = Invitation.objects.create(meeting=held, agency=police, name="Invitee",
                                        reason="standing")
    figures = _figures(MAY_15)
    assert (figures[3], figures[5]) == ((1, 4), (0, 1))
    Attendance.objects.create(meeting=held, agency=police, mode=AttendanceMode.IN_PERSON,
                              meets_seniority=True, recorded_by=actor)
    assert _figures(MAY_15)[5] == (1, 1)
    Invitation.objects.filter(pk=invited.pk).update(withdrawn_at=held.starts_at)
    Attendance.objects.filter(meeting=held).delete()
    assert _figures(MAY_15)[5] == (0, 0)

    nominal_archive(nominal=cases["level_2"], reason="Managed elsewhere", actor=actor,
                    on=date(2026, 5, 1))
    _figures(MAY_15)


def test_a_new_day_measures_every_case_again(cases):
    assert _figures(MAY_15)[1] == (1, 2)
    # Nothing recorded since: the review due 42 days after 10 May is late on the 43rd.
    assert _figures(date(2026, 6, 21))[1] == (1, 2)
    assert _figures(date(2026, 6, 21) + timedelta(days=1))[1] == (0, 2)
    # A new quarter.
    assert _figures(date(2026, 7, 2))[1] == (0, 2)


def test_the_nightly_job_measures_the_new_days_rows_before_anyone_reads_them(
        cases, monkeypatch):
    monkeypatch.setattr("kpi.tasks.dates.today", lambda: MAY_15)
    freeze_quarters.run()
    assert RunningStamp.objects.get().as_of == MAY_15
    assert not StaleCase.objects.exists()
    assert RunningReview.objects.count() == 3
