"""The Board's minutes and actions (§15.3): drafted by the secretariat once the meeting is
held, a stale save refused, finalised by the meeting's Chair and then never changed; actions
with an owner and a date, recorded done."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from jmappa.accounts.models import Grade, Role
from jmappa.core.versioning import StaleEdit
from kpi import services
from kpi.models import SmbAction, SmbAttendanceStatus, SmbMinutes, SmbMinutesStatus
from tests.factories import make_user
from tests.helpers import content, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(police):
    return make_user("ada", roles=[Role.ADMINISTRATOR], agency=police)


@pytest.fixture
def chair(police, coordinator):
    member = make_user("supt", roles=[Role.SMB_MEMBER], agency=police,
                       grade=Grade.SENIOR_MANAGER, first_name="Alan", last_name="Le Sueur")
    services.smb_chair_appoint(member=member, on=date(2025, 1, 1), actor=coordinator)
    return member


@pytest.fixture
def held(chair, administrator, coordinator):
    seat = services.smb_seat_create(name="Police Service", seniority="Superintendent",
                                    minimum_grade=Grade.SENIOR_MANAGER, actor=coordinator)
    membership = services.smb_member_appoint(seat=seat, member=chair, on=date(2025, 1, 1),
                                             actor=coordinator)
    meeting = services.smb_meeting_create(on=timezone.localdate() - timedelta(days=2),
                                          actor=administrator)
    return services.smb_meeting_record(
        meeting=meeting, actor=administrator,
        attendance={membership.pk: (SmbAttendanceStatus.PRESENT, "")})


def test_minutes_are_written_once_the_meeting_is_held(chair, administrator):
    planned = services.smb_meeting_create(on=timezone.localdate() + timedelta(days=7),
                                          actor=administrator)
    with pytest.raises(ValidationError, match="once the meeting is held"):
        services.smb_minutes_save(meeting=planned, actor=administrator, version=None,
                                  present="", discussion="Something.")


def test_a_stale_save_of_the_minutes_is_refused(held, administrator, coordinator):
    first = services.smb_minutes_save(meeting=held, actor=administrator, version=None,
                                      present="", discussion="The KPI report.")
    services.smb_minutes_save(meeting=held, actor=coordinator, version=first.version,
                              present="", discussion="The KPI report, and the audit.")
    with pytest.raises(StaleEdit):
        services.smb_minutes_save(meeting=held, actor=administrator, version=first.version,
                                  present="", discussion="Overwriting.")
    assert SmbMinutes.objects.get().discussion == "The KPI report, and the audit."


def test_the_meetings_chair_finalises_and_the_final_minutes_never_change(
        held, administrator, chair):
    minutes = services.smb_minutes_save(meeting=held, actor=administrator, version=None,
                                        present="", discussion="The KPI report.")
    with pytest.raises(PermissionDenied):
        services.smb_minutes_finalise(minutes=minutes, actor=administrator,
                                      version=minutes.version)
    final = services.smb_minutes_finalise(minutes=minutes, actor=chair,
                                          version=minutes.version)
    assert final.status == SmbMinutesStatus.FINAL and final.finalised_by == chair
    with pytest.raises(ValidationError, match="final"):
        services.smb_minutes_save(meeting=held, actor=administrator, version=final.version,
                                  present="", discussion="Changed afterwards.")


def test_an_action_needs_what_who_and_a_date_after_the_meeting(held, administrator):
    with pytest.raises(ValidationError) as refused:
        services.smb_action_add(meeting=held, actor=administrator, description="",
                                owner=None, due_date=held.date - timedelta(days=1))
    assert set(refused.value.message_dict) == {"description", "owner", "due_date"}
    action = services.smb_action_add(meeting=held, actor=administrator, owner=administrator,
                                     description="Circulate the training plan.",
                                     due_date=held.date + timedelta(days=30))
    done = services.smb_action_done(action=action, actor=administrator,
                                    done_on=timezone.localdate(), done_note="Sent.")
    assert done.done_on == timezone.localdate()


def test_the_secretariat_writes_the_minutes_and_the_chair_finalises_them_on_the_page(
        client, held, administrator, chair):
    sign_in(client, administrator)
    form = client.get(reverse("kpi:board_minutes", args=[held.pk]))
    assert "Alan Le Sueur (Police Service): present" in content(form)
    client.post(reverse("kpi:board_minutes", args=[held.pk]), {
        "present": "All present.", "discussion": "The KPI report for the quarter."})
    client.post(reverse("kpi:board_action_add", args=[held.pk]), {
        "description": "Bring the media strategy for approval.", "owner": administrator.pk,
        "due_date": (timezone.localdate() + timedelta(days=20)).isoformat()})
    assert SmbAction.objects.count() == 1
    assert client.post(reverse("kpi:board_minutes_finalise", args=[held.pk])).status_code \
        == 403
    client.logout()
    sign_in(client, chair)
    page = content(client.get(reverse("kpi:board_meeting", args=[held.pk])))
    assert "The KPI report for the quarter." in page and "Make the minutes final" in page
    assert "Bring the media strategy for approval." in page
    client.post(reverse("kpi:board_minutes_finalise", args=[held.pk]),
                {"version": SmbMinutes.objects.get().version})
    assert SmbMinutes.objects.get().status == SmbMinutesStatus.FINAL
    assert client.get(reverse("kpi:board_minutes", args=[held.pk])).status_code == 403


def test_the_boards_minutes_and_actions_are_the_boards_only(client, held, administrator,
                                                            outsider):
    action = services.smb_action_add(meeting=held, actor=administrator, owner=administrator,
                                     description="Act.", due_date=held.date)
    sign_in(client, outsider)
    for url in (reverse("kpi:board_minutes", args=[held.pk]),
                reverse("kpi:board_action_add", args=[held.pk]),
                reverse("kpi:board_action_done", args=[action.pk])):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("kpi:board_minutes_finalise", args=[held.pk])).status_code \
        == 403
