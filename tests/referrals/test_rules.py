"""The referral's meeting-due date (§10.4), with Jersey working days."""

from datetime import date

import pytest

from meetings import rules as meeting_rules
from referrals import rules
from referrals.models import Referral, ReferralStatus, Urgency
from tests.factories import make_referral


def due(received_on, *, urgency=Urgency.NEXT_MEETING, custody_status="community", **dates):
    return rules.meeting_due_by(received_on=received_on, urgency=urgency,
                                custody_status=custody_status, **dates)


def test_community_meeting_due_fifteen_working_days_after_receipt():
    # Monday 23 November 2026: three full weeks, no holiday in between.
    assert due(date(2026, 11, 23)) == date(2026, 12, 14)


def test_referral_received_on_friday_counts_from_monday():
    assert due(date(2026, 11, 20)) == date(2026, 12, 11)


def test_referral_received_on_saturday_counts_from_monday_too():
    assert due(date(2026, 11, 21)) == date(2026, 12, 11)


def test_christmas_and_boxing_day_substitute_and_new_year_do_not_count():
    # Christmas Day (Fri 25), Boxing Day's substitute (Mon 28) and New Year's Day (Fri 1):
    # three days later than plain weekdays would give (Friday 1 January).
    assert due(date(2026, 12, 11)) == date(2027, 1, 6)


def test_easter_early_may_and_liberation_day_do_not_count():
    # 2025: Good Friday 18 April, Easter Monday 21, Early May 5, Liberation Day Friday 9 May.
    assert due(date(2025, 4, 17)) == date(2025, 5, 14)


def test_liberation_day_on_a_saturday_gives_no_extra_day():
    # From Fri 1 May 2026: Early May Mon 4 and Spring Mon 25 are holidays, Sat 9 is not a
    # working day anyway: 4 days of that week, then 5, 5, and Tue 26 is the fifteenth.
    assert due(date(2026, 5, 1)) == date(2026, 5, 26)


def test_custody_meeting_due_six_months_before_temporary_release_eligibility():
    assert due(date(2026, 11, 23), custody_status="custody",
               temporary_release_date=date(2027, 9, 15),
               earliest_release_date=date(2028, 1, 10)) == date(2027, 3, 15)


def test_custody_without_temporary_release_date_uses_earliest_release_date():
    assert due(date(2026, 11, 23), custody_status="custody",
               earliest_release_date=date(2027, 9, 15)) == date(2027, 3, 15)


def test_six_months_before_a_month_end_is_the_shorter_months_last_day():
    assert due(date(2026, 11, 23), custody_status="custody",
               temporary_release_date=date(2027, 8, 31)) == date(2027, 2, 28)
    assert due(date(2026, 11, 23), custody_status="custody",
               temporary_release_date=date(2028, 8, 31)) == date(2028, 2, 29)


def test_hospital_case_due_six_months_before_discharge():
    assert due(date(2026, 11, 23), custody_status="hospital",
               earliest_release_date=date(2027, 12, 1)) == date(2027, 6, 1)


def test_late_custody_referral_is_due_on_a_date_already_past():
    # Referred 3 months before release: the 6-month date has gone, and the page says so.
    assert due(date(2026, 11, 23), custody_status="custody",
               temporary_release_date=date(2027, 2, 23)) == date(2026, 8, 23)


def test_emergency_referral_is_due_the_day_it_is_received():
    assert due(date(2026, 12, 24), urgency=Urgency.EMERGENCY) == date(2026, 12, 24)
    assert due(date(2026, 11, 23), urgency=Urgency.EMERGENCY, custody_status="custody",
               temporary_release_date=date(2027, 9, 15)) == date(2026, 11, 23)


@pytest.mark.parametrize("status,overdue", [
    (ReferralStatus.SUBMITTED, True), (ReferralStatus.INFO_REQUESTED, True),
    (ReferralStatus.ACCEPTED, True), (ReferralStatus.REJECTED, False),
    (ReferralStatus.LEVEL_1, False),
])
def test_overdue_after_the_due_day_while_waiting_for_a_meeting(status, overdue):
    referral = Referral(status=status, meeting_due_by=date(2026, 12, 14))
    assert rules.is_overdue(referral, date(2026, 12, 13)) is False
    assert rules.is_overdue(referral, date(2026, 12, 14)) is False
    assert rules.is_overdue(referral, date(2026, 12, 15)) is overdue


def test_meeting_due_lists_referrals_due_within_the_horizon(practitioner):
    soon = make_referral(practitioner)
    emergency = make_referral(practitioner, urgency=Urgency.EMERGENCY)
    make_referral(practitioner, submit=False)
    received = soon.received_on
    assert set(meeting_rules.meeting_due(received)) == {emergency}
    assert set(meeting_rules.meeting_due(soon.meeting_due_by)) == {emergency, soon}
    assert set(meeting_rules.meeting_due(received, within=15)) == {emergency, soon}


def test_an_accepted_referral_is_no_longer_due_once_its_meeting_is_held(practitioner,
                                                                        coordinator):
    from django.utils import timezone

    from cases.models import Category, Level
    from meetings.models import Meeting, MeetingKind, MeetingStatus
    from referrals.services import referral_accept, referral_submit

    referral = make_referral(practitioner, submit=False)
    referral = referral_submit(referral=referral, actor=practitioner, on=date(2026, 10, 1))
    referral = referral_accept(referral=referral, actor=coordinator, level=Level.TWO,
                               category=Category.TWO)
    day = date(2026, 11, 23)
    assert rules.is_overdue(referral, day)
    assert list(meeting_rules.meeting_due(day)) == [referral]
    meeting = Meeting.objects.create(
        nominal=referral.nominal, referral=referral, kind=MeetingKind.LEVEL_2,
        starts_at=timezone.now(), status=MeetingStatus.SCHEDULED, created_by=coordinator)
    assert rules.is_overdue(Referral.objects.get(pk=referral.pk), day)
    meeting.status = MeetingStatus.HELD
    meeting.save()
    assert not rules.is_overdue(Referral.objects.get(pk=referral.pk), day)
    assert list(meeting_rules.meeting_due(day)) == []
