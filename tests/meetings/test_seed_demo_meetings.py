"""The demo meetings of `manage.py seed_demo` (plans/demo.py): panel dates ahead, past
meetings with final minutes and plans, one meeting whose minutes are overdue, one case
overdue for review, open actions for each persona's agency; idempotent, and emailing
nobody."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from cases.models import Category, Nominal, TeamMember, TeamRole
from disclosure.demo import record_deferral
from disclosure.models import Deferral, Disclosure
from documents.models import Document
from jmappa.accounts.models import User
from jmappa.audit.models import AuditEvent
from jmappa.workdays import is_working_day
from meetings import services
from meetings.models import (
    Attendance,
    FollowUp,
    Invitation,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    PanelDate,
    StandingMembership,
)
from plans import selectors as plan_selectors
from plans.demo import seed_meetings
from plans.demo.cases import DEMO_CASES
from plans.models import (
    ActionProgress,
    ActionStatus,
    ActionType,
    HomeVisit,
    Level1Review,
    PlanAction,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One seeded database for the module, rolled back at its end (each test is rolled
    back to it by the usual per-test savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(DEBUG=True):
            call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def today(seeded):
    return timezone.localdate()


def user(username):
    return User.objects.get(username=username)


def local_day(moment):
    return timezone.localtime(moment).date()


def test_panel_dates_of_both_levels_lie_ahead_each_on_a_working_day(today):
    for level in ("2", "3"):
        ahead = [local_day(p.starts_at) for p in PanelDate.objects.filter(level=level)
                 if local_day(p.starts_at) > today]
        assert len(ahead) >= 5, level
    assert all(is_working_day(local_day(p.starts_at)) for p in PanelDate.objects.all())
    # The past meetings sit on the set dates of their level.
    for meeting in Meeting.objects.all():
        assert meeting.panel is not None and meeting.panel.level == meeting.level


def test_the_standing_membership_is_filled_from_the_guidance(seeded):
    seats = StandingMembership.objects.select_related("member")
    assert {seat.level for seat in seats} == {"2", "3"}
    inspector = seats.get(level="2", agency__kind="police")
    assert inspector.seniority == "Inspector"
    assert inspector.member.username == "police.inspector"


def test_past_meetings_have_final_minutes_with_a_complete_plan(today):
    final = Minutes.objects.filter(status=MinutesStatus.FINAL).select_related("meeting")
    assert final.count() >= 3
    owners = set()
    for minutes in final:
        assert minutes.meeting.date < today
        assert minutes.finalised_by.username == "coordinator"
        types = {row["type"] for row in minutes.plan_snapshot}
        assert {ActionType.VICTIM_PROTECTION, ActionType.CONTINGENCY} <= types, minutes
        assert minutes.disclosure_decision and minutes.disclosure_reasons
        assert minutes.information.exists()
        assert minutes.meeting.next_review_by == minutes.next_review_by
        owners |= {row["owner_agency"] for row in minutes.plan_snapshot}
    assert owners >= {"Jersey Probation and After-Care Service", "States of Jersey Police",
                      "Housing"}
    levels = set(final.values_list("meeting__level", flat=True))
    assert levels == {"2", "3"}


def test_exactly_one_held_meeting_has_overdue_minutes_still_in_draft(today):
    overdue = [m for m in Meeting.objects.filter(status=MeetingStatus.HELD,
                                                 minutes_due_by__lt=today)
               if not m.minutes.filter(status=MinutesStatus.FINAL).exists()]
    assert len(overdue) == 1
    meeting = overdue[0]
    assert [m.status for m in meeting.minutes.all()] == [MinutesStatus.DRAFT]
    assert meeting.attendance.exists()


def test_exactly_one_case_is_overdue_for_its_review(today):
    overdue = []
    for nominal in Nominal.objects.filter(meetings__isnull=False).distinct():
        meetings = list(nominal.meetings.all())
        last_held = max((m for m in meetings if m.status == MeetingStatus.HELD),
                        key=lambda m: m.starts_at)
        later = [m for m in meetings if m.starts_at > last_held.starts_at
                 and m.status != MeetingStatus.CANCELLED]
        if services.review_due(last_held) < today and not later:
            overdue.append(nominal)
    assert len(overdue) == 1
    assert overdue[0].level == "3"


def test_an_upcoming_review_has_its_invitations_sent_and_some_answered(today):
    upcoming = Meeting.objects.get(status=MeetingStatus.SCHEDULED)
    assert upcoming.date > today
    assert upcoming.is_review
    invitations = upcoming.invitations.all()
    assert invitations.count() >= 3
    assert all(i.sent_at for i in invitations if i.email)
    answered = {i.user.username for i in invitations if i.response != "pending"}
    assert answered == {"police.inspector", "housing.officer"}
    # It is held before the review date the previous meeting set.
    previous = upcoming.nominal.meetings.filter(status=MeetingStatus.HELD).first()
    assert upcoming.date <= previous.next_review_by


def test_each_persona_has_open_actions_of_their_agency_and_probation_some_by_name(today):
    for username in ["probation.officer", "police.inspector", "housing.officer"]:
        person = user(username)
        mine = plan_selectors.my_actions(person)
        assert mine.filter(owner_agency=person.agency).exists(), username
    probation = user("probation.officer")
    named = plan_selectors.my_actions(probation).filter(owner=probation)
    assert named.filter(due_date__gte=today).exists()
    assert named.filter(due_date__lt=today).exists()


def test_demo_actions_are_open_in_progress_overdue_done_and_one_cannot_be_delivered(today):
    statuses = set(PlanAction.objects.values_list("status", flat=True))
    assert statuses == set(ActionStatus.values)
    assert PlanAction.objects.filter(status=ActionStatus.CANNOT_DELIVER).count() == 1
    assert any(a.is_overdue_on(today) for a in PlanAction.objects.all())
    for action in PlanAction.objects.filter(status=ActionStatus.DONE):
        assert action.completed_on and action.meeting.date <= action.completed_on <= today
    assert ActionProgress.objects.exists()


def test_a_non_attending_agency_is_followed_up_by_the_chair(seeded):
    follow_up = FollowUp.objects.get(closed_on__isnull=True)
    assert follow_up.chair.username == "coordinator"
    assert follow_up.agency.kind == "childrens_services"


def test_only_people_already_on_the_case_are_invited_so_caseloads_do_not_change(seeded):
    assert not TeamMember.objects.filter(role=TeamRole.MEETING_INVITEE).exists()
    smb = user("smb.member")
    assert not Invitation.objects.filter(user=smb).exists()
    assert Nominal.objects.visible_to(smb).count() == 0


def test_a_category_1_level_1_case_has_its_level_1_reviews_and_home_visits(today):
    reviews = Level1Review.objects.select_related("nominal")
    assert reviews.count() == 2
    nominal = reviews.first().nominal
    assert nominal.level == "1" and nominal.category == Category.ONE
    assert reviews.first().referral_needed  # the latest
    assert HomeVisit.objects.filter(nominal=nominal).count() == 2
    assert plan_selectors.next_level1_review_due(nominal) > today
    # A monthly visit (very high risk) is overdue elsewhere.
    assert any(plan_selectors.next_home_visit_due(n) < today for n in Nominal.objects.filter(
        home_visits__isnull=False).exclude(pk=nominal.pk).distinct())


COUNTED = [PanelDate, StandingMembership, Meeting, Invitation, Attendance, FollowUp, Minutes,
           PlanAction, ActionProgress, Level1Review, HomeVisit, TeamMember, AuditEvent]


def test_running_seed_demo_again_adds_no_meeting(seeded):
    before = {model: model.objects.count() for model in COUNTED}
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out)
    assert {model: model.objects.count() for model in COUNTED} == before
    assert f"Demo meetings: 0 cases created, {len(DEMO_CASES)} already present." in \
        out.getvalue()


def test_seeding_the_demo_meetings_emails_nobody(seeded, django_capture_on_commit_callbacks):
    # The case whose review is scheduled: its invitations are sent, a follow-up opened.
    upcoming = Meeting.objects.get(status=MeetingStatus.SCHEDULED)
    nominal = upcoming.nominal
    Disclosure.objects.filter(nominal=nominal).delete()
    Deferral.objects.filter(nominal=nominal).delete()
    PlanAction.objects.filter(nominal=nominal).delete()
    Document.objects.filter(nominal=nominal).delete()
    Minutes.objects.filter(meeting__nominal=nominal).delete()
    Meeting.objects.filter(nominal=nominal).delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = seed_meetings(today=timezone.localdate(), before_finalise=record_deferral)
    assert created == 1
    assert Invitation.objects.filter(meeting__nominal=nominal, sent_at__isnull=False).exists()
    assert FollowUp.objects.filter(meeting__nominal=nominal).exists()
    assert callbacks == []
    assert mail.outbox == []
    # Silenced only while seeding.
    again = Meeting.objects.get(nominal=nominal, status=MeetingStatus.SCHEDULED)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_add(meeting=again, agency=user("smb.member").agency,
                                name="Duty Team Leader", email="duty@example.je",
                                actor=user("admin.officer"), send=True)
    assert len(mail.outbox) == 1
