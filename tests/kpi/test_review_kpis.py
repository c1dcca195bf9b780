"""KPIs 1 and 2 (§16.2): level 3 cases reviewed at least every six weeks, level 2 cases at
least every 12 weeks, on hand-built histories at the edges."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Deviation, Level
from cases.services import nominal_archive, nominal_set_level
from kpi.indicators import kpi1_level3_reviews, kpi2_level2_reviews
from kpi.periods import Period
from meetings import rules
from meetings.models import MeetingStatus
from tests.kpi.histories import case_at, coordinator, meeting

pytestmark = pytest.mark.django_db

Q2 = Period(2026, 2)  # 1 April to 30 June 2026
AFTER = date(2026, 8, 1)
APRIL_1 = date(2026, 4, 1)


def _row(result, nominal):
    return next(row for row in result.rows if row["nominal_id"] == nominal.pk)


@pytest.mark.parametrize("gap,met", [(41, True), (42, True), (43, False)])
def test_level3_review_no_later_than_42_days_after_the_last(gap, met):
    case = case_at(Level.THREE, APRIL_1)
    meeting(case, APRIL_1, Level.THREE)
    second = APRIL_1 + timedelta(days=gap)
    meeting(case, second, Level.THREE)
    meeting(case, second + timedelta(days=35), Level.THREE)  # then on time to the end

    result = kpi1_level3_reviews(Q2, today=AFTER)

    assert (result.numerator, result.denominator) == (int(met), 1)
    assert _row(result, case)["met"] is met


@pytest.mark.parametrize("gap,met", [(83, True), (84, True), (85, False)])
def test_level2_review_no_later_than_84_days_after_the_last(gap, met):
    case = case_at(Level.TWO, date(2026, 3, 1))
    meeting(case, date(2026, 3, 1), Level.TWO)
    meeting(case, date(2026, 3, 1) + timedelta(days=gap), Level.TWO)
    meeting(case, date(2026, 6, 20), Level.TWO)

    result = kpi2_level2_reviews(Q2, today=AFTER)

    assert (result.numerator, result.denominator) == (int(met), 1)


@pytest.mark.parametrize("last,met", [(date(2026, 5, 19), True), (date(2026, 5, 18), False)])
def test_level3_case_with_no_review_by_the_quarter_end_misses(last, met):
    # 30 June is 42 days after 19 May and 43 after 18 May.
    case = case_at(Level.THREE, APRIL_1)
    meeting(case, APRIL_1, Level.THREE)
    meeting(case, date(2026, 5, 10), Level.THREE)
    meeting(case, last, Level.THREE)

    assert kpi1_level3_reviews(Q2, today=AFTER).numerator == int(met)


def test_the_running_quarter_is_measured_up_to_today_only():
    case = case_at(Level.THREE, APRIL_1)
    meeting(case, APRIL_1, Level.THREE)

    assert kpi1_level3_reviews(Q2, today=date(2026, 5, 13)).numerator == 1  # day 42
    assert kpi1_level3_reviews(Q2, today=date(2026, 5, 14)).numerator == 0  # day 43


@pytest.mark.parametrize("days_at_level3,met", [(42, True), (43, False)])
def test_step_down_mid_quarter_ends_the_level3_measure(days_at_level3, met):
    actor = coordinator()
    case = case_at(Level.THREE, APRIL_1, actor=actor)
    meeting(case, APRIL_1, Level.THREE)
    step_down = APRIL_1 + timedelta(days=days_at_level3)
    meeting(case, step_down, Level.THREE)  # the meeting that steps it down
    nominal_set_level(nominal=case, level=Level.TWO, reason="Risk reduced", actor=actor,
                      on=step_down)

    level3 = kpi1_level3_reviews(Q2, today=AFTER)
    level2 = kpi2_level2_reviews(Q2, today=AFTER)

    assert (level3.numerator, level3.denominator) == (int(met), 1)
    # At level 2 from the step-down, 84 days from it reach beyond 30 June: on time.
    assert (level2.numerator, level2.denominator) == (1, 1)


def test_case_stepped_down_before_the_quarter_is_not_in_it():
    actor = coordinator()
    case = case_at(Level.THREE, date(2026, 1, 5), actor=actor)
    meeting(case, date(2026, 1, 5), Level.THREE)
    nominal_set_level(nominal=case, level=Level.TWO, reason="Risk reduced", actor=actor,
                      on=APRIL_1)

    assert kpi1_level3_reviews(Q2, today=AFTER).denominator == 0


def test_a_case_archived_mid_quarter_is_measured_to_its_archiving():
    actor = coordinator()
    case = case_at(Level.THREE, APRIL_1, actor=actor)
    meeting(case, APRIL_1, Level.THREE)
    nominal_archive(nominal=case, reason="No longer needs management", actor=actor,
                    on=date(2026, 5, 1))

    result = kpi1_level3_reviews(Q2, today=AFTER)

    assert (result.numerator, result.denominator) == (1, 1)


def test_only_held_meetings_are_reviews():
    case = case_at(Level.THREE, APRIL_1)
    meeting(case, APRIL_1, Level.THREE)
    meeting(case, date(2026, 5, 1), Level.THREE, status=MeetingStatus.CANCELLED)
    meeting(case, date(2026, 5, 2), Level.THREE, status=MeetingStatus.SCHEDULED)
    meeting(case, date(2026, 5, 3), Level.TWO)  # another level's meeting is no review here

    assert kpi1_level3_reviews(Q2, today=AFTER).numerator == 0


def test_a_recorded_deviation_explains_a_miss_but_does_not_make_it_a_hit():
    actor = coordinator()
    case = case_at(Level.THREE, APRIL_1, actor=actor)
    meeting(case, APRIL_1, Level.THREE)
    meeting(case, date(2026, 5, 20), Level.THREE)
    meeting(case, date(2026, 6, 20), Level.THREE)
    Deviation.objects.create(nominal=case, what="Review after 7 weeks", why="Panel cancelled",
                             decided_by=actor, decided_on=date(2026, 5, 10))

    result = kpi1_level3_reviews(Q2, today=AFTER)

    assert result.numerator == 0
    assert _row(result, case)["deviation"] is True
    assert result.extra["explained_by_deviation"] == 1


def test_the_kpi_misses_a_review_exactly_when_the_review_alert_falls_due_unmet():
    # The review-due alert's date for a held level 3 meeting is the last day the KPI
    # accepts: the same rule (meetings.rules) decides both.
    case = case_at(Level.THREE, APRIL_1)
    held = meeting(case, APRIL_1, Level.THREE)
    alert_due = next(row["due_on"] for row in rules.review_due(APRIL_1, horizon=date(2027, 1, 1))
                     if row["subject_id"] == held.pk)

    assert kpi1_level3_reviews(Q2, today=alert_due).numerator == 1
    assert kpi1_level3_reviews(Q2, today=alert_due + timedelta(days=1)).numerator == 0


def test_rows_name_the_case_by_reference_and_its_lead_agency():
    case = case_at(Level.THREE, APRIL_1)
    meeting(case, APRIL_1, Level.THREE)

    row = _row(kpi1_level3_reviews(Q2, today=AFTER), case)

    assert row["reference"] == case.reference
    assert row["meetings"] == ["2026-04-01"]
    assert not any(case.family_name in str(value) for value in row.values())


def test_a_year_counts_every_case_managed_at_the_level_in_it():
    first = case_at(Level.THREE, date(2026, 1, 5))
    meeting(first, date(2026, 1, 5), Level.THREE)
    second = case_at(Level.THREE, date(2026, 12, 1))
    meeting(second, date(2026, 12, 1), Level.THREE)

    result = kpi1_level3_reviews(Period(2026), today=date(2027, 2, 1))

    assert result.denominator == 2
    assert result.numerator == 1  # the first had no review after 5 January


def test_review_kpis_take_the_same_queries_whatever_the_number_of_cases():
    def count():
        with CaptureQueriesContext(connection) as queries:
            kpi1_level3_reviews(Q2, today=AFTER)
        return len(queries)

    case = case_at(Level.THREE, APRIL_1)
    meeting(case, APRIL_1, Level.THREE)
    few = count()
    for n in range(4):
        case = case_at(Level.THREE, APRIL_1)
        meeting(case, APRIL_1 + timedelta(days=n), Level.THREE)
        meeting(case, date(2026, 5, 1), Level.THREE)
        Deviation.objects.create(nominal=case, what="x", why="y", decided_by=coordinator(),
                                 decided_on=date(2026, 5, 2))
    assert count() == few == 4
