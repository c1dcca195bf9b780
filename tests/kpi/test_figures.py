"""The figures alone, counted by the database (what the dashboard, the API and the home pages
show), are the figures of the rows: on one history with every edge of each KPI's definition,
for quarters, a year and a running quarter, each KPI's numerator, denominator, counts by
agency or member and further counts are the same both ways, in a constant number of
queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Deviation, Level
from cases.services import nominal_archive, nominal_reactivate, nominal_set_level
from jmappa.accounts.models import AgencyKind
from kpi.indicators import MEASURED, measure_all
from kpi.models import SmbAttendanceStatus as S
from kpi.periods import Period
from meetings.models import (
    Attendance,
    AttendanceMode,
    DisclosureDecision,
    Invitation,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from tests.factories import make_agency
from tests.kpi.histories import case_at, coordinator, meeting
from tests.kpi.test_attendance_kpis import _held, board  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

JAN_5 = date(2026, 1, 5)


def _every(case, level, first: date, days: int, count: int):
    for k in range(count):
        meeting(case, first + timedelta(days=days * k), level)


def _reviews(actor, police, probation):
    """Cases at levels 2 and 3 at the edges of KPIs 1 and 2."""
    on_time = case_at(Level.THREE, JAN_5, actor=actor, lead_agency=police)
    _every(on_time, Level.THREE, JAN_5, 40, 9)
    # Late in Q2, with a deviation decided during the late gap; two reviews on one day.
    late = case_at(Level.THREE, JAN_5, actor=actor, lead_agency=probation)
    _every(late, Level.THREE, JAN_5, 35, 3)
    meeting(late, date(2026, 5, 20), Level.THREE)
    meeting(late, date(2026, 5, 20), Level.THREE)
    Deviation.objects.create(nominal=late, what="Late review", why="Panel cancelled",
                             decided_by=actor, decided_on=date(2026, 5, 1))
    # Archived mid-quarter, re-activated, archived again; re-activated and archived on
    # one day.
    archived = case_at(Level.THREE, date(2026, 3, 1), actor=actor)
    _every(archived, Level.THREE, date(2026, 3, 1), 30, 3)
    nominal_archive(nominal=archived, reason="Managed elsewhere", actor=actor,
                    on=date(2026, 4, 20))
    nominal_reactivate(nominal=archived, reason="Back", actor=actor, on=date(2026, 6, 10))
    nominal_archive(nominal=archived, reason="Managed elsewhere", actor=actor,
                    on=date(2026, 8, 1))
    nominal_reactivate(nominal=archived, reason="Back", actor=actor, on=date(2026, 8, 1))
    nominal_archive(nominal=archived, reason="Managed elsewhere", actor=actor,
                    on=date(2026, 10, 2))
    # Archived on the day it was set up at the level.
    same_day = case_at(Level.THREE, date(2026, 4, 15), actor=actor)
    nominal_archive(nominal=same_day, reason="Error", actor=actor, on=date(2026, 4, 15))
    # Level 3, then 2, then 3 again in one quarter; a review on the day of each change.
    moving = case_at(Level.THREE, date(2026, 4, 1), actor=actor, lead_agency=police)
    meeting(moving, date(2026, 4, 1), Level.THREE)
    nominal_set_level(nominal=moving, level=Level.TWO, reason="Reduced", actor=actor,
                      on=date(2026, 5, 1))
    meeting(moving, date(2026, 5, 1), Level.TWO)
    nominal_set_level(nominal=moving, level=Level.THREE, reason="Raised", actor=actor,
                      on=date(2026, 6, 1))
    meeting(moving, date(2026, 6, 1), Level.THREE)
    meeting(moving, date(2026, 6, 2), Level.THREE, status=MeetingStatus.CANCELLED)
    meeting(moving, date(2026, 6, 3), Level.THREE, status=MeetingStatus.SCHEDULED)
    # Level 2 with its last review long before the period, and deviations before and after
    # that review.
    stale = case_at(Level.TWO, date(2025, 6, 1), actor=actor, lead_agency=probation)
    meeting(stale, date(2025, 6, 1), Level.TWO)
    meeting(stale, date(2025, 8, 1), Level.TWO)
    for day in (date(2025, 7, 1), date(2025, 9, 1)):
        Deviation.objects.create(nominal=stale, what="No review", why="Unwell",
                                 decided_by=actor, decided_on=day)
    old = case_at(Level.TWO, date(2025, 2, 1), actor=actor)
    meeting(old, date(2025, 2, 1), Level.TWO)
    meeting(old, date(2025, 3, 1), Level.TWO)
    Deviation.objects.create(nominal=old, what="No review", why="Unwell", decided_by=actor,
                             decided_on=date(2025, 2, 10))
    # A review in the period after a gap from long before it, then reviews on time.
    resumed = case_at(Level.THREE, date(2025, 11, 1), actor=actor, lead_agency=police)
    for day in (date(2025, 12, 1), date(2026, 4, 10), date(2026, 5, 15), date(2026, 6, 20)):
        meeting(resumed, day, Level.THREE)
    # Level 2, stepped down to level 1 mid-quarter.
    stepped = case_at(Level.TWO, date(2026, 2, 1), actor=actor, lead_agency=police)
    _every(stepped, Level.TWO, date(2026, 2, 1), 80, 3)
    nominal_set_level(nominal=stepped, level=Level.ONE, reason="Reduced", actor=actor,
                      on=date(2026, 5, 15))


def _meetings(actor, agencies, police):
    """Level 2 and 3 meetings with every outcome of KPIs 3 and 5."""
    case = case_at(Level.TWO, date(2026, 1, 10), actor=actor, lead_agency=police)
    decisions = [(MinutesStatus.FINAL, True, DisclosureDecision.DISCLOSE),
                 (MinutesStatus.FINAL, True, DisclosureDecision.DEFER),
                 (MinutesStatus.FINAL, True, DisclosureDecision.NOT_DISCLOSE),
                 (MinutesStatus.FINAL, False, ""), (MinutesStatus.DRAFT, True, "disclose"),
                 (MinutesStatus.FINAL, False, DisclosureDecision.DISCLOSE), None]
    modes = [(AttendanceMode.IN_PERSON, True), (AttendanceMode.IN_PERSON, None),
             (AttendanceMode.VIDEO, True), (AttendanceMode.TELEPHONE, False),
             (AttendanceMode.REPORT_ONLY, None), (AttendanceMode.ABSENT, True),
             (AttendanceMode.IN_PERSON, False)]
    for k in range(14):
        held = meeting(case, date(2026, 1, 10) + timedelta(days=23 * k),
                       Level.TWO if k % 2 else Level.THREE, emergency=k % 5 == 0)
        if decisions[k % 7]:
            status, considered, decision = decisions[k % 7]
            Minutes.objects.create(meeting=held, number=1, status=status,
                                   disclosure_considered=considered,
                                   disclosure_decision=decision, drafted_by=actor)
        for n, agency in enumerate(agencies):
            if (k + n) % 4 != 3:
                Invitation.objects.create(
                    meeting=held, agency=agency, name="Invitee", reason="standing",
                    withdrawn_at=timezone.now() if (k + n) % 7 == 6 else None)
            if (k + n) % 3:
                mode, meets = modes[(k + n) % 7]
                Attendance.objects.create(meeting=held, agency=agency, mode=mode,
                                          meets_seniority=meets, recorded_by=actor)
                if n == 0:  # a second attendee: the best of them decides
                    Attendance.objects.create(meeting=held, agency=agency,
                                              mode=AttendanceMode.VIDEO, recorded_by=actor)
    meeting(case, date(2026, 3, 3), Level.ONE)
    meeting(case, date(2026, 3, 4), Level.TWO, status=MeetingStatus.SCHEDULED)


@pytest.fixture
def history(board):  # noqa: F811 (the fixture imported above)
    actor = coordinator()
    police = make_agency("Lead police", AgencyKind.POLICE)
    probation = make_agency("Lead probation", AgencyKind.PROBATION)
    agencies = [police, probation, make_agency("Health", AgencyKind.HEALTH_SOCIAL_SERVICES),
                make_agency("Education", AgencyKind.EDUCATION)]
    _reviews(actor, police, probation)
    _meetings(actor, agencies, police)
    for k, day in enumerate((date(2026, 1, 20), date(2026, 4, 20), date(2026, 7, 20))):
        _held(board, day, police=S.PRESENT if k != 1 else S.DEPUTY,
              housing=S.APOLOGIES if k else S.PRESENT)


def _figures(result):
    return result.numerator, result.denominator, result.groups, result.extra


@pytest.mark.parametrize("today", [date(2026, 5, 15), date(2026, 8, 1), date(2026, 10, 2),
                                   date(2027, 1, 10)])
def test_the_figures_counted_by_the_database_are_the_figures_of_the_rows(history, today):
    periods = [p for p in (Period(2025, 4), *Period(2026).quarters(), Period(2026),
                           Period(2025)) if p.start <= today]

    with_rows = measure_all(periods, today=today)
    together = measure_all(periods, today=today, with_rows=False)

    for number in MEASURED:
        for n, period in enumerate(periods):
            # Measured with the others (the trend) and alone (the dashboard's period).
            alone = measure_all([period], today=today, with_rows=False)[number][0]
            expected = _figures(with_rows[number][n])
            assert _figures(together[number][n]) == expected, (number, period)
            assert _figures(alone) == expected, (number, period)
            assert alone.rows == []
    assert with_rows[1][periods.index(Period(2026, 2))].denominator >= 5


def test_the_figures_take_the_same_queries_whatever_the_number_of_periods(history):
    def count(periods):
        with CaptureQueriesContext(connection) as queries:
            measure_all(periods, today=date(2027, 1, 10), with_rows=False)
        return len(queries)

    # KPIs 1 and 2 in one query, KPI 3 in one, KPI 4 in three, KPI 5 in one.
    assert count([Period(2026, 2)]) == count([*Period(2026).quarters(), Period(2026)]) == 6
