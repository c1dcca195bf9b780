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

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cases.demo import DEMOS, HOUSING, POLICE, PROBATION
from cases.models import Level, Nominal
from jmappa.accounts.models import Agency, AgencyKind, User
from jmappa.audit.context import audit_context
from jmappa.audit.models import Channel
from jmappa.core.mail import bulk_loading
from jmappa.workdays import is_working_day
from meetings import services
from meetings.models import (
    AttendanceMode,
    DisclosureDecision,
    InvitationResponse,
    Meeting,
    MeetingKind,
    PanelDate,
)
from meetings.services import minutes as minutes_services

from . import services as plan_services
from .models import ActionStatus, ActionType, HomeVisit, Level1Review, PlanAction

COORDINATOR, ADMINISTRATOR = "coordinator", "admin.officer"
LOCATION = "Conference room, Police Headquarters, Route du Fort, St Helier"
# (weekday, which one of the month, time): the set dates of each level (§10.6).
PANEL_RULES = {
    Level.TWO: (calendar.TUESDAY, 2, time(10, 0)),
    Level.THREE: (calendar.THURSDAY, 3, time(14, 0)),
}
MONTHS_BACK, MONTHS_AHEAD = 5, 6

# -- how a demo meeting is described -------------------------------------------------------


@dataclass
class DemoAction:
    action_type: str
    agency: str  # agency kind
    owner: str | None  # username of the named owner
    description: str
    due: int | None = None  # completion date: days from today (negative: past)
    after_meeting: int | None = None  # or: days after the meeting that agreed it
    plan_reference: str = ""
    # [(days after the meeting, note, status after)], oldest first (no later than today).
    progress: list = field(default_factory=list)


@dataclass
class DemoMeeting:
    level: str
    # Chooses the panel date: (panels of the level, oldest first; today; the panel of the
    # case's next demo meeting, or None) -> the panel.
    panel: Callable
    held: bool = True
    finalise: bool = True
    # [(agency kind, username or name, mode)]; an invited agency not listed was absent.
    attendance: list = field(default_factory=list)
    information: dict = field(default_factory=dict)  # agency kind -> what it shared
    minutes: dict = field(default_factory=dict)  # minutes fields
    review_weeks: int | None = None  # None: the latest the Guidance allows
    actions: list = field(default_factory=list)
    # People invited besides those the rules name: [(agency kind, name, email)].
    also_invited: list = field(default_factory=list)
    # The answers of the invitees, for a meeting still to come: {username: response}.
    responses: dict = field(default_factory=dict)


@dataclass
class DemoCase:
    ref: int
    meetings: list
    actor: str = ADMINISTRATOR  # who arranges the meetings and drafts the minutes

    @property
    def pnc(self) -> str:
        return next(demo.pnc for demo in DEMOS if demo.ref == self.ref)


def _local_day(panel: PanelDate) -> date:
    return timezone.localtime(panel.starts_at).date()


def latest_before(days: int) -> Callable:
    """The latest panel at least `days` days before today."""
    def choose(panels, today, later):
        return [p for p in panels if _local_day(p) <= today - timedelta(days=days)][-1]
    return choose


def latest_before_next(days: int) -> Callable:
    """The latest panel at least `days` days before the case's next demo meeting."""
    def choose(panels, today, later):
        limit = _local_day(later) - timedelta(days=days)
        return [p for p in panels if _local_day(p) <= limit][-1]
    return choose


def next_panel(panels, today, later):
    """The first panel after today."""
    return next(p for p in panels if _local_day(p) > today)


def last_panel(panels, today, later):
    """The latest panel before today."""
    return [p for p in panels if _local_day(p) < today][-1]


P, POL, HOU = AgencyKind.PROBATION, AgencyKind.POLICE, AgencyKind.HOUSING
CHILDREN = AgencyKind.CHILDRENS_SERVICES
IN_PERSON, VIDEO, REPORT = AttendanceMode.IN_PERSON, AttendanceMode.VIDEO, \
    AttendanceMode.REPORT_ONLY
T = ActionType
OPEN, IN_PROGRESS, DONE, CANNOT = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS,
                                   ActionStatus.DONE, ActionStatus.CANNOT_DELIVER)
CONTACT_CHILDREN = "Ruth Le Maistrel, Senior Social Worker"
PROBATION_OFFICER_22 = ("Alan Perchard, Probation Officer", "a.perchard@example.je")

# The meetings of each demo case, in the order they are held; the panel choices of a case
# are made from its last meeting back, so that the reviews fall within §10.11's limits.
DEMO_CASES = [
    DemoCase(1, [DemoMeeting(
        Level.TWO, latest_before(49),
        attendance=[(POL, POLICE, IN_PERSON), (P, PROBATION, IN_PERSON),
                    (HOU, HOUSING, IN_PERSON), (CHILDREN, CONTACT_CHILDREN, REPORT)],
        information={
            POL: "ViSOR: seen twice near the primary school in St Martin at the end of the "
                 "school day, which he denies. A check of his phone found nothing unlawful.",
            P: "He has missed two licence appointments. At the last home visit he said he is "
               "in a new relationship with a woman who has a daughter aged 9.",
            HOU: "Neighbours have complained about him; the tenancy is at risk. No other "
                 "address is available yet.",
            CHILDREN: "Written report: the new partner's daughter is known to Children's "
                      "Services; a strategy discussion has been arranged.",
        },
        minutes={
            "risk_summary": "The 9-year-old daughter of his new partner, and girls at the St "
                            "Martin primary school. Sexual abuse, through a relationship with "
                            "a mother of young children. The risk is imminent: he has access "
                            "to the child now.",
            "level_decision": Level.THREE, "ongoing_at_this_level": False,
            "ongoing_reasons": "Not at level 2: the risk is imminent and needs the senior "
                               "commitment of resources only a level 3 meeting can give "
                               "(police surveillance, an urgent move).",
            "discharge_considered": True,
            "discharge_notes": "Not appropriate: the risk has increased since the last "
                               "meeting.",
            "disclosure_considered": True, "disclosure_decision": DisclosureDecision.DISCLOSE,
            "disclosure_reasons": "His new partner must know of his convictions to protect "
                                  "her daughter (§5.2). The police will tell her, with a "
                                  "social worker, within two days.",
            "differences_of_opinion": "Housing proposed ending his tenancy at once; the "
                                      "meeting agreed that making him homeless would raise "
                                      "the risk, and Housing accepted this.",
        },
        review_weeks=6,
        actions=[
            DemoAction(T.VICTIM_PROTECTION, POL, POLICE,
                       "Tell his new partner of his convictions, with a Children's Services "
                       "social worker present, within two days of the meeting; record her "
                       "answer on ViSOR.", after_meeting=2,
                       progress=[(1, "Told her at her home with the social worker. She has "
                                      "ended the relationship and will not let him visit.",
                                  DONE)]),
            DemoAction(T.VICTIM_PROTECTION, P, PROBATION,
                       "Ask for a licence condition of no unsupervised contact with any "
                       "child under 16, and explain it to him in writing.", after_meeting=14,
                       plan_reference="Licence objective 2: contact with children",
                       progress=[(10, "Condition added by variation of the licence; given to "
                                      "him in writing and read through.", DONE)]),
            DemoAction(T.CONTINGENCY, POL, None,
                       "If he is seen near a school or at his former partner's home, the "
                       "duty inspector arranges his arrest and recall the same day; a ViSOR "
                       "flag tells every shift.", due=20),
            DemoAction(T.EXTERNAL_CONTROL, P, PROBATION,
                       "Weekly reporting at the Probation office and a weekly unannounced "
                       "home visit until the level 3 meeting.", due=10,
                       plan_reference="Licence objective 1: compliance",
                       progress=[(30, "Reported every week; two home visits, no concerns.",
                                  IN_PROGRESS)]),
            DemoAction(T.MONITORING, P, PROBATION,
                       "Complete a new Stable and Acute 2007 assessment and send it to the "
                       "Co-ordinator before the level 3 meeting.", due=-12,
                       plan_reference="Sentence plan: risk assessment"),
            DemoAction(T.OTHER, HOU, HOUSING,
                       "Find him a tenancy away from schools and play areas, and put the "
                       "options to the Co-ordinator.", due=14,
                       progress=[(25, "Two one-bedroom flats in St Saviour being checked "
                                      "with the police.", IN_PROGRESS)]),
        ],
    )]),
    DemoCase(13, [
        DemoMeeting(
            Level.TWO, latest_before_next(42),
            attendance=[(POL, POLICE, IN_PERSON), (HOU, HOUSING, IN_PERSON)],
            information={
                POL: "Intelligence: he has been befriending single mothers on an online "
                     "parents' forum. A warning notice has been served.",
                HOU: "Lives alone in a flat overlooking a play area; no breach of his "
                     "tenancy.",
            },
            minutes={
                "risk_summary": "Children aged 8 to 14, particularly those of single mothers "
                                "he befriends online. Sexual abuse through grooming. High: "
                                "it could happen at any time.",
                "level_decision": Level.TWO, "ongoing_at_this_level": True,
                "ongoing_reasons": "No agency supervises him: the police and Housing must "
                                   "act together to keep him from children. By the review: "
                                   "a Sexual Harm Prevention Order applied for, and a move "
                                   "away from the play area.",
                "discharge_considered": True,
                "discharge_notes": "Not yet: the intelligence is recent and unresolved.",
                "disclosure_considered": True,
                "disclosure_decision": DisclosureDecision.DEFER,
                "disclosure_reasons": "No one to disclose to yet: none of the women he has "
                                      "contacted is identified. The police will bring any "
                                      "name to the review.",
            },
            actions=[
                DemoAction(T.VICTIM_PROTECTION, POL, POLICE,
                           "Apply to the Royal Court for a Sexual Harm Prevention Order "
                           "forbidding unsupervised contact with children under 16.", due=10,
                           progress=[(5, "File sent to the Law Officers' Department.",
                                      IN_PROGRESS)]),
                DemoAction(T.CONTINGENCY, POL, None,
                           "If he is found with a child, or with a mother of young children, "
                           "the duty inspector decides on arrest and asks for an emergency "
                           "meeting the same day.", due=40),
                DemoAction(T.MONITORING, HOU, None,
                           "Tell the police within a day of any visitor with children, and "
                           "of any complaint about him near the play area.", due=-5),
                DemoAction(T.OTHER, HOU, HOUSING,
                           "Offer him a transfer to a one-bedroom flat away from the play "
                           "area.", due=-3,
                           progress=[(3, "No suitable flat in the allocation pool; he refused "
                                         "the one offered near a school in St Clement.",
                                      CANNOT)]),
            ],
        ),
        DemoMeeting(
            Level.TWO, next_panel, held=False, finalise=False,
            responses={POLICE: InvitationResponse.ATTENDING,
                       HOUSING: InvitationResponse.REMOTE},
        ),
    ]),
    DemoCase(22, [
        DemoMeeting(
            Level.TWO, latest_before_next(42),
            also_invited=[(P, *PROBATION_OFFICER_22)],
            attendance=[(POL, POLICE, IN_PERSON), (P, PROBATION_OFFICER_22[0], IN_PERSON),
                        (CHILDREN, CONTACT_CHILDREN, VIDEO)],
            information={
                POL: "Two call-outs to the couple's flat before his arrest; she is now in the "
                     "refuge. He has asked mutual friends where she is.",
                P: "He accepts the assault but blames her. Eligible for the domestic abuse "
                   "programme.",
                CHILDREN: "No children in the household; her sister's children visit her at "
                          "the refuge.",
            },
            minutes={
                "risk_summary": "His partner, now in the refuge, and any new partner. "
                                "Serious physical harm and controlling behaviour. High while "
                                "he looks for her.",
                "level_decision": Level.TWO, "ongoing_at_this_level": True,
                "ongoing_reasons": "The police, Probation and the refuge must share what "
                                   "they learn of his attempts to find her. By the review: "
                                   "the programme started and no contact with her.",
                "disclosure_considered": True,
                "disclosure_decision": DisclosureDecision.NOT_DISCLOSE,
                "disclosure_reasons": "She knows his history: she is the victim. No new "
                                      "partner is known.",
            },
            actions=[
                DemoAction(T.VICTIM_PROTECTION, POL, POLICE,
                           "Flag the refuge's address on police systems and fit a panic "
                           "alarm, within a week.", after_meeting=7,
                           progress=[(6, "Alarm fitted; address flagged.", DONE)]),
                DemoAction(T.CONTINGENCY, POL, None,
                           "If he contacts her or goes near the refuge: arrest for breach of "
                           "the restraining order, and an emergency meeting.", due=30),
                DemoAction(T.INTERNAL_CONTROL, P, None,
                           "Start him on the domestic abuse programme.", due=-15,
                           plan_reference="Probation order: programme requirement",
                           progress=[(20, "Assessed as suitable; first session booked.",
                                      IN_PROGRESS)]),
            ],
        ),
        DemoMeeting(
            Level.TWO, latest_before(21), finalise=False,
            also_invited=[(P, *PROBATION_OFFICER_22)],
            attendance=[(POL, POLICE, IN_PERSON), (P, PROBATION_OFFICER_22[0], IN_PERSON),
                        (CHILDREN, CONTACT_CHILDREN, REPORT)],
            information={
                POL: "No contact with her reported since the last meeting. He has started "
                     "a new relationship.",
            },
            minutes={},
        ),
    ]),
    DemoCase(21, actor=COORDINATOR, meetings=[DemoMeeting(
        Level.THREE, last_panel,
        attendance=[(POL, POLICE, IN_PERSON), (P, PROBATION, IN_PERSON),
                    (CHILDREN, CONTACT_CHILDREN, REPORT)],
        information={
            POL: "Two newspapers have asked about his address. No sightings near schools.",
            P: "Complies with his licence; lives with his sister. He knows of the press "
               "interest and is anxious about it.",
        },
        minutes={
            "risk_summary": "Boys he taught, and boys in any position of trust he seeks. "
                            "Sexual abuse through a position of trust. High, though not "
                            "imminent while he is supervised.",
            "level_decision": Level.THREE, "ongoing_at_this_level": True,
            "ongoing_reasons": "The press interest and his standing need the senior "
                               "managers' decisions on resources and on what is said "
                               "publicly. By the review: a media statement agreed and his "
                               "address kept confidential.",
            "disclosure_considered": True,
            "disclosure_decision": DisclosureDecision.NOT_DISCLOSE,
            "disclosure_reasons": "No one is at risk whom a disclosure would protect; a "
                                  "disclosure now would add to the risk of vigilante action.",
        },
        actions=[
            DemoAction(T.VICTIM_PROTECTION, P, PROBATION,
                       "Tell the victim, through the Victim Liaison Officer, of any change "
                       "to his address or licence conditions within a day.", due=40,
                       plan_reference="Licence: victim contact scheme"),
            DemoAction(T.CONTINGENCY, POL, POLICE,
                       "If his address becomes public: move him to the approved premises "
                       "that night and patrol his sister's address.", due=30),
            DemoAction(T.MONITORING, POL, None,
                       "Monthly unannounced home visit (ViSOR).", due=20),
        ],
    )]),
]

# Case 3 (level 1): [(days ago, new information, plan review, referral needed)].
LEVEL1_CASE = 3
LEVEL1_REVIEWS = [
    (88, "None: he keeps to his notification requirements and his devices are clean.",
     "Reviewed with Probation: police device checks every two months continue.", False),
    (20, "A device check found messages to two girls aged 12 and 13 on a gaming platform; "
         "he has been seen near a primary school.",
     "Device checks made monthly; Children's Services and Education told.", True),
]
# [(case, days ago, who visited, announced, notes)]
HOME_VISITS = [
    (LEVEL1_CASE, 170, "DC Le Breton and PC Amy (Public Protection Unit)", True,
     "Flat tidy; computer and phone checked, nothing of concern."),
    (LEVEL1_CASE, 75, "DC Le Breton (Public Protection Unit)", False,
     "New games console in the living room: taken for examination."),
    (1, 70, "DC Le Breton (Public Protection Unit)", True,
     "Licence conditions explained again; no concerns at the address."),
    (1, 38, "Insp. Marie Vibert and DC Le Breton", False,
     "Not at home; a neighbour says he is often out at the end of the school day."),
]


# -- seeding -------------------------------------------------------------------------------


def seed_meetings(*, today: date, stdout=None) -> int:
    """Seed the demo panel dates, standing membership and meetings not yet present; return
    how many cases had their meetings created. Run after the demo cases and referrals."""
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
                       panels=panels)
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
               agencies: dict, panels: dict) -> None:
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
                      agencies=agencies)


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
                  chair: User, users: dict, agencies: dict) -> None:
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

