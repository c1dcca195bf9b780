"""Arranging and holding JMAPP meetings (meetings/services/): panel dates (§10.6), the
standing membership (§10.7), scheduling with the Chair rule (§9.2) and the due date,
invitations (§10.7, §10.8, §11) with the access they give, the emails with their calendar
file, attendance with the seniority check, and follow-ups of non-attendance (§10.10)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Level, RiskLevel, TeamMember, TeamRole
from cases.services import rosh_record, team_member_add
from jmappa import access
from jmappa.accounts.models import AgencyKind, Grade, Role
from jmappa.audit.models import AuditEvent
from jmappa.workdays import add_working_days, is_working_day
from meetings import ics, rules, services
from meetings.models import (
    AttendanceMode,
    FollowUp,
    InvitationReason,
    InvitationResponse,
    MeetingKind,
    MeetingStatus,
    PanelDate,
    StandingMembership,
)
from referrals.services import referral_accept
from tests.factories import add_to_team, make_agency, make_nominal, make_referral, make_user

pytestmark = pytest.mark.django_db


# -- building blocks, shared with test_schedule_views.py ------------------------------------------


def working_day(after: int) -> date:
    """The first working day at least `after` days from today."""
    day = timezone.localdate() + timedelta(days=after)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def make_panel(actor, *, level=Level.TWO, day: date | None = None, location="Police HQ"):
    """The level's panel at 10:00 on `day` (a week ahead unless given), made if needed."""
    starts_at = at(day or working_day(7))
    return PanelDate.objects.filter(level=level, starts_at=starts_at).first() or \
        services.panel_date_add(level=level, starts_at=starts_at, actor=actor,
                                location=location)


def accepted_referral(referrer, coordinator, *, level=Level.TWO, agencies=None, **overrides):
    referral = make_referral(referrer, agencies=agencies, level_proposed=level, **overrides)
    return referral_accept(referral=referral, actor=coordinator, level=level, category="2",
                           create_new=True)


def schedule(actor, nominal, *, kind=MeetingKind.LEVEL_2, chair=None, **fields):
    chair = chair or actor
    if kind in services.PANEL_KINDS and "panel" not in fields:
        fields["panel"] = make_panel(actor, level=services.KIND_LEVEL[kind])
    if kind not in services.PANEL_KINDS and "starts_at" not in fields:
        fields["starts_at"] = at(working_day(2))
    return services.meeting_schedule(nominal=nominal, kind=kind, actor=actor, chair=chair,
                                     **fields)


def hold(meeting, actor, rows=(), on: date | None = None):
    return services.meeting_record_attendance(meeting=meeting, rows=list(rows), actor=actor,
                                              on=on or meeting.date)


@pytest.fixture
def administrator(police):
    return make_user("dora", roles=[Role.ADMINISTRATOR], agency=police, first_name="Dora",
                     last_name="Administrator")


@pytest.fixture
def probation(db):
    return make_agency("Probation", AgencyKind.PROBATION, duty_to_cooperate=True)


@pytest.fixture
def childrens(db):
    agency = make_agency("Children's Services", AgencyKind.CHILDRENS_SERVICES)
    agency.spoc = make_user("cs.spoc", agency=agency, first_name="Chris", last_name="Spoc",
                            email="cs.spoc@example.je", roles=[Role.SPOC])
    agency.save()
    return agency


@pytest.fixture
def education(db):
    return make_agency("Education", AgencyKind.EDUCATION, secure_email="mapp@edu.example.je")


# -- panel dates (§10.6) ------------------------------------------------------------------------


def test_a_monthly_series_keeps_the_same_weekday_of_the_month(coordinator):
    # Thursday 10 December 2026 is the second Thursday of its month.
    created, skipped = services.panel_dates_add_monthly(
        level=Level.TWO, first=at(date(2026, 12, 10)), months=4, actor=coordinator)
    days = [timezone.localtime(p.starts_at).date() for p in created]
    assert days == [date(2026, 12, 10), date(2027, 1, 14), date(2027, 2, 11),
                    date(2027, 3, 11)]
    assert all(timezone.localtime(p.starts_at).time() == time(10) for p in created)
    assert skipped == []


def test_a_fifth_weekday_repeats_as_the_last_of_each_month(coordinator):
    # Tuesday 29 December 2026 is the fifth Tuesday: the series takes the last Tuesday.
    days = [timezone.localtime(d).date()
            for d in services.monthly_dates(at(date(2026, 12, 29)), 3)]
    assert days == [date(2026, 12, 29), date(2027, 1, 26), date(2027, 2, 23)]


def test_a_monthly_series_skips_a_bank_holiday_and_says_so(coordinator):
    # The fourth Friday of December 2026 is Christmas Day.
    created, skipped = services.panel_dates_add_monthly(
        level=Level.THREE, first=at(date(2026, 12, 25)), months=2, actor=coordinator)
    assert [timezone.localtime(p.starts_at).date() for p in created] == [date(2027, 1, 22)]
    assert len(skipped) == 1 and "Friday 25 December 2026" in skipped[0]
    assert "bank holiday" in skipped[0]


def test_only_the_coordinator_or_an_administrator_keeps_panel_dates(practitioner):
    with pytest.raises(ValidationError, match="Co-ordinator or an Administrator"):
        services.panel_date_add(level=Level.TWO, starts_at=at(working_day(7)),
                                actor=practitioner)


def test_a_panel_date_with_meetings_booked_cannot_be_cancelled(coordinator):
    panel = make_panel(coordinator)
    schedule(coordinator, make_nominal(actor=coordinator), panel=panel)
    with pytest.raises(ValidationError, match="1 meeting is booked"):
        services.panel_date_cancel(panel=panel, reason="Room unavailable", actor=coordinator)


def test_cancelling_a_panel_date_needs_and_keeps_the_reason(coordinator):
    panel = make_panel(coordinator)
    with pytest.raises(ValidationError) as error:
        services.panel_date_cancel(panel=panel, reason=" ", actor=coordinator)
    assert "reason" in error.value.message_dict
    services.panel_date_cancel(panel=panel, reason="Room unavailable", actor=coordinator)
    panel.refresh_from_db()
    assert panel.cancelled and "Room unavailable" in panel.notes


# -- standing membership (§10.7) ------------------------------------------------------------------


def test_fill_in_from_the_guidance_gives_each_agency_its_seat(coordinator, police, housing,
                                                             probation, childrens):
    inspector = make_user(agency=police, job_title="Inspector", grade=Grade.FIRST_LINE_MANAGER)
    seats = services.standing_membership_fill(level=Level.TWO, actor=coordinator)
    by_agency = {seat.agency: seat for seat in seats}
    assert set(by_agency) == {police, housing, probation, childrens}
    assert by_agency[police].seniority == "Inspector"
    assert by_agency[police].minimum_grade == Grade.FIRST_LINE_MANAGER
    assert by_agency[police].member == inspector
    assert by_agency[childrens].seniority == "Head of Children's Social Work"
    level3 = {s.agency: s for s in services.standing_membership_fill(level=Level.THREE,
                                                                   actor=coordinator)}
    assert level3[police].seniority == "Chief Inspector/Superintendent"
    assert level3[police].minimum_grade == Grade.SENIOR_MANAGER
    assert level3[police].member is None  # the inspector is not of that seniority


def test_fill_in_from_the_guidance_leaves_a_seat_already_set(coordinator, police):
    services.standing_membership_set(agency=police, level=Level.TWO, seniority="Sergeant",
                                     minimum_grade=Grade.PRACTITIONER, actor=coordinator)
    assert services.standing_membership_fill(level=Level.TWO, actor=coordinator) == []
    assert StandingMembership.objects.get(agency=police, level=Level.TWO).seniority == "Sergeant"


def test_a_standing_member_works_for_the_agency_of_the_seat(coordinator, police, outsider):
    with pytest.raises(ValidationError) as error:
        services.standing_membership_set(agency=police, level=Level.TWO, seniority="Inspector",
                                         minimum_grade=Grade.FIRST_LINE_MANAGER,
                                         member=outsider, actor=coordinator)
    assert "must work for States of Jersey Police" in error.value.message_dict["member"][0]


# -- the Chair (§9.2) -----------------------------------------------------------------------------


def test_a_level_2_or_3_chair_is_the_coordinator_or_a_middle_or_senior_manager(
        coordinator, police):
    inspector = make_user(agency=police, roles=[Role.CHAIR], grade=Grade.FIRST_LINE_MANAGER)
    head = make_user(agency=police, roles=[Role.CHAIR], grade=Grade.MIDDLE_MANAGER)
    manager_not_chair = make_user(agency=police, roles=[Role.PRACTITIONER],
                                  grade=Grade.SENIOR_MANAGER)
    for level in (Level.TWO, Level.THREE):
        assert services.chair_problem(coordinator, level) == ""
        assert services.chair_problem(head, level) == ""
        assert "middle or senior manager" in services.chair_problem(inspector, level)
        assert "Chair role" in services.chair_problem(manager_not_chair, level)
    # A level 1 discussion: anyone with the Chair role, or none at all.
    assert services.chair_problem(inspector, Level.ONE) == ""
    assert services.chair_problem(None, Level.ONE) == ""
    assert services.chair_problem(None, Level.TWO) == "Choose the Chair."


def test_a_meeting_with_a_first_line_manager_in_the_chair_is_refused(coordinator, police):
    inspector = make_user(agency=police, roles=[Role.CHAIR], grade=Grade.FIRST_LINE_MANAGER)
    with pytest.raises(ValidationError) as error:
        schedule(coordinator, make_nominal(actor=coordinator), chair=inspector,
                 kind=MeetingKind.EMERGENCY_3)
    assert "§9.2" in error.value.message_dict["chair"][0]


# -- scheduling -------------------------------------------------------------------------------


def test_a_date_after_the_referrals_due_date_is_refused_without_a_reason(
        coordinator, practitioner):
    referral = accepted_referral(practitioner, coordinator)
    late_day = working_day((referral.meeting_due_by - timezone.localdate()).days + 1)
    late_panel = make_panel(coordinator, day=late_day)
    with pytest.raises(ValidationError) as error:
        schedule(coordinator, referral.nominal, referral=referral, panel=late_panel)
    message = error.value.message_dict["late_reason"][0]
    assert f"would miss the due date of {referral.meeting_due_by:%A} " \
           f"{referral.meeting_due_by.day} " in message
    assert not referral.meetings.exists()

    meeting = schedule(coordinator, referral.nominal, referral=referral, panel=late_panel,
                       late_reason="The Police Inspector cannot attend before.")
    assert meeting.late_reason == "The Police Inspector cannot attend before."
    assert meeting.starts_at == late_panel.starts_at


def test_a_date_on_or_before_the_due_date_needs_no_reason(coordinator, practitioner):
    referral = accepted_referral(practitioner, coordinator)
    meeting = schedule(coordinator, referral.nominal, referral=referral,
                       panel=make_panel(coordinator, day=working_day(3)),
                       late_reason="not needed")
    assert meeting.late_reason == ""  # a reason is kept only for a late meeting
    assert meeting.referral == referral and meeting.location == "Police HQ"


def test_a_referral_is_scheduled_once_and_at_the_level_agreed(coordinator, practitioner):
    referral = accepted_referral(practitioner, coordinator)
    with pytest.raises(ValidationError) as error:
        schedule(coordinator, referral.nominal, referral=referral, kind=MeetingKind.LEVEL_3)
    assert "accepted for a level 2 meeting" in error.value.message_dict["kind"][0]
    first = schedule(coordinator, referral.nominal, referral=referral)
    with pytest.raises(ValidationError) as error:
        schedule(coordinator, referral.nominal, referral=referral,
                 kind=MeetingKind.EMERGENCY_2)
    assert "already arranged" in error.value.message_dict["referral"][0]
    services.meeting_cancel(meeting=first, reason="Chair ill", actor=coordinator)
    assert schedule(coordinator, referral.nominal, referral=referral).referral == referral


def test_a_level_2_meeting_sits_on_a_level_2_panel_date(coordinator):
    level3 = make_panel(coordinator, level=Level.THREE)
    with pytest.raises(ValidationError) as error:
        schedule(coordinator, make_nominal(actor=coordinator), panel=level3)
    assert "level 3 panel date" in error.value.message_dict["panel"][0]


def test_a_review_follows_a_held_meeting_of_the_same_level(coordinator):
    nominal = make_nominal(actor=coordinator)
    first = schedule(coordinator, nominal, kind=MeetingKind.EMERGENCY_2,
                     starts_at=at(timezone.localdate() - timedelta(days=20)))
    assert first.is_review is False
    hold(first, coordinator)
    review = schedule(coordinator, nominal)
    assert review.is_review is True
    other_level = schedule(coordinator, nominal, kind=MeetingKind.LEVEL_3)
    assert other_level.is_review is False


def test_a_review_after_the_review_date_needs_a_reason(coordinator):
    nominal = make_nominal(actor=coordinator)
    held_on = timezone.localdate() - timedelta(weeks=11)
    first = schedule(coordinator, nominal, kind=MeetingKind.EMERGENCY_2, starts_at=at(held_on))
    hold(first, coordinator)
    review_by = rules.latest_review_date(held_on, Level.TWO)
    late = working_day((review_by - timezone.localdate()).days + 1)
    with pytest.raises(ValidationError) as error:
        schedule(coordinator, nominal, panel=make_panel(coordinator, day=late))
    assert "would miss the due date" in error.value.message_dict["late_reason"][0]


def test_a_practitioner_cannot_schedule(coordinator, practitioner):
    with pytest.raises(ValidationError, match="Co-ordinator or an Administrator"):
        schedule(practitioner, make_nominal(actor=coordinator), chair=coordinator)


# -- invitations (§10.7, §10.8, §11) ------------------------------------------------------------


def invited(meeting) -> dict:
    return {(inv.user or inv.name): inv for inv in meeting.invitations.all()}


def test_invitations_name_the_referrer_the_referrals_agencies_and_the_standing_members(
        coordinator, practitioner, police, housing, probation):
    housing_officer = make_user(agency=housing, email="h.officer@housing.example.je")
    inspector = make_user(agency=police, grade=Grade.FIRST_LINE_MANAGER)
    services.standing_membership_set(agency=police, level=Level.TWO, seniority="Inspector",
                                     minimum_grade=Grade.FIRST_LINE_MANAGER, member=inspector,
                                     actor=coordinator)
    services.standing_membership_set(agency=probation, level=Level.THREE, seniority="ACPO",
                                     minimum_grade=Grade.SENIOR_MANAGER,
                                     member=make_user(agency=probation), actor=coordinator)
    referral = accepted_referral(practitioner, coordinator, agencies=[
        {"agency": housing, "contact_name": "H Officer",
         "contact_email": "H.Officer@housing.example.je"},
        {"agency": probation, "contact_name": "Pat Outside", "contact_email": "pat@pr.je"},
    ])
    meeting = schedule(coordinator, referral.nominal, referral=referral)
    people = invited(meeting)
    assert people[practitioner].reason == InvitationReason.REFERRER
    assert people[inspector].reason == InvitationReason.STANDING
    assert people[housing_officer].reason == InvitationReason.REFERRAL  # matched by email
    outside = people["Pat Outside"]
    assert (outside.user, outside.email, outside.agency) == (None, "pat@pr.je", probation)
    assert people[coordinator].reason == InvitationReason.CHAIR
    # The level 3 seat is not invited to a level 2 meeting; each person once.
    assert meeting.invitations.count() == len(people) == 5


def _seat(agency, coordinator, member=None):
    return services.standing_membership_set(agency=agency, level=Level.TWO,
                                            seniority="Team Leader",
                                            minimum_grade=Grade.FIRST_LINE_MANAGER,
                                            member=member, actor=coordinator)


def test_a_standing_seat_without_member_or_spoc_invites_the_agencys_secure_email(
        coordinator, practitioner, probation):
    probation.secure_email = "mappa@probation.example.je"
    probation.save()
    _seat(probation, coordinator)
    meeting = schedule(coordinator, accepted_referral(practitioner, coordinator).nominal)
    seat = meeting.invitations.get(agency=probation)
    assert (seat.user, seat.email, seat.reason) == (
        None, "mappa@probation.example.je", InvitationReason.STANDING)
    assert services.seat_gaps(meeting) == []


def test_a_standing_seat_with_nobody_to_invite_is_shown_as_a_gap_never_dropped(
        coordinator, practitioner, probation):
    _seat(probation, coordinator)  # no member, no SPOC, no secure email
    meeting = schedule(coordinator, accepted_referral(practitioner, coordinator).nominal)
    assert not meeting.invitations.filter(agency=probation).exists()
    assert [seat.agency for seat in services.seat_gaps(meeting)] == [probation]
    # The Administrator invites someone for the seat: the gap is filled.
    officer = make_user(agency=probation, email="po@probation.example.je")
    invitation = services.invitation_add(meeting=meeting, user=officer, actor=coordinator,
                                         for_seat=True)
    assert invitation.reason == InvitationReason.STANDING
    assert services.seat_gaps(meeting) == []


def test_naming_a_seats_member_then_checking_invites_them(coordinator, practitioner,
                                                          probation):
    _seat(probation, coordinator)
    meeting = schedule(coordinator, accepted_referral(practitioner, coordinator).nominal)
    leader = make_user(agency=probation)
    _seat(probation, coordinator, member=leader)
    created = services.invitations_build(meeting=meeting, actor=coordinator)
    assert [i.user for i in created] == [leader]
    assert services.seat_gaps(meeting) == []


def test_a_referral_contact_who_is_a_standing_member_is_invited_once_with_their_telephone(
        coordinator, practitioner, probation):
    leader = make_user(agency=probation, first_name="Pat", last_name="Leader",
                       email="pat.leader@probation.example.je")
    _seat(probation, coordinator, member=leader)
    referral = accepted_referral(practitioner, coordinator, agencies=[
        {"agency": probation, "contact_name": "Pat  Leader", "contact_email": "",
         "contact_telephone": "01534 441900"}])
    meeting = schedule(coordinator, referral.nominal, referral=referral)
    from_probation = list(meeting.invitations.filter(agency=probation))
    assert len(from_probation) == 1
    assert (from_probation[0].user, from_probation[0].reason, from_probation[0].telephone) == (
        leader, InvitationReason.STANDING, "01534 441900")


def test_a_referral_contact_without_an_account_keeps_the_telephone_the_referral_gave(
        coordinator, practitioner, housing):
    referral = accepted_referral(practitioner, coordinator, agencies=[
        {"agency": housing, "contact_name": "Hal Outside", "contact_email": "",
         "contact_telephone": "01534 000111"}])
    meeting = schedule(coordinator, referral.nominal, referral=referral)
    assert invited(meeting)["Hal Outside"].telephone == "01534 000111"


def test_a_reminder_goes_only_to_those_emailed_who_have_not_answered_and_is_logged(
        coordinator, practitioner, mailoutbox, django_capture_on_commit_callbacks):
    referral = accepted_referral(practitioner, coordinator)
    meeting = schedule(coordinator, referral.nominal, referral=referral)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(meeting=meeting, actor=coordinator)
    answered = meeting.invitations.get(user=practitioner)
    services.invitation_respond(invitation=answered, response=InvitationResponse.ATTENDING,
                                actor=practitioner)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminded = services.invitations_remind(meeting=meeting, actor=coordinator)
    assert reminded and practitioner not in [i.user for i in reminded]
    assert sorted(m.to[0] for m in mailoutbox) == sorted(i.email for i in reminded)
    assert all(m.subject.startswith("Reminder: please answer") for m in mailoutbox)
    assert all(i.reminded_at is not None for i in reminded)
    assert AuditEvent.objects.filter(detail__startswith="Reminder sent to").count() == 1


def test_the_referring_agency_arranges_a_level_1_discussion_but_no_panel_meeting(
        coordinator, practitioner, outsider):
    from referrals.services import referral_confirm_level_1

    referral = referral_confirm_level_1(referral=make_referral(practitioner),
                                        actor=coordinator, category="2", create_new=True)
    nominal = referral.nominal
    meeting = services.meeting_schedule(nominal=nominal, kind=MeetingKind.LEVEL_1,
                                        actor=practitioner, starts_at=at(working_day(2)))
    assert meeting.created_by == practitioner and meeting.invitations.exists()
    with pytest.raises(ValidationError):
        schedule(practitioner, nominal, kind=MeetingKind.LEVEL_2)
    with pytest.raises(ValidationError, match="§10.3"):
        services.meeting_schedule(nominal=nominal, kind=MeetingKind.LEVEL_1, actor=outsider,
                                  starts_at=at(working_day(3)))


def test_a_review_invites_the_referrer_of_the_accepted_referral(coordinator, practitioner):
    referral = accepted_referral(practitioner, coordinator)
    meeting = schedule(coordinator, referral.nominal)  # no referral given: a review
    assert invited(meeting)[practitioner].reason == InvitationReason.REFERRER


def test_childrens_services_and_education_are_invited_for_a_child_of_school_age(
        coordinator, childrens, education):
    child = make_nominal(actor=coordinator,
                         date_of_birth=timezone.localdate().replace(year=timezone.localdate()
                                                                    .year - 15))
    meeting = schedule(coordinator, child, kind=MeetingKind.EMERGENCY_2)
    by_reason = {inv.reason: inv for inv in meeting.invitations.all()}
    assert by_reason[InvitationReason.CHILDRENS_SERVICES].user == childrens.spoc
    schooling = by_reason[InvitationReason.EDUCATION]
    # No SPOC nor standing member: the agency itself, at its secure email.
    assert (schooling.agency, schooling.user, schooling.email) == (
        education, None, "mapp@edu.example.je")


def test_childrens_services_is_invited_where_children_are_at_risk(coordinator, childrens,
                                                                 education):
    adult = make_nominal(actor=coordinator)
    rosh_record(nominal=adult, actor=coordinator, assessed_on=timezone.localdate(),
                overall=RiskLevel.HIGH, custody_children=RiskLevel.VERY_HIGH,
                who_is_at_risk="Children of a new partner", nature_of_risk="Sexual harm",
                imminence="Not imminent")
    reasons = set(schedule(coordinator, adult, kind=MeetingKind.EMERGENCY_2)
                  .invitations.values_list("reason", flat=True))
    assert InvitationReason.CHILDRENS_SERVICES in reasons
    assert InvitationReason.EDUCATION not in reasons


def test_no_childrens_services_for_an_adult_without_children_at_risk(coordinator, childrens):
    adult = make_nominal(actor=coordinator)
    rosh_record(nominal=adult, actor=coordinator, assessed_on=timezone.localdate(),
                overall=RiskLevel.HIGH, community_children=RiskLevel.MEDIUM,
                who_is_at_risk="Former partner", nature_of_risk="Violence",
                imminence="Not imminent")
    meeting = schedule(coordinator, adult, kind=MeetingKind.EMERGENCY_2)
    assert not meeting.invitations.filter(agency=childrens).exists()


def test_the_case_manager_is_invited_and_never_the_offender(coordinator, practitioner):
    nominal = make_nominal(actor=coordinator, case_manager=practitioner)
    meeting = schedule(coordinator, nominal, kind=MeetingKind.EMERGENCY_2)
    assert invited(meeting)[practitioner].reason == InvitationReason.CASE_TEAM
    names = " ".join(meeting.invitations.values_list("name", flat=True))
    assert nominal.family_name not in names


def test_an_invitee_sees_the_case_while_invited_and_not_once_withdrawn(
        coordinator, administrator, outsider):
    nominal = make_nominal(actor=coordinator)
    meeting = schedule(administrator, nominal, chair=coordinator,
                       kind=MeetingKind.EMERGENCY_2)
    assert not access.can_view_nominal(outsider, nominal)
    invitation = services.invitation_add(meeting=meeting, user=outsider, actor=administrator)
    assert access.can_view_nominal(outsider, nominal)
    assert invitation.membership.role == TeamRole.MEETING_INVITEE
    services.invitation_withdraw(invitation=invitation, actor=administrator)
    assert not access.can_view_nominal(outsider, nominal)


def test_withdrawing_leaves_an_invitee_on_the_team_otherwise(coordinator, administrator,
                                                             outsider):
    nominal = make_nominal(actor=coordinator)
    add_to_team(nominal, outsider)
    meeting = schedule(administrator, nominal, chair=coordinator,
                       kind=MeetingKind.EMERGENCY_2)
    invitation = services.invitation_add(meeting=meeting, user=outsider, actor=administrator)
    services.invitation_withdraw(invitation=invitation, actor=administrator)
    assert access.can_view_nominal(outsider, nominal)


def test_an_invitee_of_two_meetings_keeps_the_case_while_one_remains(coordinator, outsider):
    nominal = make_nominal(actor=coordinator)
    first = schedule(coordinator, nominal, kind=MeetingKind.EMERGENCY_2)
    second = schedule(coordinator, nominal)
    one = services.invitation_add(meeting=first, user=outsider, actor=coordinator)
    services.invitation_add(meeting=second, user=outsider, actor=coordinator)
    services.invitation_withdraw(invitation=one, actor=coordinator)
    assert access.can_view_nominal(outsider, nominal)
    services.meeting_cancel(meeting=second, reason="Moved", actor=coordinator)
    assert not access.can_view_nominal(outsider, nominal)


def test_someone_excluded_from_the_case_cannot_be_invited(coordinator, outsider):
    from cases.services import exclusion_add

    nominal = make_nominal(actor=coordinator)
    exclusion_add(nominal=nominal, user=outsider, reason="Knows the victim", actor=coordinator)
    meeting = schedule(coordinator, nominal, kind=MeetingKind.EMERGENCY_2)
    with pytest.raises(ValidationError) as error:
        services.invitation_add(meeting=meeting, user=outsider, actor=coordinator)
    assert "may not see this case" in error.value.message_dict["user"][0]
    assert not TeamMember.objects.filter(nominal=nominal, user=outsider).exists()


def test_the_invitation_email_carries_a_calendar_file_without_the_offenders_name(
        coordinator, practitioner, mailoutbox, django_capture_on_commit_callbacks):
    referral = accepted_referral(practitioner, coordinator)
    nominal = referral.nominal
    practitioner.email = "bob@police.example.je"
    practitioner.save()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(coordinator, nominal, referral=referral, send=True)
    invitation = meeting.invitations.get(user=practitioner)
    assert invitation.sent_at is not None
    email = next(m for m in mailoutbox if m.to == ["bob@police.example.je"])
    filename, content, mimetype = email.attachments[0]
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar; method=REQUEST")
    unfolded = content.replace("\r\n ", "")
    lines = dict(line.split(":", 1) for line in unfolded.split("\r\n") if ":" in line)
    assert lines["METHOD"] == "REQUEST"
    assert lines["DTSTART"] == meeting.starts_at.astimezone(UTC).strftime(
        "%Y%m%dT%H%M%SZ")
    assert lines["DTSTART"].endswith("Z")
    assert lines["UID"] == ics.uid(invitation) == f"jmappa-invitation-{invitation.pk}@" \
                                                  f"{ics.uid(invitation).split('@')[1]}"
    assert lines["SUMMARY"] == f"Level 2 meeting\\, case {nominal.reference}"  # comma escaped
    for text in (content, email.body, email.subject):
        assert nominal.family_name not in text and nominal.given_names not in text
    assert nominal.reference in email.subject

    # The same invitation cancelled: same UID, METHOD:CANCEL, a higher sequence.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, reason="Chair ill", actor=coordinator)
    cancel = next(m for m in mailoutbox if m.to == ["bob@police.example.je"])
    cancelled = cancel.attachments[0][1].replace("\r\n ", "")
    assert "METHOD:CANCEL" in cancelled and f"UID:{ics.uid(invitation)}" in cancelled
    assert "SEQUENCE:2" in cancelled and "Chair ill" not in cancel.body


def test_the_calendar_gives_the_start_in_utc_in_summer_time(coordinator):
    meeting = schedule(coordinator, make_nominal(actor=coordinator),
                       kind=MeetingKind.EMERGENCY_3, starts_at=at(date(2027, 6, 10), 10))
    invitation = services.invitation_add(meeting=meeting, actor=coordinator,
                                         agency=coordinator.agency, name="Pat",
                                         email="pat@example.je")
    text = ics.invitation_ics(invitation)
    assert "DTSTART:20270610T090000Z\r\n" in text  # 10:00 in Jersey is 09:00 UTC in June
    assert "DTEND:20270610T100000Z\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_nothing_is_emailed_if_the_schedule_is_rolled_back(coordinator, practitioner,
                                                           mailoutbox):
    from django.db import transaction

    referral = accepted_referral(practitioner, coordinator)
    practitioner.email = "bob@police.example.je"
    practitioner.save()
    with pytest.raises(RuntimeError), transaction.atomic():
        schedule(coordinator, referral.nominal, referral=referral, send=True)
        raise RuntimeError
    assert mailoutbox == []


def test_the_invitee_answers_and_nobody_else_but_the_administrator(
        coordinator, administrator, practitioner, outsider):
    nominal = make_nominal(actor=coordinator, case_manager=practitioner)
    meeting = schedule(coordinator, nominal, kind=MeetingKind.EMERGENCY_2)
    invitation = meeting.invitations.get(user=practitioner)
    services.invitation_respond(invitation=invitation, response=InvitationResponse.REMOTE,
                                actor=practitioner)
    invitation.refresh_from_db()
    assert invitation.response == InvitationResponse.REMOTE and invitation.responded_at
    with pytest.raises(ValidationError, match="Only the person invited"):
        services.invitation_respond(invitation=invitation, actor=outsider,
                                    response=InvitationResponse.APOLOGIES)
    services.invitation_respond(invitation=invitation, actor=administrator,
                                response=InvitationResponse.REPORT)


# -- the offender's written information (§3.6) -------------------------------------------------


def test_the_case_manager_attaches_the_offenders_written_information(coordinator,
                                                                    practitioner, police):
    nominal = make_nominal(actor=coordinator, case_manager=practitioner)
    meeting = schedule(coordinator, nominal, kind=MeetingKind.EMERGENCY_2)
    services.meeting_offender_information_set(meeting=meeting, actor=practitioner,
                                              text="I have kept every appointment.")
    meeting.refresh_from_db()
    assert meeting.offender_information == "I have kept every appointment."
    colleague = make_user(agency=police)
    add_to_team(nominal, colleague)
    with pytest.raises(ValidationError, match="case manager"):
        services.meeting_offender_information_set(meeting=meeting, actor=colleague, text="x")


# -- attendance, seniority and follow-ups -----------------------------------------------------


@pytest.fixture
def level2_meeting(coordinator, police, housing, probation):
    """A level 2 meeting held today: Police (seat: Inspector), Probation (seat: Team
    Leader) and Housing (no seat) invited."""
    services.standing_membership_set(agency=police, level=Level.TWO, seniority="Inspector",
                                     minimum_grade=Grade.FIRST_LINE_MANAGER, actor=coordinator,
                                     member=make_user(agency=police,
                                                      grade=Grade.FIRST_LINE_MANAGER))
    services.standing_membership_set(agency=probation, level=Level.TWO,
                                     seniority="Team Leader",
                                     minimum_grade=Grade.FIRST_LINE_MANAGER, actor=coordinator,
                                     member=make_user(agency=probation))
    nominal = make_nominal(actor=coordinator)
    meeting = schedule(coordinator, nominal, kind=MeetingKind.EMERGENCY_2,
                       starts_at=timezone.now() - timedelta(hours=1))
    housing.spoc = make_user(agency=housing, roles=[Role.SPOC])
    housing.save()
    services.invitation_add(meeting=meeting, actor=coordinator, agency=housing,
                            name="Housing Officer", email="ho@housing.example.je")
    return meeting


def test_attendance_says_whether_each_attendee_meets_the_seniority_of_the_seat(
        level2_meeting, coordinator, police, probation, housing):
    inspector = make_user(agency=police, grade=Grade.FIRST_LINE_MANAGER)
    officer = make_user(agency=probation, grade=Grade.PRACTITIONER)
    meeting = hold(level2_meeting, coordinator, rows=[
        {"agency": police, "mode": AttendanceMode.IN_PERSON, "attendee": inspector},
        {"agency": probation, "mode": AttendanceMode.VIDEO, "attendee": officer},
        {"agency": housing, "mode": AttendanceMode.TELEPHONE, "attendee_name": "H Officer",
         "grade": Grade.FIRST_LINE_MANAGER},
    ])
    rows = {row.agency: row for row in meeting.attendance.all()}
    assert rows[police].grade == Grade.FIRST_LINE_MANAGER  # the attendee's own grade
    assert rows[police].meets_seniority is True
    assert rows[probation].meets_seniority is False
    assert rows[housing].meets_seniority is None  # Housing has no level 2 seat here
    assert meeting.status == MeetingStatus.HELD


def test_an_absent_agency_without_a_report_is_followed_up_and_a_report_is_enough(
        level2_meeting, coordinator, police, probation, housing, mailoutbox,
        django_capture_on_commit_callbacks):
    coordinator.email = "alice@police.example.je"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = hold(level2_meeting, coordinator, rows=[
            {"agency": police, "mode": AttendanceMode.IN_PERSON, "attendee_name": "Insp X",
             "grade": Grade.FIRST_LINE_MANAGER},
            {"agency": probation, "mode": AttendanceMode.REPORT_ONLY},
            # Housing not listed: absent.
        ])
    follow_ups = list(FollowUp.objects.filter(meeting=meeting))
    assert [f.agency for f in follow_ups] == [housing]
    assert follow_ups[0].chair == coordinator and follow_ups[0].spoc == housing.spoc
    assert meeting.attendance.get(agency=housing).mode == AttendanceMode.ABSENT
    alert = next(m for m in mailoutbox if m.to == ["alice@police.example.je"])
    assert "Housing" in alert.subject and meeting.nominal.family_name not in alert.body

    services.follow_up_close(follow_up=follow_ups[0], actor=coordinator,
                             outcome="SPOC will send a deputy next time.")
    follow_ups[0].refresh_from_db()
    assert follow_ups[0].closed_on == timezone.localdate()


def test_correcting_attendance_takes_away_an_open_follow_up(level2_meeting, coordinator,
                                                           housing):
    hold(level2_meeting, coordinator)
    assert FollowUp.objects.filter(meeting=level2_meeting, agency=housing).exists()
    hold(level2_meeting, coordinator, rows=[
        {"agency": housing, "mode": AttendanceMode.REPORT_ONLY}])
    assert not FollowUp.objects.filter(meeting=level2_meeting, agency=housing).exists()
    assert level2_meeting.attendance.count() == 3  # one row per invited agency, not doubled


def test_only_the_chair_closes_a_follow_up(level2_meeting, coordinator, practitioner):
    hold(level2_meeting, coordinator)
    follow_up = FollowUp.objects.filter(meeting=level2_meeting).first()
    with pytest.raises(ValidationError, match="Chair"):
        services.follow_up_close(follow_up=follow_up, outcome="x", actor=practitioner)


def test_a_meeting_cannot_be_marked_held_before_its_day(coordinator):
    meeting = schedule(coordinator, make_nominal(actor=coordinator))
    with pytest.raises(ValidationError, match="record who attended on the day"):
        services.meeting_record_attendance(meeting=meeting, rows=[], actor=coordinator)


def test_a_present_attendee_must_be_named(level2_meeting, coordinator, police):
    with pytest.raises(ValidationError) as error:
        hold(level2_meeting, coordinator, rows=[{"agency": police,
                                                "mode": AttendanceMode.IN_PERSON}])
    assert error.value.message_dict["rows"] == ["States of Jersey Police: name who attended."]


def test_minutes_of_a_level_3_meeting_on_christmas_eve_are_due_after_the_holidays(
        coordinator):
    # Thursday 24 December 2026: 25 and 28 December (Boxing Day's substitute) and 1 January
    # are not working days, so the five are 29, 30, 31 December, 4 and 5 January.
    meeting = schedule(coordinator, make_nominal(actor=coordinator),
                       kind=MeetingKind.EMERGENCY_3, starts_at=at(date(2026, 12, 24), 14))
    assert meeting.minutes_due_by is None
    held = hold(meeting, coordinator, on=date(2026, 12, 24))
    assert held.minutes_due_by == date(2027, 1, 5)
    assert held.minutes_due_by == add_working_days(date(2026, 12, 24), 5)


def test_scheduling_inviting_and_holding_are_audited_against_the_case(coordinator, police):
    nominal = make_nominal(actor=coordinator)
    meeting = schedule(coordinator, nominal, kind=MeetingKind.EMERGENCY_2,
                       starts_at=timezone.now() - timedelta(hours=2))
    services.invitation_add(meeting=meeting, user=make_user(agency=police), actor=coordinator)
    hold(meeting, coordinator)
    kinds = set(AuditEvent.objects.filter(case_id=nominal.pk).values_list("object_type",
                                                                         flat=True))
    assert {"meetings.meeting", "meetings.invitation", "meetings.attendance",
            "cases.teammember"} <= kinds


def test_only_an_invitee_who_does_not_see_the_case_already_joins_the_team(coordinator,
                                                                        police):
    nominal = make_nominal(actor=coordinator)
    meeting = schedule(coordinator, nominal, kind=MeetingKind.EMERGENCY_2)
    # The Co-ordinator in the chair is invited, but sees every case already.
    assert meeting.invitations.get(user=coordinator).membership is None
    contact = make_user(agency=police)
    team_member_add(nominal=nominal, user=contact, role=TeamRole.AGENCY_CONTACT,
                    actor=coordinator)
    assert services.invitation_add(meeting=meeting, user=contact,
                                   actor=coordinator).membership is None
    newcomer = make_user(agency=police)
    membership = services.invitation_add(meeting=meeting, user=newcomer,
                                         actor=coordinator).membership
    assert (membership.user, membership.role) == (newcomer, TeamRole.MEETING_INVITEE)
    assert TeamMember.objects.current().filter(nominal=nominal, user=contact).count() == 1


def test_a_chair_from_an_agency_is_invited_and_sees_the_case(coordinator, probation):
    head = make_user(agency=probation, roles=[Role.CHAIR], grade=Grade.MIDDLE_MANAGER)
    nominal = make_nominal(actor=coordinator)
    assert not access.can_view_nominal(head, nominal)
    meeting = schedule(coordinator, nominal, chair=head, kind=MeetingKind.EMERGENCY_2)
    assert meeting.invitations.get(user=head).membership is not None
    assert access.can_view_nominal(head, nominal)


def test_attendance_cannot_change_once_the_minutes_are_final(level2_meeting, coordinator):
    from meetings.models import Minutes, MinutesStatus

    hold(level2_meeting, coordinator)
    Minutes.objects.create(meeting=level2_meeting, status=MinutesStatus.FINAL,
                           drafted_by=coordinator)
    with pytest.raises(ValidationError, match="minutes of this meeting are final"):
        hold(level2_meeting, coordinator)
