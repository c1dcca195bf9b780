"""Demo meetings for `manage.py seed_demo`: panel dates, meetings, minutes and Risk
Management Plans on a few of the demo cases, after the demo cases and referrals. It lives
with the plan, the higher of the two apps, because each meeting's minutes are finalised with
the plan it agreed.

Everything is invented, and goes through the services as in real use: the Administrator
(admin.officer) keeps the panel dates and the standing membership, schedules the meetings,
records the attendance and drafts the minutes; the Co-ordinator chairs and finalises them;
each agency's persona logs the progress of its actions. The restricted case is handled by
the Co-ordinator alone, as the Administrator is not named on it. Nobody is emailed: the
meetings' emails are switched off while seeding (jmappa.core.mail.bulk_loading), and the final
minutes are not distributed (that emails each agency's SPOC).

Dates are relative to `today`:
- panel dates: level 2 on the second Tuesday and level 3 on the third Thursday of each
  month, from five months back to six ahead (the next working day where that day is a
  bank holiday); the meetings sit on them;
- Le Vraicquet (case 1): a level 2 meeting at least seven weeks ago raised the case to
  level 3 and set its review six weeks on: the review is overdue, and no meeting arranged;
  his monthly home visit is overdue too;
- Le Crapaudier (case 13): a level 2 meeting with final minutes, an action that cannot be
  delivered waiting to be carried, and the review scheduled on the next level 2 panel, its
  invitations sent and partly answered;
- Vinchelier (case 22): final minutes of a first meeting, then a review held at least three
  weeks ago whose minutes are still a draft, past their due date;
- Le Pivelin (case 21, restricted): a level 3 meeting with final minutes, to which the
  people not named on the case are not invited;
- Le Cotilier (case 3, level 1): the lead agency's level 1 reviews (the latest finding that
  a referral is needed) and home visits.
The actions are owned by Probation, the Police and Housing (probation.officer,
police.inspector and housing.officer by name on some): open, in progress, overdue, done,
and one that cannot be delivered. Only people already on each case's team are invited or
named, so the demo caseloads stay as cases/demo.py describes them: smb.member, the
Guidance's Assistant Chief Probation Officer, fills Probation's level 3 seat, but the one
level 3 meeting is on the restricted case, which he is not named on, so he is not invited.

Idempotent, case by case: a demo case that already has a meeting (for the level 1 case: a
level 1 review or a home visit) is left alone. Panel dates are keyed on their level and
time, and the standing membership is only filled where a seat is missing, so running
seed_demo again adds nothing (on a later month, that month's new panel dates).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction

from cases.demo.people import DEMOS, HOUSING, POLICE, PROBATION
from cases.models import Level, Nominal
from jmappa.accounts.models import Agency, User
from jmappa.audit.context import audit_context
from jmappa.audit.models import Channel
from jmappa.core.mail import bulk_loading
from jmappa.workdays import is_working_day
from meetings import services
from meetings.models import (
    AttendanceMode,
    InvitationResponse,
    Meeting,
    MeetingKind,
    PanelDate,
)
from meetings.services import minutes as minutes_services

from .. import services as plan_services
from ..models import HomeVisit, Level1Review, PlanAction
from .cases import (
    ADMINISTRATOR,
    COORDINATOR,
    DEMO_CASES,
    HOME_VISITS,
    HOU,
    LEVEL1_CASE,
    LEVEL1_REVIEWS,
    LOCATION,
    PANEL_RULES,
    POL,
    DemoAction,
    DemoCase,
    DemoMeeting,
    P,
)

MONTHS_BACK, MONTHS_AHEAD = 5, 6

# -- how a demo meeting is described -------------------------------------------------------






















# -- seeding -------------------------------------------------------------------------------


def seed_meetings(*, today: date, stdout=None, before_finalise=None) -> int:
    """Seed the demo panel dates, standing membership and meetings not yet present; return
    how many cases had their meetings created. Run after the demo cases and referrals.
    `before_finalise(minutes, actor)`: what the apps above record with the draft minutes
    before the Chair finalises them (the disclosure step's deferral)."""
    users = {u.username: u for u in User.objects.filter(
        username__in=[COORDINATOR, ADMINISTRATOR, PROBATION, POLICE, HOUSING])
        .select_related("agency")}
    agencies = {}
    for agency in Agency.objects.order_by("id"):
        agencies.setdefault(agency.kind, agency)
    nominals = {n.pnc_number: n for n in Nominal.objects.filter(
        pnc_number__in=[case.pnc for case in DEMO_CASES]
        + [demo.pnc for demo in DEMOS if demo.ref in {LEVEL1_CASE, 1}])}
    created = 0
    with bulk_loading(), audit_context(Channel.CLI), transaction.atomic():
        admin = users[ADMINISTRATOR]
        panels = _seed_panels(today, admin)
        for level in (Level.TWO, Level.THREE):
            services.standing_membership_fill(level=level, actor=admin)
        for case in DEMO_CASES:
            nominal = nominals[case.pnc]
            if Meeting.objects.filter(nominal=nominal).exists():
                continue
            _seed_case(case, nominal, today=today, users=users, agencies=agencies,
                       panels=panels, before_finalise=before_finalise)
            created += 1
        _seed_level1(nominals, today=today, users=users)
    if stdout:
        stdout.write(f"Demo meetings: {created} cases created, "
                     f"{len(DEMO_CASES) - created} already present.")
    return created


def _panel_days(level: str, today: date) -> list[datetime]:
    weekday, nth, clock = PANEL_RULES[level]
    days = []
    first = today.replace(day=1)
    for offset in range(-MONTHS_BACK, MONTHS_AHEAD + 1):
        month = _add_months(first, offset)
        first_weekday = 1 + (weekday - month.weekday()) % 7
        day = month.replace(day=first_weekday + 7 * (nth - 1))
        while not is_working_day(day):
            day += timedelta(days=1)
        days.append(services.local_datetime(day, clock))
    return days


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _seed_panels(today: date, admin: User) -> dict[str, list[PanelDate]]:
    """The set dates of both levels, each added once (keyed on level and time)."""
    existing = set(PanelDate.objects.values_list("level", "starts_at"))
    for level in (Level.TWO, Level.THREE):
        for starts_at in _panel_days(level, today):
            if (level, starts_at) not in existing:
                services.panel_date_add(level=level, starts_at=starts_at, actor=admin,
                                        location=LOCATION)
    panels = {Level.TWO: [], Level.THREE: []}
    for panel in PanelDate.objects.filter(cancelled=False).order_by("starts_at"):
        panels[panel.level].append(panel)
    return panels


def _choose_panels(case: DemoCase, panels: dict, today: date) -> list[PanelDate]:
    """The panel of each of the case's meetings, chosen from the last meeting back."""
    chosen: list[PanelDate] = []
    later = None
    for spec in reversed(case.meetings):
        later = spec.panel(panels[spec.level], today, later)
        chosen.insert(0, later)
    return chosen


def _seed_case(case: DemoCase, nominal: Nominal, *, today: date, users: dict,
               agencies: dict, panels: dict, before_finalise=None) -> None:
    actor = users[case.actor]
    chair = users[COORDINATOR]
    for spec, panel in zip(case.meetings, _choose_panels(case, panels, today), strict=True):
        kind = MeetingKind.LEVEL_2 if spec.level == Level.TWO else MeetingKind.LEVEL_3
        meeting = services.meeting_schedule(nominal=nominal, kind=kind, panel=panel,
                                            chair=chair, actor=actor)
        for kind_, name, email in spec.also_invited:
            services.invitation_add(meeting=meeting, agency=agencies[kind_], name=name,
                                    email=email, actor=actor)
        if not spec.held:
            services.invitations_send(meeting=meeting, actor=actor)
            for username, response in spec.responses.items():
                invitation = meeting.invitations.get(user=users[username])
                services.invitation_respond(invitation=invitation, response=response,
                                            actor=users[username])
            continue
        _record_answers(meeting, spec, actor=actor, agencies=agencies)
        rows = []
        for kind_, who, mode in spec.attendance:
            person = users.get(who)
            rows.append({"agency": agencies[kind_], "mode": mode, "attendee": person,
                         "attendee_name": "" if person else who, "grade": None})
        meeting = services.meeting_record_attendance(meeting=meeting, rows=rows, actor=actor)
        _seed_minutes(spec, meeting, today=today, actor=actor, chair=chair, users=users,
                      agencies=agencies, before_finalise=before_finalise)


ANSWERS = {AttendanceMode.IN_PERSON: InvitationResponse.ATTENDING,
           AttendanceMode.VIDEO: InvitationResponse.REMOTE,
           AttendanceMode.TELEPHONE: InvitationResponse.REMOTE,
           AttendanceMode.REPORT_ONLY: InvitationResponse.REPORT}


def _record_answers(meeting: Meeting, spec: DemoMeeting, *, actor: User,
                    agencies: dict) -> None:
    """Each invitee's answer before the day, as their agency then attended: given by the
    invitee with an account, recorded by the Administrator for the others. An agency that
    did not come had not answered."""
    modes = {agencies[kind].pk: mode for kind, _who, mode in spec.attendance}
    for invitation in meeting.invitations.select_related("user"):
        mode = modes.get(invitation.agency_id)
        if mode in ANSWERS:
            services.invitation_respond(invitation=invitation, response=ANSWERS[mode],
                                        actor=invitation.user or actor)


def _seed_minutes(spec: DemoMeeting, meeting: Meeting, *, today: date, actor: User,
                  chair: User, users: dict, agencies: dict, before_finalise=None) -> None:
    minutes = minutes_services.minutes_start(meeting=meeting, actor=actor)
    information = [{"agency": agencies[kind], "information": text}
                   for kind, text in spec.information.items()]
    fields = dict(spec.minutes)
    if spec.finalise:
        fields["confidentiality_read"] = True
        if spec.review_weeks:
            fields["next_review_by"] = meeting.date + timedelta(weeks=spec.review_weeks)
    else:
        fields.setdefault("confidentiality_read", True)
    minutes = minutes_services.minutes_update(minutes=minutes, actor=actor,
                                              version=minutes.version,
                                              information=information, **fields)
    actions = []
    for action in spec.actions:
        actions.append((action, plan_services.action_add(
            nominal=meeting.nominal, meeting=meeting, actor=actor,
            description=action.description, action_type=action.action_type,
            owner_agency=agencies[action.agency],
            owner=users[action.owner] if action.owner else None,
            due_date=meeting.date + timedelta(days=action.after_meeting)
            if action.after_meeting is not None else today + timedelta(days=action.due),
            plan_reference=action.plan_reference)))
    if not spec.finalise:
        return
    if before_finalise is not None:
        before_finalise(minutes, actor)
    minutes_services.minutes_finalise(minutes=minutes, actor=chair)
    for action, record in actions:
        _seed_progress(action, record, meeting=meeting, today=today, users=users)


OWNER_BY_AGENCY = {P: PROBATION, POL: POLICE, HOU: HOUSING}


def _seed_progress(spec: DemoAction, action: PlanAction, *, meeting: Meeting, today: date,
                   users: dict) -> None:
    who = users[spec.owner or OWNER_BY_AGENCY[spec.agency]]
    for days_after, note, status in spec.progress:
        on = min(today, meeting.date + timedelta(days=days_after))
        plan_services.action_progress_log(action=action, actor=who, on=on, note=note,
                                          status=status)


def _seed_level1(nominals: dict, *, today: date, users: dict) -> None:
    """The level 1 reviews and home visits: a case that has any is left alone."""
    police = users[POLICE]
    by_ref = {demo.ref: nominals[demo.pnc] for demo in DEMOS if demo.pnc in nominals}
    level1 = by_ref[LEVEL1_CASE]
    if level1.level == Level.ONE and not Level1Review.objects.filter(nominal=level1).exists():
        for days_ago, new_information, plan_review, needed in LEVEL1_REVIEWS:
            plan_services.level1_review_record(
                nominal=level1, actor=police, reviewed_on=today - timedelta(days=days_ago),
                new_information=new_information, plan_review=plan_review,
                referral_needed=needed)
    visited = set(HomeVisit.objects.filter(nominal__in=by_ref.values())
                  .values_list("nominal_id", flat=True))
    for ref, days_ago, who, announced, notes in HOME_VISITS:
        nominal = by_ref[ref]
        if nominal.pk in visited:
            continue
        plan_services.home_visit_record(nominal=nominal, actor=police,
                                        visited_on=today - timedelta(days=days_ago),
                                        visited_by=who, announced=announced, notes=notes)

