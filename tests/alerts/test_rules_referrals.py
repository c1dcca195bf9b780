"""The referral rule of the deadline sweep (§10.4): a referral waits for its meeting until
one is held, due on its meeting-due date; the Co-ordinator acts."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from meetings import rules
from meetings.models import Meeting, MeetingKind, MeetingStatus
from referrals.models import ReferralStatus
from referrals.services import (
    referral_accept,
    referral_create,
    referral_reject,
    referral_submit,
)
from tests.factories import referral_fields

pytestmark = pytest.mark.django_db

BEFORE_EASTER = date(2026, 4, 2)  # Maundy Thursday
# 15 Jersey working days, Good Friday and Easter Monday not counted.
DUE = date(2026, 4, 27)


@pytest.fixture
def run(django_assert_num_queries):
    def run(day, horizon=None):
        with django_assert_num_queries(1):
            return list(rules.referral_meeting_due(day, horizon=horizon or day))
    return run


def refer(referrer, *, on=BEFORE_EASTER, submit=True, **fields):
    agencies = [{"agency": referrer.agency, "contact_name": "Sam Contact",
                 "contact_email": "sam.contact@example.je"}]
    referral = referral_create(actor=referrer, agencies=agencies, **referral_fields(**fields))
    if submit:
        referral = referral_submit(referral=referral, actor=referrer, on=on)
    return referral


def test_a_community_referral_is_due_15_working_days_after_it_is_received(
        run, practitioner):
    referral = refer(practitioner)
    assert referral.meeting_due_by == DUE
    assert run(date(2026, 4, 24)) == []
    row = {"subject_id": referral.pk, "nominal_id": None, "due_on": DUE,
           "assigned_to_id": None}
    assert run(DUE) == [row]
    assert run(date(2026, 4, 28)) == [row]
    assert run(date(2026, 4, 24), DUE) == [row]


def test_the_rule_agrees_with_the_referral_pages_overdue_list(run, practitioner):
    refer(practitioner)
    refer(practitioner, on=date(2026, 3, 2))
    day = date(2026, 4, 28)
    assert {row["subject_id"] for row in run(day, day)} == set(
        rules.meeting_due(day).values_list("pk", flat=True))


def test_a_draft_or_rejected_referral_waits_for_no_meeting(run, practitioner, coordinator):
    refer(practitioner, submit=False)
    rejected = refer(practitioner)
    referral_reject(referral=rejected, actor=coordinator, reason="Not eligible: no offence.")
    assert run(date(2026, 12, 1)) == []


def test_an_accepted_referral_is_due_until_its_meeting_is_held(run, practitioner, coordinator):
    referral = referral_accept(referral=refer(practitioner), actor=coordinator, level="2",
                               category="2", create_new=True)
    assert referral.status == ReferralStatus.ACCEPTED
    [row] = run(DUE)
    assert (row["subject_id"], row["nominal_id"]) == (referral.pk, referral.nominal_id)

    meeting = Meeting.objects.create(
        nominal=referral.nominal, referral=referral, kind=MeetingKind.LEVEL_2,
        starts_at=timezone.make_aware(datetime.combine(date(2026, 4, 29), time(10))),
        created_by=coordinator)
    assert [r["subject_id"] for r in run(date(2026, 4, 28))] == [referral.pk]

    meeting.status = MeetingStatus.HELD
    meeting.save()
    assert run(date(2026, 4, 30)) == []
