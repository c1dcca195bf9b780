"""The meeting rules of the deadline sweep: review due (§10.11), minutes due (§10.12) and
non-attendance follow-ups (§10.10), each one query whatever the number of cases."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from cases.models import Level, Status
from cases.services import nominal_archive, nominal_set_level
from jmappa.accounts.models import Role
from meetings import rules
from meetings.models import (
    FollowUp,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from tests.factories import make_agency, make_nominal, make_user

pytestmark = pytest.mark.django_db

KIND = {Level.ONE: MeetingKind.LEVEL_1, Level.TWO: MeetingKind.LEVEL_2,
        Level.THREE: MeetingKind.LEVEL_3}


@pytest.fixture
def run(django_assert_num_queries):
    """The rule's rows on `day` (due soon up to `horizon`), in exactly one query."""
    def run(rule, day, horizon=None):
        with django_assert_num_queries(1):
            return list(rule(day, horizon=horizon or day))
    return run


@pytest.fixture
def manager(coordinator):
    return make_user(roles=[Role.PRACTITIONER], agency=coordinator.agency)


@pytest.fixture
def case(coordinator, manager):
    return make_nominal(actor=coordinator, level=Level.THREE, case_manager=manager)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def meeting(case, on: date, *, level=Level.THREE, status=MeetingStatus.HELD, chair=None,
            **fields) -> Meeting:
    return Meeting.objects.create(
        nominal=case, kind=KIND[level], starts_at=at(on), status=status, chair=chair,
        created_by=case.case_manager or chair, **fields)


def subjects(found) -> set[int]:
    return {row["subject_id"] for row in found}


# -- Review due ---------------------------------------------------------------------------

HELD_ON = date(2026, 3, 2)  # a Monday
LEVEL3_DUE = HELD_ON + timedelta(weeks=6)  # 13 April 2026


def test_level_3_review_is_due_6_weeks_after_the_meeting_on_the_case_manager(
        run, case, manager):
    held = meeting(case, HELD_ON)
    assert run(rules.review_due, LEVEL3_DUE - timedelta(days=1)) == []
    row = {"subject_id": held.pk, "nominal_id": case.pk, "due_on": LEVEL3_DUE,
           "assigned_to_id": manager.pk}
    assert run(rules.review_due, LEVEL3_DUE) == [row]
    assert run(rules.review_due, LEVEL3_DUE + timedelta(days=1)) == [row]


def test_review_shows_as_due_soon_from_the_horizon(run, case):
    held = meeting(case, HELD_ON)
    day = LEVEL3_DUE - timedelta(days=14)
    assert run(rules.review_due, day, LEVEL3_DUE - timedelta(days=1)) == []
    assert subjects(run(rules.review_due, day, LEVEL3_DUE)) == {held.pk}


def test_level_2_review_is_due_12_weeks_after_the_meeting(run, coordinator, manager):
    case = make_nominal(actor=coordinator, level=Level.TWO, case_manager=manager)
    held = meeting(case, HELD_ON, level=Level.TWO)
    due = HELD_ON + timedelta(weeks=12)
    assert held.pk not in subjects(run(rules.review_due, due - timedelta(days=1)))
    [row] = [r for r in run(rules.review_due, due) if r["subject_id"] == held.pk]
    assert row["due_on"] == due


def test_a_level_1_case_has_one_review_obligation_not_two(run, coordinator, manager):
    """§9.2's three months and §10.11's 12 weeks are one obligation, the level 1 review
    (plans.rules), due 12 weeks after the discussion: no review-meeting alert beside it."""
    from cases.models import LevelChange
    from plans import rules as plan_rules

    case = make_nominal(actor=coordinator, level=Level.ONE, case_manager=manager)
    LevelChange.objects.filter(nominal=case).update(date_from=HELD_ON - timedelta(days=30))
    meeting(case, HELD_ON, level=Level.ONE)
    later = HELD_ON + timedelta(weeks=20)
    assert [r for r in run(rules.review_due, later) if r["nominal_id"] == case.pk] == []
    [row] = [r for r in run(plan_rules.level1_review_due_rows, later)
             if r["nominal_id"] == case.pk]
    assert row["due_on"] == HELD_ON + timedelta(weeks=12)


def test_the_review_date_the_minutes_set_is_the_due_date(run, case):
    meeting(case, HELD_ON, next_review_by=date(2026, 3, 30))
    [row] = run(rules.review_due, date(2026, 3, 30))
    assert row["due_on"] == date(2026, 3, 30)
    assert run(rules.review_due, date(2026, 3, 29)) == []


def test_the_due_date_agrees_with_the_meetings_own_review_date_in_jersey_time(run, case):
    from meetings.selectors import review_due

    held = meeting(case, HELD_ON, next_review_by=date(2026, 4, 1))
    # Half past midnight in Jersey (summer time) is still the day before in UTC.
    after_midnight = meeting(case, date(2026, 4, 2))
    after_midnight.starts_at = timezone.make_aware(datetime(2026, 4, 2, 0, 30))
    after_midnight.save()
    [row] = run(rules.review_due, date(2027, 1, 1))
    assert row["subject_id"] == after_midnight.pk != held.pk
    assert row["due_on"] == review_due(after_midnight) == date(2026, 5, 14)


def test_only_the_latest_held_meeting_sets_the_review(run, case):
    meeting(case, HELD_ON - timedelta(weeks=6))
    latest = meeting(case, HELD_ON)
    assert subjects(run(rules.review_due, date(2027, 1, 1))) == {latest.pk}


def test_a_later_meeting_arranged_stops_the_review_alert_and_a_cancelled_one_does_not(
        run, case):
    held = meeting(case, HELD_ON)
    arranged = meeting(case, LEVEL3_DUE + timedelta(days=7), status=MeetingStatus.SCHEDULED)
    assert run(rules.review_due, LEVEL3_DUE + timedelta(days=1)) == []

    arranged.status = MeetingStatus.CANCELLED
    arranged.save()
    assert subjects(run(rules.review_due, LEVEL3_DUE + timedelta(days=1))) == {held.pk}


def test_stepping_down_from_level_3_to_2_gives_the_12_week_window(run, case, coordinator):
    meeting(case, HELD_ON)
    nominal_set_level(nominal=case, level=Level.TWO, reason="Risk reduced", actor=coordinator,
                      on=HELD_ON)
    level2 = meeting(case, HELD_ON + timedelta(days=7), level=Level.TWO)
    due = HELD_ON + timedelta(days=7, weeks=12)
    assert run(rules.review_due, LEVEL3_DUE + timedelta(days=1)) == []
    assert run(rules.review_due, due - timedelta(days=1)) == []
    [row] = run(rules.review_due, due)
    assert (row["subject_id"], row["due_on"]) == (level2.pk, due)


def test_no_review_is_due_for_an_archived_case_or_one_without_a_level(
        run, case, coordinator, manager):
    meeting(case, HELD_ON)
    unknown = make_nominal(actor=coordinator, case_manager=manager)
    assert unknown.level == Level.UNKNOWN
    meeting(unknown, HELD_ON)
    nominal_archive(nominal=case, reason="Order ended", actor=coordinator)
    assert case.status == Status.ARCHIVED
    assert run(rules.review_due, date(2027, 1, 1)) == []


def test_a_meeting_not_yet_held_sets_no_review(run, case):
    meeting(case, HELD_ON, status=MeetingStatus.SCHEDULED)
    assert run(rules.review_due, date(2027, 1, 1)) == []


# -- Minutes due --------------------------------------------------------------------------

BEFORE_CHRISTMAS = date(2026, 12, 18)  # a Friday


@pytest.fixture
def chair(coordinator):
    return coordinator


def held_with_minutes_due(case, chair, on=BEFORE_CHRISTMAS, level=Level.TWO):
    return meeting(case, on, level=level, chair=chair,
                   minutes_due_by=rules.minutes_due_by(on, level))


def test_minutes_over_christmas_are_due_after_the_bank_holidays(run, case, chair):
    held = held_with_minutes_due(case, chair)
    # Christmas Day, the Boxing Day holiday (Monday 28th) and New Year's Day do not count.
    due = date(2027, 1, 6)
    assert held.minutes_due_by == due
    assert run(rules.minutes_due, date(2027, 1, 5)) == []
    row = {"subject_id": held.pk, "nominal_id": case.pk, "due_on": due,
           "assigned_to_id": chair.pk}
    assert run(rules.minutes_due, due) == [row]
    assert run(rules.minutes_due, date(2027, 1, 7)) == [row]


def test_level_3_minutes_are_due_in_5_working_days(run, case, chair):
    held = held_with_minutes_due(case, chair, level=Level.THREE)
    assert held.minutes_due_by == date(2026, 12, 29)
    assert run(rules.minutes_due, date(2026, 12, 24)) == []
    assert subjects(run(rules.minutes_due, date(2026, 12, 24), date(2026, 12, 29))) == {held.pk}


def test_finalised_minutes_clear_the_rule_and_a_draft_does_not(run, case, chair):
    held = held_with_minutes_due(case, chair)
    draft = Minutes.objects.create(meeting=held, drafted_by=chair)
    assert subjects(run(rules.minutes_due, date(2027, 1, 7))) == {held.pk}

    draft.status = MinutesStatus.FINAL
    draft.save()
    assert run(rules.minutes_due, date(2027, 1, 7)) == []

    # A correction under way leaves the minutes produced.
    draft.status = MinutesStatus.SUPERSEDED
    draft.save()
    Minutes.objects.create(meeting=held, number=2, drafted_by=chair)
    assert run(rules.minutes_due, date(2027, 1, 7)) == []


def test_no_minutes_are_due_for_a_level_1_discussion_or_a_meeting_not_held(run, case, chair):
    meeting(case, BEFORE_CHRISTMAS, level=Level.ONE, chair=chair)
    meeting(case, BEFORE_CHRISTMAS, level=Level.TWO, chair=chair,
            status=MeetingStatus.SCHEDULED)
    assert run(rules.minutes_due, date(2027, 6, 1)) == []


# -- Follow-up open -----------------------------------------------------------------------


def test_an_open_follow_up_is_due_on_the_chair_from_the_day_it_opens(run, case, chair):
    held = meeting(case, HELD_ON, chair=chair)
    absent = make_agency("Health")
    follow_up = FollowUp.objects.create(meeting=held, agency=absent, chair=chair,
                                        opened_on=date(2026, 3, 3))
    assert run(rules.follow_up_open, date(2026, 3, 2)) == []
    row = {"subject_id": follow_up.pk, "nominal_id": case.pk, "due_on": date(2026, 3, 3),
           "assigned_to_id": chair.pk}
    assert run(rules.follow_up_open, date(2026, 3, 3)) == [row]
    assert run(rules.follow_up_open, date(2026, 3, 4)) == [row]

    follow_up.closed_on, follow_up.outcome = date(2026, 3, 5), "SPOC will send a report."
    follow_up.save()
    assert run(rules.follow_up_open, date(2026, 3, 5)) == []


def test_a_follow_up_without_its_own_chair_falls_to_the_meetings_chair(run, case, chair):
    held = meeting(case, HELD_ON, chair=chair)
    FollowUp.objects.create(meeting=held, agency=make_agency("Health"),
                            opened_on=date(2026, 3, 3))
    [row] = run(rules.follow_up_open, date(2026, 3, 3))
    assert row["assigned_to_id"] == chair.pk
