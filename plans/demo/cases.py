"""The demo cases' meetings and plans as a story: for each case, the meetings in the order
they are held (which panel, who attends, what the minutes say), the actions agreed at each
and their progress, the level 1 reviews and the home visits. Loaded by seed_meetings
(plans/demo/__init__.py)."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.utils import timezone

from cases.demo.people import DEMOS, HOUSING, POLICE, PROBATION
from cases.models import Level
from jmappa.accounts.models import AgencyKind
from meetings.models import (
    AttendanceMode,
    DisclosureDecision,
    InvitationResponse,
    PanelDate,
)

from ..models import ActionStatus, ActionType

COORDINATOR, ADMINISTRATOR = "coordinator", "admin.officer"

LOCATION = "Conference room, Police Headquarters, Route du Fort, St Helier"


# (weekday, which one of the month, time): the set dates of each level (§10.6).
PANEL_RULES = {
    Level.TWO: (calendar.TUESDAY, 2, time(10, 0)),
    Level.THREE: (calendar.THURSDAY, 3, time(14, 0)),
}


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


# Mental Health's standing seat has no member named in the demo: it is invited at the
# agency's secure email, and sends a report.
MH = AgencyKind.MENTAL_HEALTH
CONTACT_MENTAL_HEALTH = "Dr Anne Le Sueur, Forensic Mental Health Team"


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
                    (HOU, HOUSING, IN_PERSON), (CHILDREN, CONTACT_CHILDREN, REPORT),
                    (MH, CONTACT_MENTAL_HEALTH, REPORT)],
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
            "who_is_at_risk": "The 9-year-old daughter of his new partner, and girls at the "
                              "St Martin primary school.",
            "nature_of_risk": "Sexual abuse, through a relationship with a mother of young "
                              "children.",
            "imminence": "Imminent: he has access to the child now.",
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
            # Mental Health, invited, neither came nor reported: followed up, then
            # escalated to the SMB Chair (kpi/demo.py).
            attendance=[(POL, POLICE, IN_PERSON), (HOU, HOUSING, IN_PERSON),
                        (P, "Duty Team Leader, Probation", REPORT)],
            information={
                POL: "Intelligence: he has been befriending single mothers on an online "
                     "parents' forum. A warning notice has been served.",
                HOU: "Lives alone in a flat overlooking a play area; no breach of his "
                     "tenancy.",
            },
            minutes={
                "who_is_at_risk": "Children aged 8 to 14, particularly those of single "
                                  "mothers he befriends online.",
                "nature_of_risk": "Sexual abuse through grooming.",
                "imminence": "High: it could happen at any time.",
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
                        (CHILDREN, CONTACT_CHILDREN, VIDEO), (MH, CONTACT_MENTAL_HEALTH, REPORT)],
            information={
                POL: "Two call-outs to the couple's flat before his arrest; she is now in the "
                     "refuge. He has asked mutual friends where she is.",
                P: "He accepts the assault but blames her. Eligible for the domestic abuse "
                   "programme.",
                CHILDREN: "No children in the household; her sister's children visit her at "
                          "the refuge.",
            },
            minutes={
                "who_is_at_risk": "His partner, now in the refuge, and any new partner.",
                "nature_of_risk": "Serious physical harm and controlling behaviour.",
                "imminence": "High while he looks for her.",
                "discharge_considered": True,
                "discharge_notes": "Not yet: he is still looking for her.",
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
                        (CHILDREN, CONTACT_CHILDREN, REPORT), (MH, CONTACT_MENTAL_HEALTH, REPORT)],
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
                    (CHILDREN, CONTACT_CHILDREN, REPORT), (MH, CONTACT_MENTAL_HEALTH, REPORT)],
        information={
            POL: "Two newspapers have asked about his address. No sightings near schools.",
            P: "Complies with his licence; lives with his sister. He knows of the press "
               "interest and is anxious about it.",
        },
        minutes={
            "who_is_at_risk": "Boys he taught, and boys in any position of trust he seeks.",
            "nature_of_risk": "Sexual abuse through a position of trust.",
            "imminence": "High, though not imminent while he is supervised.",
            "discharge_considered": True,
            "discharge_notes": "Not while the press interest and his licence continue.",
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
