"""Non-attendance escalated to the Board (§10.10): where the SPOC's follow-up does not
improve an agency's engagement, the JMAPP Chair escalates it; the SMB Chair is alerted and
records the Board's outcome. The Board sees the agency and the meeting, never the case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert, Rule
from alerts.selectors import alerts_for, subject_link
from alerts.sweep import sweep
from jmappa.accounts.models import AgencyKind, Grade, Role
from kpi import services
from meetings.models import FollowUp
from meetings.services import attendance
from tests.factories import make_agency, make_nominal, make_user
from tests.helpers import content, sign_in
from tests.meetings.test_minutes_services import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def smb_chair(police):
    chair = make_user("supt", roles=[Role.SMB_MEMBER], agency=police,
                      grade=Grade.SENIOR_MANAGER, first_name="Alan", last_name="Le Sueur")
    services.smb_chair_appoint(member=chair, on=date(2025, 1, 1), actor=chair)
    return chair


@pytest.fixture
def follow_up(coordinator):
    nominal = make_nominal(actor=coordinator, given_names="Terence",
                           family_name="Le Marquand")
    meeting = make_meeting(nominal, chair=coordinator,
                           on=timezone.localdate() - timedelta(days=30))
    agency = make_agency("Mental Health", AgencyKind.MENTAL_HEALTH)
    return FollowUp.objects.create(meeting=meeting, agency=agency, chair=coordinator,
                                   opened_on=timezone.localdate() - timedelta(days=29))


def test_an_escalated_follow_up_alerts_the_smb_chair_until_the_board_records_its_outcome(
        follow_up, coordinator, smb_chair, practitioner):
    attendance.follow_up_close(follow_up=follow_up, actor=coordinator, escalate=True,
                               outcome="No one to send, no reports either.")
    today = timezone.localdate()
    sweep(today, rules=[Rule.FOLLOW_UP_ESCALATED])
    alert = Alert.objects.get(rule=Rule.FOLLOW_UP_ESCALATED, subject_id=follow_up.pk)
    assert alert.assigned_to == smb_chair and alert.nominal is None
    assert alerts_for(smb_chair, mine=True, rule=Rule.FOLLOW_UP_ESCALATED).exists()
    assert not alerts_for(practitioner).filter(rule=Rule.FOLLOW_UP_ESCALATED).exists()
    assert subject_link(alert)[1] == reverse("kpi:escalations")

    services.escalation_close(follow_up=follow_up, actor=smb_chair,
                              outcome="The Director will send a deputy or a report.")
    sweep(today, rules=[Rule.FOLLOW_UP_ESCALATED])
    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_a_follow_up_closed_without_escalation_stays_with_the_chair(follow_up, coordinator):
    attendance.follow_up_close(follow_up=follow_up, actor=coordinator,
                               outcome="The SPOC will send a report next time.")
    follow_up.refresh_from_db()
    assert follow_up.escalated_on is None
    sweep(timezone.localdate(), rules=[Rule.FOLLOW_UP_ESCALATED])
    assert not Alert.objects.filter(rule=Rule.FOLLOW_UP_ESCALATED).exists()


def test_the_chair_escalates_from_the_close_form(client, follow_up, coordinator):
    sign_in(client, coordinator)
    answer = client.post(reverse("meetings:follow_up_close", args=[follow_up.pk]), {
        "outcome": "No improvement.", "escalate": "on"}, follow=True)
    assert "escalated to the SMB Chair" in content(answer)
    follow_up.refresh_from_db()
    assert follow_up.escalated_on == timezone.localdate()
    assert follow_up.escalated_by == coordinator


def test_the_board_sees_the_agency_and_the_meeting_never_the_case(
        client, follow_up, coordinator, smb_chair, police):
    attendance.follow_up_close(follow_up=follow_up, actor=coordinator, escalate=True,
                               outcome="No one to send.")
    member = make_user("member", roles=[Role.SMB_MEMBER], agency=police)
    sign_in(client, member)
    page = content(client.get(reverse("kpi:escalations")))
    assert "Mental Health" in page and "No one to send" not in page
    assert "Marquand" not in page and follow_up.meeting.nominal.reference not in page
    # Only the SMB Chair (or the secretariat) records the Board's outcome.
    assert client.get(reverse("kpi:escalation_close", args=[follow_up.pk])).status_code \
        == 403
    client.logout()
    sign_in(client, smb_chair)
    form = client.get(reverse("kpi:escalation_close", args=[follow_up.pk]))
    assert "No one to send." in content(form)
    client.post(reverse("kpi:escalation_close", args=[follow_up.pk]),
                {"board_outcome": "The Director will send a deputy."})
    follow_up.refresh_from_db()
    assert follow_up.board_closed_on == timezone.localdate()


def test_escalations_are_the_boards_only(client, follow_up, coordinator, outsider):
    attendance.follow_up_close(follow_up=follow_up, actor=coordinator, escalate=True,
                               outcome="No one to send.")
    sign_in(client, outsider)
    for url in (reverse("kpi:escalations"),
                reverse("kpi:escalation_close", args=[follow_up.pk])):
        assert client.get(url).status_code == 403, url
