"""Every kind of meeting the service holds, declared in one place: who is invited and
whether the person themselves attends, the sections of its record and those required before
it is final, the plan it creates or reviews, and the time rules that watch it (each a rule of
the deadline sweep, alerts/registry.py).

The JMAPP levels (§10) are entries here with the behaviour they always had: the offender
never attends (§3.6), the minutes are those of meetings/models.Minutes, the plan is the Risk
Management Plan. A Support Planning Meeting (support/) brings the person together with
their support network: the person always attends. The multi-agency panel (coordination/)
endorses coordinated services plans. The joined-up team around a person in prison and on
release (custody/, seed 003) meets without them first, then with them.

Where a kind's record lives is named by its model's label ("support.SupportMeeting"), so
that this module imports no app above meetings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cases.models import Level


class Attends(StrEnum):
    """Whether the person the meeting is about is in the room."""

    NEVER = "never"  # JMAPP meetings: the offender is told of them, never present (§3.6)
    ALWAYS = "always"  # the meeting is held with them or not at all
    BY_CONSENT = "by_consent"  # where the person's consent decides


@dataclass(frozen=True)
class Section:
    name: str  # the record's field
    label: str
    required: bool = True  # needed before the record is final


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    record: str  # the model holding a meeting of this kind
    attends: Attends
    invited: str  # who is invited, in the users' words
    sections: tuple[Section, ...]
    plan: str  # the plan it creates or reviews
    rules: tuple[str, ...]  # the time rules watching it (alerts.models.Rule values)
    level: str | None = None  # the JMAPP level, for the JMAPP kinds
    emergency: bool = False

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(section.name for section in self.sections if section.required)


# The sections of JMAPP minutes, in their order; the finalising check
# (meetings/services/minutes.finalise_problems) asks for the required ones.
JMAPP_SECTIONS = (
    Section("confidentiality_read", "The confidentiality statement read"),
    Section("rosh_overall", "The risk of serious harm agreed (§9.1)"),
    Section("who_is_at_risk", "Who is at risk"),
    Section("nature_of_risk", "The nature of the harm"),
    Section("imminence", "How imminent"),
    Section("level_decision", "The level decided"),
    Section("ongoing_at_this_level", "Ongoing management at this level (§10.2)"),
    Section("discharge_considered", "Discharge from JMAPPA considered (§13.3)"),
    Section("disclosure_decision", "The disclosure decision (§5.2)"),
    Section("disclosure_reasons", "The reasons for the disclosure decision"),
    Section("differences_of_opinion", "Differences of opinion", required=False),
    Section("withhold_from_offender", "Information withheld from the offender (§3.6)",
            required=False),
    Section("next_review_by", "The next review (§10.11)"),
)
JMAPP_INVITED = ("the agencies of the case and the level's standing members (§10.7), by "
                 "name and secure email; never the offender (§3.6)")
JMAPP_RULES = ("review_due", "minutes_due", "pre_release_meeting_due")
RMP = "Risk Management Plan (§8)"

# The Support Planning Meeting's record (seed 000), in the order the meeting follows.
SPM_SECTIONS = (
    Section("introductions", "Introductions: each person's role or relationship"),
    Section("risk_meaning", "What risk means, so that everyone understands it the same way"),
    Section("specific_risks", "The specific risks: behaviours, thoughts, attitudes"),
    Section("offence_chain", "The offence chain, as the person tells it", required=False),
    Section("coping_strategies", "Strategies to cope with the risks"),
    Section("commitments", "Each person's commitment to the plan"),
    Section("next_steps", "Where to from here"),
)

# Joined-up planning (seed 003): each meeting's outcomes, as the seed lists them.
JOINED_UP_INVITED = ("the joined-up team: the Prison Offender Manager, the Probation "
                     "Practitioner, the Personal Advisor, the Care Experience Specialist, and "
                     "the Recall Officer on a recall; the lead organises and chairs")
RECALL_REVIEW = Section("recall_review", "On a recall: what led to it, what broke down, what "
                        "must be in place on release", required=False)
NEXT_STEPS = Section("next_steps", "Next steps, actions and when the team meets again")
PLANNING_1_SECTIONS = (
    Section("information_shared", "The information the team shared about the person"),
    RECALL_REVIEW,
    Section("approach_agreed", "The approach and the agenda agreed for Planning Meeting 2"),
    NEXT_STEPS,
)
PLANNING_2_SECTIONS = (
    Section("my_plan_completed", "My Plan completed with the person"),
    Section("plans_updated", "OASys and the Pathway Plans updated and aligned"),
    RECALL_REVIEW,
    NEXT_STEPS,
)
REVIEW_SECTIONS = (
    Section("progress", "Progress against My Plan and the actions; changes in risk, "
                        "wellbeing or circumstances"),
    RECALL_REVIEW,
    NEXT_STEPS,
)
FINAL_SECTIONS = (
    Section("progress", "Progress against My Plan and the actions"),
    Section("ending_support", "Support coming to an end: what continues, warm handovers, the "
                              "Termination OASys"),
    NEXT_STEPS,
)


def _joined_up(code: str, label: str, attends: Attends, sections: tuple[Section, ...],
               rules: tuple[str, ...]) -> Kind:
    return Kind(code=code, label=label, record="custody.PlanningMeeting", attends=attends,
                invited=JOINED_UP_INVITED + (
                    "; the person themselves" if attends == Attends.ALWAYS else ""),
                sections=sections, plan="My Plan and the team actions log", rules=rules)


def _jmapp(code: str, label: str, level: str, *, emergency: bool = False,
           rules: tuple[str, ...] = JMAPP_RULES) -> Kind:
    return Kind(code=code, label=label, record="meetings.Meeting", attends=Attends.NEVER,
                invited=JMAPP_INVITED, sections=JMAPP_SECTIONS, plan=RMP, rules=rules,
                level=level, emergency=emergency)


KINDS: dict[str, Kind] = {kind.code: kind for kind in [
    _jmapp("level_1", "Level 1 case management discussion", Level.ONE,
           rules=("level1_review_due", "minutes_due", "pre_release_meeting_due")),
    _jmapp("level_2", "Level 2 meeting", Level.TWO,
           rules=("referral_meeting_due", *JMAPP_RULES)),
    _jmapp("level_3", "Level 3 meeting", Level.THREE,
           rules=("referral_meeting_due", *JMAPP_RULES)),
    _jmapp("emergency_2", "Emergency level 2 meeting", Level.TWO, emergency=True),
    _jmapp("emergency_3", "Emergency level 3 meeting", Level.THREE, emergency=True),
    Kind(code="support_planning", label="Support Planning Meeting",
         record="support.SupportMeeting", attends=Attends.ALWAYS,
         invited="the person, the support people they chose (family, friends, employers) "
                 "and the professionals and treatment providers of their support network",
         sections=SPM_SECTIONS, plan="Safety plan", rules=(
             "support_meeting_due", "offending_disclosed")),
    # The multi-agency panel of coordinated services plans (seed 002): the executive delegates
    # of the member agencies; the person is not there (nothing in the seed asks it).
    Kind(code="services_panel", label="Multi-agency panel", record="coordination.PanelMeeting",
         attends=Attends.NEVER,
         invited="the panel's members, executive delegates of the member agencies, and its "
                 "Chair; providers are asked for their service updates before it",
         sections=(), plan="Coordinated services plan", rules=(
             "services_plan_review_due", "service_update_unanswered",
             "oversight_notice_due")),
    # The team meets first without the person, to plan how to meet with them.
    _joined_up("planning_1", "Joined-up Planning Meeting 1", Attends.NEVER,
               PLANNING_1_SECTIONS, ("planning_meeting_1_due",)),
    _joined_up("planning_2", "Joined-up Planning Meeting 2", Attends.ALWAYS,
               PLANNING_2_SECTIONS, ()),
    _joined_up("review", "Joined-up Review Meeting", Attends.ALWAYS, REVIEW_SECTIONS,
               ("review_meeting_due", "pathway_plan_review_due")),
    _joined_up("final_review", "Final Review Meeting", Attends.ALWAYS, FINAL_SECTIONS,
               ("final_review_due",)),
]}


def jmapp_kinds() -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.level]


def kind_level() -> dict[str, str]:
    """{JMAPP kind: its level}."""
    return {kind.code: kind.level for kind in jmapp_kinds()}


def emergency_kinds() -> tuple[str, ...]:
    return tuple(kind.code for kind in KINDS.values() if kind.emergency)
