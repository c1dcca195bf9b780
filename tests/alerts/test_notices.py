"""Notices: a person told in the application of what happened to them (their referral
decided, an invitation to a meeting), once each, shown on their home page and among their
notifications, for cases they may see."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts import selectors
from alerts.models import NoticeKind, Notification
from jmappa.workdays import add_working_days
from meetings import services as meeting_services
from meetings.models import MeetingKind
from referrals.services import referral_accept, referral_reject
from tests.factories import make_nominal, make_referral

pytestmark = pytest.mark.django_db


def soon() -> datetime:
    return timezone.make_aware(datetime.combine(add_working_days(timezone.localdate(), 2),
                                                time(10)))


def notices_of(user):
    return list(Notification.objects.filter(user=user, alert__isnull=True))


def test_the_referrer_is_told_in_the_application_when_their_referral_is_accepted(
        practitioner, coordinator, practitioner_client):
    referral = make_referral(practitioner)
    referral_accept(referral=referral, actor=coordinator, level="2", category="2",
                    create_new=True)
    [notice] = notices_of(practitioner)
    assert notice.kind == NoticeKind.REFERRAL_DECIDED
    assert referral.reference in notice.text and "accepted" in notice.text
    assert notice.url == reverse("referrals:detail", args=[referral.pk])
    body = practitioner_client.get(reverse("home")).content.decode()
    assert notice.text in body


def test_a_rejected_referral_tells_its_referrer_once(practitioner, coordinator):
    referral = make_referral(practitioner)
    rejected = referral_reject(referral=referral, actor=coordinator,
                               reason="Below the threshold: manage at level 1.")
    rejected.save()  # saved again: nobody is told twice
    [notice] = notices_of(practitioner)
    assert "rejected" in notice.text
    assert not notices_of(coordinator)


def test_an_invitee_is_told_of_the_invitation_and_it_waits_for_their_answer(
        coordinator, outsider, client):
    from tests.helpers import sign_in

    outsider.email = "charlie@example.je"
    outsider.save(update_fields=["email"])
    nominal = make_nominal(actor=coordinator)
    meeting = meeting_services.meeting_schedule(
        nominal=nominal, kind=MeetingKind.EMERGENCY_2, actor=coordinator, chair=coordinator,
        starts_at=soon())
    invitation = meeting_services.invitation_add(meeting=meeting, user=outsider,
                                                 actor=coordinator, send=True)
    [notice] = notices_of(outsider)
    assert notice.kind == NoticeKind.INVITED and nominal.reference in notice.text
    assert nominal.family_name not in notice.text

    sign_in(client, outsider)
    response = client.get(reverse("home"))
    panel = response.context["panels"]["meetings"]
    assert [m.pk for m in panel["to_answer"]] == [meeting.pk]
    body = response.content.decode()
    assert reverse("meetings:respond", args=[invitation.pk]) in body
    assert notice.text in body
    # Reading the notifications marks the notice read: no longer on the home page.
    assert client.get(reverse("alerts:notifications")).status_code == 200
    assert not selectors.unread_notices(outsider).exists()


def test_a_notice_of_a_case_no_longer_visible_is_not_shown(coordinator, outsider):
    nominal = make_nominal(actor=coordinator)
    Notification.objects.create(user=outsider, kind=NoticeKind.INVITED, key="x", text="Hidden",
                                url="/", nominal=nominal, created_at=timezone.now())
    assert not selectors.notifications_for(outsider).exists()
    assert selectors.unread_count(outsider) == 0
