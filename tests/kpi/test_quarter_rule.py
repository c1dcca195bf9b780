"""The Board meets at least quarterly (§15.3): a quarter with no Board meeting is an alert to
the Administrator, its secretariat. The running quarter's, while nothing is held or arranged
in it, due on its last day; last quarter's, when no meeting was held in it, overdue until the
Board next meets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from alerts.models import Alert, Rule
from alerts.registry import RULES
from alerts.selectors import alerts_for, subject_link
from alerts.sweep import sweep
from jmappa.accounts.models import Grade, Role
from kpi import services
from kpi.models import SmbMeeting, SmbMeetingStatus
from tests.factories import make_user

pytestmark = pytest.mark.django_db

RULE = Rule.QUARTER_WITHOUT_SMB_MEETING
DAY = date(2026, 11, 16)  # in Q4 2026; Q3 ran 1 July to 30 September


@pytest.fixture
def administrator(police):
    return make_user("ada", roles=[Role.ADMINISTRATOR], agency=police)


@pytest.fixture
def board(administrator, police):
    """A Board with one member since the start of 2026."""
    seat = services.smb_seat_create(name="Police Service", seniority="Superintendent or above",
                                    minimum_grade=Grade.SENIOR_MANAGER, agency=police,
                                    actor=administrator)
    member = make_user("supt", roles=[Role.SMB_MEMBER], agency=police,
                       grade=Grade.SENIOR_MANAGER)
    return services.smb_member_appoint(seat=seat, member=member, on=date(2026, 1, 1),
                                       actor=administrator)


def due(day: date) -> dict[int, date]:
    return {row["subject_id"]: row["due_on"] for row in RULES[RULE].rows(day)}


def meet(on: date, actor, *, held: bool = True) -> SmbMeeting:
    meeting = services.smb_meeting_create(on=on, actor=actor)
    if held:
        SmbMeeting.objects.filter(pk=meeting.pk).update(status=SmbMeetingStatus.HELD)
    return meeting


def test_a_quarter_with_nothing_arranged_is_due_by_its_last_day_and_last_quarter_unmet_overdue(
        board, administrator):
    assert due(DAY) == {20264: date(2026, 12, 31), 20263: date(2026, 9, 30)}


def test_a_meeting_arranged_in_the_running_quarter_answers_it_but_not_last_quarter(
        board, administrator):
    meet(date(2026, 12, 10), administrator, held=False)
    assert due(DAY) == {20263: date(2026, 9, 30)}


def test_a_meeting_held_on_the_last_day_of_the_quarter_counts_for_it(board, administrator):
    meet(date(2026, 9, 30), administrator)
    assert 20263 not in due(DAY)
    assert due(date(2026, 10, 1)) == {20264: date(2026, 12, 31)}


def test_a_meeting_held_the_day_after_the_quarter_does_not_count_for_it_until_it_is_held(
        board, administrator):
    meeting = meet(date(2026, 10, 1), administrator, held=False)
    assert 20263 in due(DAY)
    SmbMeeting.objects.filter(pk=meeting.pk).update(status=SmbMeetingStatus.HELD)
    # The Board has met since: last quarter's alert is answered, and so is this quarter's.
    assert due(DAY) == {}


def test_a_cancelled_meeting_is_no_meeting(board, administrator):
    meeting = meet(date(2026, 12, 10), administrator, held=False)
    SmbMeeting.objects.filter(pk=meeting.pk).update(status=SmbMeetingStatus.CANCELLED)
    assert 20264 in due(DAY)


def test_no_alert_before_the_board_has_members(administrator):
    assert due(DAY) == {}


def test_the_alert_goes_to_the_administrator_with_the_board_page_and_resolves_when_it_meets(
        board, administrator, practitioner):
    sweep(DAY, rules=[RULE])
    alert = Alert.objects.get(rule=RULE, subject_id=20263)
    assert alert.nominal is None and alert.assigned_role == Role.ADMINISTRATOR
    assert alert.due_on == date(2026, 9, 30)
    assert alerts_for(administrator, mine=True, rule=RULE, today=DAY).filter(
        subject_id=20263).exists()
    assert not alerts_for(practitioner, rule=RULE, today=DAY).exists()
    assert subject_link(alert) == ("Board meetings in Q3 2026", reverse("kpi:board"))

    meet(DAY - timedelta(days=1), administrator)
    sweep(DAY, rules=[RULE])
    assert not Alert.objects.open().filter(rule=RULE).exists()
