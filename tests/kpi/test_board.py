"""The Board in the application (§15.2, §15.3): its secretariat appoints members to seats,
hands over the chair, arranges meetings and records each member's attendance, which KPI 4
then measures; its members read it; nobody else reaches it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jmappa.accounts.models import AgencyKind, Grade, Role
from kpi import services
from kpi.indicators import kpi4_smb_attendance
from kpi.models import SmbAttendance, SmbChair, SmbMeeting, SmbMembership
from kpi.models import SmbAttendanceStatus as S
from kpi.periods import Period
from tests.factories import make_agency, make_user
from tests.helpers import content, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(coordinator, police, housing):
    police_seat = services.smb_seat_create(
        name="Police Service", agency=police, seniority="Superintendent or above",
        minimum_grade=Grade.SENIOR_MANAGER, actor=coordinator, position=1)
    housing_seat = services.smb_seat_create(
        name="Housing", agency=housing, seniority="Senior management",
        minimum_grade=Grade.SENIOR_MANAGER, actor=coordinator, position=2)
    superintendent = make_user("supt", roles=[Role.SMB_MEMBER], agency=police,
                               grade=Grade.SENIOR_MANAGER, first_name="Alan",
                               last_name="Le Sueur")
    since = date(2025, 1, 1)
    services.smb_member_appoint(seat=police_seat, member=superintendent, on=since,
                                actor=coordinator)
    services.smb_chair_appoint(member=superintendent, on=since, actor=coordinator)
    return {"police_seat": police_seat, "housing_seat": housing_seat, "housing": housing,
            "superintendent": superintendent}


@pytest.fixture
def administrator(police):
    return make_user("ada", roles=[Role.ADMINISTRATOR], agency=police)


def test_the_secretariat_appoints_a_member_and_one_below_the_seats_grade_is_flagged(
        client, board, administrator):
    manager = make_user("peter", roles=[Role.SMB_MEMBER], agency=board["housing"],
                        grade=Grade.MIDDLE_MANAGER, first_name="Peter", last_name="Mourant")
    sign_in(client, administrator)
    form = content(client.get(reverse("kpi:appoint", args=[board["housing_seat"].pk])))
    assert "The seat asks for: Senior management (§15.2)" in form
    answer = client.post(reverse("kpi:appoint", args=[board["housing_seat"].pk]), {
        "member": manager.pk, "on": timezone.localdate().isoformat()}, follow=True)
    page = content(answer)
    assert "below the grade the seat asks" in page
    assert SmbMembership.objects.get(seat=board["housing_seat"]).member == manager
    page = content(client.get(reverse("kpi:board")))
    assert "Peter Mourant" in page and "Below the seat" in page


def test_the_chair_is_a_senior_member_of_police_probation_or_prison(
        client, board, coordinator):
    housing_head = make_user("hh", roles=[Role.SMB_MEMBER], agency=board["housing"],
                             grade=Grade.EXECUTIVE)
    sign_in(client, coordinator)
    answer = client.post(reverse("kpi:chair"), {
        "member": housing_head.pk, "on": timezone.localdate().isoformat()})
    assert answer.status_code == 200  # not offered, and refused if posted
    assert SmbChair.objects.get(date_to__isnull=True).member == board["superintendent"]
    probation = make_agency("Probation", AgencyKind.PROBATION)
    aco = make_user("aco", roles=[Role.SMB_MEMBER], agency=probation,
                    grade=Grade.SENIOR_MANAGER, first_name="Mary", last_name="Vibert")
    client.post(reverse("kpi:chair"), {"member": aco.pk,
                                       "on": timezone.localdate().isoformat()})
    assert SmbChair.objects.get(date_to__isnull=True).member == aco
    page = content(client.get(reverse("kpi:board")))
    assert "Mary Vibert" in page and "Previous Chairs" in page


def test_a_board_meeting_is_arranged_and_its_attendance_counts_in_kpi_4(
        client, board, administrator):
    sign_in(client, administrator)
    held_on = timezone.localdate() - timedelta(days=1)
    client.post(reverse("kpi:board_meeting_add"), {
        "on": held_on.isoformat(), "location": "Police Headquarters",
        "agenda": "KPI report; case audit"})
    meeting = SmbMeeting.objects.get()
    assert meeting.chair == board["superintendent"]
    membership = SmbMembership.objects.get(seat=board["police_seat"])

    # A deputy needs a name: refused beside the field, nothing recorded.
    url = reverse("kpi:attendance", args=[meeting.pk])
    answer = client.post(url, {f"member_{membership.pk}": S.DEPUTY})
    assert answer.status_code == 200 and "Give the name of the deputy sent" in content(answer)
    assert not SmbAttendance.objects.exists()

    client.post(url, {f"member_{membership.pk}": S.PRESENT})
    assert SmbAttendance.objects.get().status == S.PRESENT
    result = kpi4_smb_attendance(Period.quarter_of(held_on), today=timezone.localdate())
    assert result.numerator == result.denominator == 1
    page = content(client.get(reverse("kpi:board_meeting", args=[meeting.pk])))
    assert "Alan Le Sueur" in page and "Present" in page


def test_a_meetings_attendance_is_recorded_on_the_day_or_after(client, board, administrator):
    sign_in(client, administrator)
    meeting = services.smb_meeting_create(on=timezone.localdate() + timedelta(days=7),
                                          actor=administrator)
    membership = SmbMembership.objects.get(seat=board["police_seat"])
    answer = client.post(reverse("kpi:attendance", args=[meeting.pk]),
                         {f"member_{membership.pk}": S.PRESENT})
    assert "recorded on the day or after" in content(answer)
    assert not SmbAttendance.objects.exists()


def test_members_read_the_board_and_only_the_secretariat_changes_it(client, board, police,
                                                                    outsider):
    meeting = services.smb_meeting_create(on=timezone.localdate(), actor=board[
        "superintendent"])
    sign_in(client, board["superintendent"])
    assert client.get(reverse("kpi:board")).status_code == 200
    assert client.get(reverse("kpi:board_meeting", args=[meeting.pk])).status_code == 200
    for url in (reverse("kpi:chair"), reverse("kpi:board_meeting_add"),
                reverse("kpi:appoint", args=[board["housing_seat"].pk]),
                reverse("kpi:attendance", args=[meeting.pk])):
        assert client.get(url).status_code == 403, url
    client.logout()
    sign_in(client, outsider)  # a practitioner: no part in the Board
    for url in (reverse("kpi:board"), reverse("kpi:board_meeting", args=[meeting.pk]),
                reverse("kpi:chair")):
        assert client.get(url).status_code == 403, url
