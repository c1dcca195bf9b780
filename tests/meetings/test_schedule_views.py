"""The pages of arranging and holding meetings (meetings/views/): the need-to-know rule on
every page (a meeting of a case the user may not see answers 404; the Administrator's pages
answer 403 to a practitioner on the case), scheduling with the due date, answering,
attendance, the Administrator's panel dates and standing membership, the case page's
section, and a meetings list whose cost does not grow with its length."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Level
from jmappa.accounts.models import Grade, Role
from jmappa.audit.models import AuditEvent, Verb
from meetings import services
from meetings.models import (
    AttendanceMode,
    FollowUp,
    InvitationResponse,
    Meeting,
    MeetingKind,
    MeetingStatus,
    PanelDate,
    StandingMembership,
)
from tests.factories import make_nominal, make_user
from tests.helpers import sign_in
from tests.meetings.test_schedule_services import (
    accepted_referral,
    at,
    make_panel,
    schedule,
    working_day,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def body(response) -> str:
    return response.content.decode()


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def administrator(police):
    return make_user("dora", roles=[Role.ADMINISTRATOR], agency=police, first_name="Dora",
                     last_name="Administrator", email="dora@police.example.je")


@pytest.fixture
def case(coordinator, practitioner):
    """Bob manages the case; alice (Co-ordinator) sees it; charlie does not."""
    return make_nominal(actor=coordinator, case_manager=practitioner)


@pytest.fixture
def meeting(case, coordinator):
    """An emergency level 2 meeting an hour ago, not yet recorded: bob is invited as case
    manager, and the Police have an open follow-up from an earlier attendance."""
    meeting = schedule(coordinator, case, kind=MeetingKind.EMERGENCY_2,
                       starts_at=timezone.now() - timedelta(hours=1))
    return meeting


def meeting_pages(meeting) -> list[tuple[str, str]]:
    """(method, url) of every page about one meeting, its invitations and follow-ups."""
    invitation = meeting.invitations.first()
    follow_up = FollowUp.objects.create(meeting=meeting, agency=invitation.agency,
                                        chair=meeting.chair, opened_on=timezone.localdate())
    pk = meeting.pk
    return [
        ("get", reverse("meetings:detail", args=[pk])),
        ("get", reverse("meetings:cancel", args=[pk])),
        ("get", reverse("meetings:offender_information", args=[pk])),
        ("get", reverse("meetings:attendance", args=[pk])),
        ("get", reverse("meetings:invitation_add", args=[pk])),
        ("post", reverse("meetings:invitations_send", args=[pk])),
        ("post", reverse("meetings:invitations_build", args=[pk])),
        ("get", reverse("meetings:respond", args=[invitation.pk])),
        ("get", reverse("meetings:invitation_withdraw", args=[invitation.pk])),
        ("get", reverse("meetings:follow_up_close", args=[follow_up.pk])),
        ("get", reverse("meetings:schedule", args=[meeting.nominal_id])),
    ]


# -- who sees what --------------------------------------------------------------------------------


def test_every_meeting_page_is_404_for_someone_outside_the_case(meeting, outsider,
                                                                coordinator, practitioner):
    charlie = client_for(outsider)
    for method, url in meeting_pages(meeting):
        response = getattr(charlie, method)(url)
        assert response.status_code == 404, url
    referral = accepted_referral(practitioner, coordinator)
    response = charlie.get(reverse("meetings:schedule_referral", args=[referral.pk]))
    assert response.status_code == 404


def test_the_administrators_pages_are_403_for_a_practitioner_on_the_case(
        meeting, practitioner, coordinator):
    bob = client_for(practitioner)
    invitation = meeting.invitations.get(user=practitioner)
    panel = make_panel(coordinator)
    referral = accepted_referral(practitioner, coordinator)
    for method, url in [
        ("get", reverse("meetings:cancel", args=[meeting.pk])),
        ("get", reverse("meetings:invitation_add", args=[meeting.pk])),
        ("post", reverse("meetings:invitations_send", args=[meeting.pk])),
        ("post", reverse("meetings:invitations_build", args=[meeting.pk])),
        ("get", reverse("meetings:invitation_withdraw", args=[invitation.pk])),
        ("get", reverse("meetings:attendance", args=[meeting.pk])),
        ("get", reverse("meetings:schedule", args=[meeting.nominal_id])),
        ("get", reverse("meetings:schedule_referral", args=[referral.pk])),
        ("get", reverse("meetings:panels")),
        ("get", reverse("meetings:panel_add")),
        ("get", reverse("meetings:panel_cancel", args=[panel.pk])),
        ("get", reverse("meetings:standing", args=["2"])),
        ("post", reverse("meetings:standing_fill", args=["3"])),
    ]:
        response = getattr(bob, method)(url)
        assert response.status_code == 403, url
    # What is his on the case: the meeting, his own answer, the offender's information.
    assert bob.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
    assert bob.get(reverse("meetings:respond", args=[invitation.pk])).status_code == 200
    assert bob.get(reverse("meetings:offender_information",
                           args=[meeting.pk])).status_code == 200


def test_someone_on_the_case_may_not_answer_for_another_invitee(meeting, coordinator, police):
    colleague = make_user(agency=police)
    services.invitation_add(meeting=meeting, user=colleague, actor=coordinator)
    bobs = meeting.invitations.get(user=meeting.nominal.case_manager)
    response = client_for(colleague).get(reverse("meetings:respond", args=[bobs.pk]))
    assert response.status_code == 403


def test_the_meetings_list_shows_only_meetings_of_cases_the_user_sees(meeting, outsider,
                                                                      practitioner):
    def listed(user) -> list[int]:
        context = client_for(user).get(reverse("meetings:list")).context
        return [m.pk for m in context["upcoming"] + context["recent"]]

    assert listed(outsider) == []
    assert listed(practitioner) == [meeting.pk]


def test_the_meetings_list_costs_the_same_for_two_meetings_or_eight(coordinator, practitioner,
                                                                    police):
    bob = client_for(practitioner)

    def add(count):
        for _ in range(count):
            nominal = make_nominal(actor=coordinator, case_manager=practitioner)
            schedule(coordinator, nominal, chair=coordinator)
            schedule(coordinator, nominal, kind=MeetingKind.EMERGENCY_3,
                     starts_at=timezone.now() - timedelta(days=3))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = bob.get(reverse("meetings:list"))
        assert response.status_code == 200
        return len(captured), len(response.context["upcoming"]) + len(response.context["recent"])

    add(1)
    few, rows = queries()
    assert rows == 2
    add(3)
    many, rows = queries()
    assert rows == 8
    assert many == few


# -- the meeting page -----------------------------------------------------------------------------


def test_the_meeting_page_shows_the_invitations_and_is_audited(meeting, practitioner):
    response = client_for(practitioner).get(reverse("meetings:detail", args=[meeting.pk]))
    page = body(response)
    assert "Bob Practitioner" in page and "Case manager" in page
    assert "Answer the invitation" in page  # his own
    assert AuditEvent.objects.filter(action=Verb.VIEW, object_type="meetings.meeting",
                                     object_id=str(meeting.pk), actor=practitioner).exists()


def test_a_held_meeting_links_to_its_minutes(meeting, coordinator):
    services.meeting_record_attendance(meeting=meeting, rows=[], actor=coordinator)
    page = body(client_for(coordinator).get(reverse("meetings:detail", args=[meeting.pk])))
    assert reverse("meetings:minutes", args=[meeting.pk]) in page


def test_the_review_is_offered_once_not_again_from_a_meeting_already_followed(
        meeting, case, coordinator):
    services.meeting_record_attendance(meeting=meeting, rows=[], actor=coordinator)
    url = reverse("meetings:detail", args=[meeting.pk])
    assert "Arrange the review" in body(client_for(coordinator).get(url))
    schedule(coordinator, case, kind=MeetingKind.EMERGENCY_2,
             starts_at=timezone.now() + timedelta(days=7))
    assert "Arrange the review" not in body(client_for(coordinator).get(url))


# -- scheduling -------------------------------------------------------------------------------


def test_the_schedule_page_marks_panel_dates_after_the_due_date(coordinator, practitioner):
    referral = accepted_referral(practitioner, coordinator)
    early = make_panel(coordinator, day=working_day(3))
    late = make_panel(coordinator, day=working_day(
        (referral.meeting_due_by - timezone.localdate()).days + 1))
    response = client_for(coordinator).get(
        reverse("meetings:schedule_referral", args=[referral.pk]))
    page = body(response)
    assert f'value="{late.pk}"' in page and f'value="{early.pk}"' in page
    assert page.count('govuk-tag--yellow">After the due date') == 1
    late_radio = next(tag for tag in page.split("<input") if f'value="{late.pk}"' in tag)
    early_radio = next(tag for tag in page.split("<input") if f'value="{early.pk}"' in tag)
    assert 'data-late="1"' in late_radio and "data-late" not in early_radio


def test_scheduling_after_the_due_date_asks_for_the_reason_and_keeps_the_choices(
        coordinator, practitioner):
    referral = accepted_referral(practitioner, coordinator)
    late = make_panel(coordinator, day=working_day(
        (referral.meeting_due_by - timezone.localdate()).days + 1))
    alice = client_for(coordinator)
    url = reverse("meetings:schedule_referral", args=[referral.pk])
    data = {"kind": MeetingKind.LEVEL_2, "panel": late.pk, "chair": coordinator.pk,
            "location": "Room 4"}
    response = alice.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors["late_reason"]
    assert errors[0].startswith(f"{timezone.localtime(late.starts_at):%A} ")
    assert "would miss the due date of" in errors[0]
    assert 'value="Room 4"' in body(response)  # nothing typed is lost
    assert not Meeting.objects.exists()

    response = alice.post(url, {**data, "late_reason": "The Chair is away until then."})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == reverse("meetings:detail",
                                                                   args=[meeting.pk])
    assert meeting.late_reason == "The Chair is away until then."
    assert meeting.referral == referral and meeting.location == "Room 4"


def test_an_emergency_meeting_is_arranged_at_a_chosen_time(coordinator, practitioner):
    referral = accepted_referral(practitioner, coordinator, urgency="emergency")
    alice = client_for(coordinator)
    url = reverse("meetings:schedule_referral", args=[referral.pk])
    response = alice.get(url)
    assert response.context["kind"] == MeetingKind.EMERGENCY_2  # the referral asked for one
    day = timezone.localdate()
    response = alice.post(url, {"kind": MeetingKind.EMERGENCY_2, "day": day.isoformat(),
                                "clock": "16:30", "chair": coordinator.pk, "send": "on"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert timezone.localtime(meeting.starts_at).hour == 16
    # Everyone with an email address is sent theirs at once.
    assert meeting.invitations.exclude(email="").exists()
    assert not meeting.invitations.exclude(email="").filter(sent_at__isnull=True).exists()


def test_a_referral_not_accepted_cannot_be_scheduled(coordinator, practitioner):
    from tests.factories import make_referral

    referral = make_referral(practitioner)  # submitted, not yet screened
    response = client_for(coordinator).get(
        reverse("meetings:schedule_referral", args=[referral.pk]))
    assert response.status_code == 302 and response.url == reverse("referrals:detail",
                                                                   args=[referral.pk])
    assert "only an accepted referral" in str(list(response.wsgi_request._messages)[0])


def test_an_ineligible_chair_is_not_offered_and_refused(coordinator, case, police):
    inspector = make_user(agency=police, roles=[Role.CHAIR], grade=Grade.FIRST_LINE_MANAGER)
    alice = client_for(coordinator)
    url = reverse("meetings:schedule", args=[case.pk]) + "?kind=" + MeetingKind.EMERGENCY_3
    response = alice.get(url)
    chairs = list(response.context["form"].fields["chair"].queryset)
    assert coordinator in chairs and inspector not in chairs
    day = timezone.localdate() + timedelta(days=1)
    response = alice.post(url, {"kind": MeetingKind.EMERGENCY_3, "day": day.isoformat(),
                                "clock": "10:00", "chair": inspector.pk})
    assert "chair" in response.context["form"].errors


# -- invitations and answers --------------------------------------------------------------------


def test_the_invitee_answers_on_the_page(meeting, practitioner):
    invitation = meeting.invitations.get(user=practitioner)
    response = client_for(practitioner).post(reverse("meetings:respond", args=[invitation.pk]),
                                             {"response": InvitationResponse.REPORT})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.response == InvitationResponse.REPORT


def test_the_administrator_invites_someone_without_an_account(meeting, administrator,
                                                              housing, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(administrator).post(
            reverse("meetings:invitation_add", args=[meeting.pk]),
            {"name": "Jo Outside", "email": "jo@housing.example.je", "agency": housing.pk,
             "send": "on"})
    assert response.status_code == 302
    invitation = meeting.invitations.get(name="Jo Outside")
    assert invitation.sent_at is not None
    assert [m.to for m in mailoutbox] == [["jo@housing.example.je"]]


def test_withdrawing_on_the_page_takes_the_case_away(meeting, administrator, outsider):
    invitation = services.invitation_add(meeting=meeting, user=outsider, actor=administrator)
    charlie = client_for(outsider)
    assert charlie.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
    client_for(administrator).post(reverse("meetings:invitation_withdraw",
                                           args=[invitation.pk]))
    assert charlie.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404


# -- attendance ---------------------------------------------------------------------------------


def test_recording_attendance_holds_the_meeting_and_opens_follow_ups(
        meeting, coordinator, practitioner, police, housing):
    services.invitation_add(meeting=meeting, actor=coordinator, agency=housing,
                            name="Housing Officer", email="ho@housing.example.je")
    alice = client_for(coordinator)
    url = reverse("meetings:attendance", args=[meeting.pk])
    page = body(alice.get(url))
    assert "States of Jersey Police" in page and "Housing" in page
    response = alice.post(url, {
        f"agency-{police.pk}-mode": AttendanceMode.IN_PERSON,
        f"agency-{police.pk}-attendee": practitioner.pk,
        f"agency-{police.pk}-grade": "",
        f"agency-{housing.pk}-mode": AttendanceMode.ABSENT,
    })
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.minutes_due_by is not None
    police_row = meeting.attendance.get(agency=police)
    assert police_row.attendee == practitioner and police_row.grade == Grade.PRACTITIONER
    assert list(FollowUp.objects.filter(meeting=meeting).values_list("agency", flat=True)) == [
        housing.pk]


def test_a_present_agency_without_a_name_is_sent_back(meeting, coordinator, police):
    alice = client_for(coordinator)
    url = reverse("meetings:attendance", args=[meeting.pk])
    response = alice.post(url, {f"agency-{police.pk}-mode": AttendanceMode.VIDEO,
                                f"agency-{police.pk}-attendee": ""})
    assert response.status_code == 200
    assert "Name who attended for States of Jersey Police." in body(response)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_attendance_waits_for_the_day_of_the_meeting(coordinator, case):
    later = schedule(coordinator, case)
    response = client_for(coordinator).get(reverse("meetings:attendance", args=[later.pk]))
    assert "record who attended on the day or after" in body(response)


# -- the Administrator's pages ---------------------------------------------------------------------


def test_the_administrator_adds_a_monthly_series_of_panel_dates(administrator):
    first = working_day(10)
    response = client_for(administrator).post(reverse("meetings:panel_add"), {
        "level": Level.THREE, "day": first.isoformat(), "clock": "09:30",
        "location": "Police HQ", "repeat": "monthly", "months": "3"})
    assert response.status_code == 302
    dates = PanelDate.objects.filter(level=Level.THREE)
    assert 2 <= dates.count() <= 3  # a month falling on a bank holiday is skipped
    assert {timezone.localtime(p.starts_at).weekday() for p in dates} == {first.weekday()}


def test_a_past_panel_date_is_refused_in_the_users_words(administrator):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client_for(administrator).post(reverse("meetings:panel_add"), {
        "level": Level.TWO, "day": yesterday.isoformat(), "clock": "10:00", "repeat": "once"})
    assert response.context["form"].errors["day"] == [
        "This date has passed: choose today or a later date."]


def test_the_panel_list_counts_the_cases_booked(administrator, coordinator, case):
    panel = make_panel(administrator)
    schedule(coordinator, case, panel=panel)
    response = client_for(administrator).get(reverse("meetings:panels"))
    level2 = next(dates for level, _label, dates in response.context["levels"]
                  if level == Level.TWO)
    assert [(p.pk, p.booked) for p in level2] == [(panel.pk, 1)]
    assert f"{panel.starts_at:%H}:00</span></td>" in body(response)  # rendered, not raw
    assert "{%" not in body(response)


def test_the_standing_membership_page_saves_a_seat_and_fills_in_the_guidance(
        administrator, police, housing):
    inspector = make_user(agency=police, grade=Grade.FIRST_LINE_MANAGER, job_title="Inspector")
    dora = client_for(administrator)
    url = reverse("meetings:standing", args=["2"])
    dora.post(reverse("meetings:standing_fill", args=["2"]))
    seat = StandingMembership.objects.get(agency=police, level=Level.TWO)
    assert (seat.seniority, seat.member) == ("Inspector", inspector)
    response = dora.post(url, {
        f"agency-{police.pk}-seniority": "Inspector",
        f"agency-{police.pk}-minimum_grade": str(Grade.MIDDLE_MANAGER),
        f"agency-{police.pk}-member": str(inspector.pk),
        f"agency-{housing.pk}-seniority": "",
    })
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.minimum_grade == Grade.MIDDLE_MANAGER
    assert not StandingMembership.objects.get(agency=housing, level=Level.TWO).is_active


def test_the_standing_page_keeps_what_was_typed_when_a_grade_is_missing(administrator,
                                                                        police):
    response = client_for(administrator).post(reverse("meetings:standing", args=["3"]), {
        f"agency-{police.pk}-seniority": "Superintendent"})
    assert response.status_code == 200
    assert 'value="Superintendent"' in body(response)
    assert "Choose the lowest grade" in body(response)
    assert not StandingMembership.objects.exists()


def test_a_standing_page_of_another_level_is_404(administrator):
    assert client_for(administrator).get(
        reverse("meetings:standing", args=["4"])).status_code == 404


# -- the case page's section -------------------------------------------------------------------


def test_the_case_page_lists_the_meetings_and_offers_scheduling_to_the_coordinator_only(
        coordinator, practitioner):
    referral = accepted_referral(practitioner, coordinator)
    nominal = referral.nominal
    held = schedule(coordinator, nominal, kind=MeetingKind.EMERGENCY_2,
                    starts_at=at(timezone.localdate() - timedelta(days=14)))
    services.meeting_record_attendance(meeting=held, rows=[], actor=coordinator)
    url = reverse("meetings:case", args=[nominal.pk])
    page = body(client_for(coordinator).get(url))
    assert "Schedule a meeting" in page
    assert reverse("meetings:schedule_referral", args=[referral.pk]) in page
    review_by = services.review_due(held)
    assert f"Next review due by <strong><time datetime=\"{review_by:%Y-%m-%d}\"" in page
    assert reverse("meetings:detail", args=[held.pk]) in page
    bobs_page = body(client_for(practitioner).get(url))
    assert reverse("meetings:detail", args=[held.pk]) in bobs_page
    assert "Schedule a meeting" not in bobs_page


def test_the_case_page_section_costs_the_same_for_two_meetings_or_eight(coordinator):
    nominal = make_nominal(actor=coordinator)
    alice = client_for(coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            alice.get(reverse("meetings:case", args=[nominal.pk]))
        return len(captured)

    for _ in range(2):
        schedule(coordinator, nominal, kind=MeetingKind.EMERGENCY_2)
    few = queries()
    for _ in range(6):
        schedule(coordinator, nominal, kind=MeetingKind.EMERGENCY_2)
    assert queries() == few


def test_every_page_renders_for_the_coordinator(meeting, coordinator, practitioner):
    alice = client_for(coordinator)
    referral = accepted_referral(practitioner, coordinator)
    panel = make_panel(coordinator)
    services.meeting_offender_information_set(meeting=meeting, actor=coordinator,
                                              text="In my own words.")
    urls = [url for method, url in meeting_pages(meeting) if method == "get"] + [
        reverse("meetings:list"), reverse("meetings:follow_ups"),
        reverse("meetings:schedule_referral", args=[referral.pk]),
        reverse("meetings:schedule", args=[meeting.nominal_id]) + "?kind=level_1",
        reverse("meetings:panels"), reverse("meetings:panel_add"),
        reverse("meetings:panel_cancel", args=[panel.pk]),
        reverse("meetings:standing", args=["2"]), reverse("meetings:standing", args=["3"]),
        reverse("cases:detail", args=[meeting.nominal_id]),
        reverse("meetings:case", args=[meeting.nominal_id]),
    ]
    for url in urls:
        response = alice.get(url)
        assert response.status_code == 200, url
        assert "{%" not in body(response) and "{{" not in body(response), url


def test_the_meeting_page_costs_the_same_for_two_invitees_or_eight(meeting, coordinator,
                                                                   police, housing):
    alice = client_for(coordinator)
    url = reverse("meetings:detail", args=[meeting.pk])

    def invite(count):
        for _ in range(count):
            services.invitation_add(meeting=meeting, actor=coordinator,
                                    user=make_user(agency=police))
            services.invitation_add(meeting=meeting, actor=coordinator, agency=housing,
                                    name="Someone", email=f"{meeting.invitations.count()}@h.je")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice.get(url).status_code == 200
        return len(captured)

    invite(1)
    few = queries()
    invite(3)
    assert queries() == few
    assert meeting.invitations.count() >= 8


# -- standing seats, reminders, attendance opening, the panel day ------------------------------


def test_an_empty_standing_seat_shows_on_the_meeting_page_and_in_the_check(
        case, coordinator, administrator):
    from tests.factories import make_agency

    probation = make_agency("Probation")
    services.standing_membership_set(agency=probation, level=Level.TWO, seniority="Team Leader",
                                     minimum_grade=Grade.FIRST_LINE_MANAGER, actor=coordinator)
    meeting = schedule(coordinator, case, kind=MeetingKind.EMERGENCY_2,
                       starts_at=at(working_day(3)))
    ada = client_for(administrator)
    page = body(ada.get(reverse("meetings:detail", args=[meeting.pk])))
    assert "Standing seats with nobody invited" in page
    fill = reverse("meetings:invitation_add", args=[meeting.pk]) + f"?seat={probation.pk}"
    assert fill in page
    checked = ada.post(reverse("meetings:invitations_build", args=[meeting.pk]), follow=True)
    said = " ".join(shown_messages(checked))
    assert "Nobody is missing" not in said and "standing seat of Probation" in said
    # Filled from the page: someone invited for the seat.
    form = ada.get(fill)
    assert form.context["form"].initial["agency"] == str(probation.pk)
    ada.post(fill, {"name": "Pat Leader", "email": "pat@probation.example.je",
                    "agency": probation.pk, "seat": probation.pk})
    invitation = meeting.invitations.get(agency=probation)
    assert invitation.reason == "standing"
    page = body(ada.get(reverse("meetings:detail", args=[meeting.pk])))
    assert "Standing seats with nobody invited" not in page


def test_the_meeting_page_says_when_recording_attendance_opens(case, coordinator):
    meeting = schedule(coordinator, case, kind=MeetingKind.EMERGENCY_2,
                       starts_at=at(working_day(3)))
    page = body(client_for(coordinator).get(reverse("meetings:detail", args=[meeting.pk])))
    assert "Recording who attends opens on the day of the meeting" in page
    assert reverse("meetings:attendance", args=[meeting.pk]) not in page


def test_on_the_day_the_meeting_page_links_to_recording_attendance(meeting, coordinator):
    page = body(client_for(coordinator).get(reverse("meetings:detail", args=[meeting.pk])))
    assert reverse("meetings:attendance", args=[meeting.pk]) in page
    assert "Recording who attends opens" not in page


def test_the_reminder_is_for_managers_and_404_outside_the_case(meeting, practitioner, outsider,
                                                               coordinator):
    url = reverse("meetings:invitations_remind", args=[meeting.pk])
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(practitioner).post(url).status_code == 403
    response = client_for(coordinator).post(url, follow=True)
    assert response.status_code == 200


def test_the_panel_day_lists_every_case_of_the_day_with_its_papers(coordinator, practitioner,
                                                                  outsider):
    panel = make_panel(coordinator, day=working_day(5))
    first = accepted_referral(practitioner, coordinator)
    second = accepted_referral(practitioner, coordinator)
    for referral in (first, second):
        schedule(coordinator, referral.nominal, referral=referral, panel=panel)
    day = timezone.localtime(panel.starts_at).date()
    url = reverse("meetings:panel_day") + f"?day={day:%Y-%m-%d}"
    response = client_for(coordinator).get(url)
    page = body(response)
    assert [m.nominal for m in response.context["meetings"]] == [first.nominal, second.nominal]
    for referral in (first, second):
        assert reverse("referrals:pdf", args=[referral.pk]) in page
    assert "Discharge from JMAPPA considered" in page
    assert "meetings/print.css" in page
    # The title names the day, never an offender.
    title = page.split("<title>")[1].split("</title>")[0]
    assert first.nominal.family_name not in title
    assert client_for(practitioner).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 403


def test_the_panel_days_cost_does_not_grow_with_its_cases(coordinator, practitioner):
    panel = make_panel(coordinator, day=working_day(5))
    day = timezone.localtime(panel.starts_at).date()
    url = reverse("meetings:panel_day") + f"?day={day:%Y-%m-%d}"
    alice = client_for(coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice.get(url).status_code == 200
        return len(captured)

    referral = accepted_referral(practitioner, coordinator)
    schedule(coordinator, referral.nominal, referral=referral, panel=panel)
    one = count()
    for _ in range(3):
        referral = accepted_referral(practitioner, coordinator)
        schedule(coordinator, referral.nominal, referral=referral, panel=panel)
    assert count() == one
