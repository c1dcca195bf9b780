"""The Guidance's time rules, one entry each: where the rule lives, what it is about, who
must act, and how early it starts to show as "due soon".

Each rule is a function in the app that owns the data (`<app>/rules.py`), of the shape

    def <rule>(day: date, *, horizon: date) -> QuerySet

answering, in ONE query whatever the number of cases, every subject due on or before
`horizon` (so overdue on `day`, or due soon) as rows of
    subject_id, nominal_id, due_on, assigned_to_id
(`.values(...)` with those four names; assigned_to_id may be NULL where `assigned_role`
says who acts). The sweep (sweep.py), the pages, the counts and the API all read the
rules through this table, so that a page and an alert can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import import_module

from django.conf import settings
from django.db.models import QuerySet

from jmappa.accounts.models import Role
from jmappa.workdays import add_working_days

from .models import Rule


@dataclass(frozen=True)
class RuleSpec:
    rule: str
    function: str  # "app.rules.function"
    subject_type: str  # app_label.model of the subject
    who: str  # who must act, in the users' words
    # Where no person is named on the subject: the role that acts.
    assigned_role: str = ""
    # Working days before the due date at which it shows as "due soon".
    soon_working_days: int = 10

    def rows(self, day: date, horizon: date | None = None) -> QuerySet:
        module, name = self.function.rsplit(".", 1)
        function: Callable = getattr(import_module(module), name)
        return function(day, horizon=horizon or self.horizon(day))

    def horizon(self, day: date) -> date:
        days = getattr(settings, "ALERT_SOON_WORKING_DAYS", {}).get(
            self.rule, self.soon_working_days)
        return add_working_days(day, days) if days else day


RULES: dict[str, RuleSpec] = {spec.rule: spec for spec in [
    RuleSpec(Rule.REVIEW_DUE, "meetings.rules.review_due", "meetings.meeting",
             "the case manager; the Co-ordinator arranges the review",
             assigned_role=Role.COORDINATOR),
    RuleSpec(Rule.MINUTES_DUE, "meetings.rules.minutes_due", "meetings.meeting",
             "the meeting's Chair (the Administrator drafts)",
             assigned_role=Role.ADMINISTRATOR, soon_working_days=3),
    RuleSpec(Rule.PRE_RELEASE_MEETING_DUE, "meetings.rules.pre_release_meeting_due",
             "cases.nominal", "the case manager; the Co-ordinator arranges the meeting",
             assigned_role=Role.COORDINATOR, soon_working_days=20),
    RuleSpec(Rule.REFERRAL_MEETING_DUE, "meetings.rules.referral_meeting_due",
             "referrals.referral", "the Co-ordinator, who arranges the meeting",
             assigned_role=Role.COORDINATOR),
    RuleSpec(Rule.LEVEL1_REVIEW_DUE, "plans.rules.level1_review_due_rows", "cases.nominal",
             "the case manager of the lead agency", assigned_role=Role.COORDINATOR),
    RuleSpec(Rule.HOME_VISIT_DUE, "plans.rules.home_visit_due_rows", "cases.nominal",
             "the ViSOR manager (or the case manager)", assigned_role=Role.COORDINATOR),
    # With no named owner and no SPOC at the owning agency, the Co-ordinator chases it.
    RuleSpec(Rule.ACTION_OVERDUE, "plans.rules.action_overdue", "cases.planaction",
             "the action's owner (or the owning agency's SPOC)",
             assigned_role=Role.COORDINATOR, soon_working_days=0),
    RuleSpec(Rule.RELEASE_WITHOUT_REFERRAL, "referrals.rules.release_without_referral",
             "cases.nominal", "the case manager; the Co-ordinator where there is none",
             assigned_role=Role.COORDINATOR, soon_working_days=0),
    RuleSpec(Rule.IDENTIFICATION_LATE, "cases.rules.identification_late", "cases.nominal",
             "the Co-ordinator (quality assurance)", assigned_role=Role.COORDINATOR,
             soon_working_days=0),
    RuleSpec(Rule.FOLLOW_UP_OPEN, "meetings.rules.follow_up_open", "meetings.followup",
             "the meeting's Chair, with the agency's SPOC", assigned_role=Role.COORDINATOR,
             soon_working_days=0),
    RuleSpec(Rule.RETENTION_REVIEW, "cases.rules.retention_review", "cases.nominal",
             "the Co-ordinator", assigned_role=Role.COORDINATOR, soon_working_days=0),
    RuleSpec(Rule.REQUEST_NOT_CLARIFIED, "disclosure.rules.request_not_clarified",
             "disclosure.minutesrequest", "the Chair it was referred to, with the Co-ordinator",
             assigned_role=Role.COORDINATOR, soon_working_days=2),
    RuleSpec(Rule.SUMMARY_NOT_ISSUED, "disclosure.rules.summary_not_issued",
             "disclosure.minutesrequest", "the Chair of the last meeting",
             assigned_role=Role.COORDINATOR, soon_working_days=5),
    RuleSpec(Rule.DISCLOSURE_NOT_ENDORSED, "disclosure.rules.disclosure_not_endorsed",
             "disclosure.disclosure",
             "whoever recorded it, with the senior officer asked to endorse it",
             assigned_role=Role.COORDINATOR, soon_working_days=2),
    RuleSpec(Rule.DISCLOSURE_NOT_MADE, "disclosure.rules.disclosure_not_carried_out",
             "disclosure.disclosure", "whoever recorded it, with the Police or Probation",
             assigned_role=Role.COORDINATOR, soon_working_days=2),
    RuleSpec(Rule.DEFERRAL_PAST_DATE, "disclosure.rules.deferral_past_date",
             "disclosure.deferral", "the Chair of the meeting that deferred it",
             assigned_role=Role.COORDINATOR, soon_working_days=5),
    RuleSpec(Rule.CONTRACT_BREACH, "disclosure.rules.contract_breach_open",
             "disclosure.contractbreach", "the case manager, at once",
             assigned_role=Role.COORDINATOR, soon_working_days=0),
    RuleSpec(Rule.GOVERNANCE_REVIEW_DUE, "kpi.rules.governance_review_due",
             "kpi.governancedocument", "the document's owner (the Administrator, secretariat "
             "to the Board, where it has none)", assigned_role=Role.ADMINISTRATOR,
             soon_working_days=20),
    RuleSpec(Rule.FOLLOW_UP_ESCALATED, "kpi.rules.follow_up_escalated", "meetings.followup",
             "the SMB Chair, with the agency's representative on the Board",
             assigned_role=Role.ADMINISTRATOR, soon_working_days=0),
    RuleSpec(Rule.QUARTER_WITHOUT_SMB_MEETING, "kpi.rules.quarter_without_meeting",
             "kpi.quarter", "the Administrator, secretariat to the Board, who arranges it",
             assigned_role=Role.ADMINISTRATOR, soon_working_days=0),
    RuleSpec(Rule.ANNUAL_REPORT_NOT_APPROVED, "kpi.rules.annual_report_not_approved",
             "kpi.reportyear", "the Administrator, who prepares it for the Board's approval",
             assigned_role=Role.ADMINISTRATOR, soon_working_days=0),
    RuleSpec(Rule.SUPPORT_MEETING_DUE, "support.rules.support_meeting_due",
             "support.supportplanning", "the case manager, who arranges it with the network",
             assigned_role=Role.COORDINATOR, soon_working_days=5),
    RuleSpec(Rule.OFFENDING_DISCLOSED, "support.rules.offending_disclosed",
             "support.disclosedoffending", "the police contact, at once",
             assigned_role=Role.COORDINATOR, soon_working_days=0),
    RuleSpec(Rule.SERVICES_PLAN_REVIEW_DUE, "coordination.rules.services_plan_review_due",
             "coordination.servicesplan", "the case manager, for the panel",
             assigned_role=Role.COORDINATOR, soon_working_days=20),
    RuleSpec(Rule.SERVICE_UPDATE_UNANSWERED, "coordination.rules.service_update_unanswered",
             "coordination.updaterequest", "whoever asked the provider for it",
             assigned_role=Role.COORDINATOR, soon_working_days=3),
    RuleSpec(Rule.OVERSIGHT_NOTICE_DUE, "coordination.rules.oversight_notice_due",
             "coordination.oversightnotice", "whoever recorded the notice",
             assigned_role=Role.COORDINATOR, soon_working_days=5),
    RuleSpec(Rule.PLANNING_MEETING_1_DUE, "custody.rules.planning_meeting_1_due",
             "custody.sentence", "the joined-up team's lead, who organises and chairs it (the "
             "case manager where the lead does not use the service)",
             assigned_role=Role.COORDINATOR, soon_working_days=10),
    RuleSpec(Rule.REVIEW_MEETING_DUE, "custody.rules.review_meeting_due", "custody.sentence",
             "the joined-up team's lead (the case manager where the lead does not use the "
             "service)", assigned_role=Role.COORDINATOR, soon_working_days=20),
    RuleSpec(Rule.FINAL_REVIEW_DUE, "custody.rules.final_review_due", "custody.sentence",
             "the joined-up team's lead (the case manager where the lead does not use the "
             "service)", assigned_role=Role.COORDINATOR, soon_working_days=60),
    RuleSpec(Rule.PATHWAY_PLAN_REVIEW_DUE, "custody.rules.pathway_plan_review_due",
             "custody.joinedupmember", "the Personal Advisor (the case manager where they do not "
             "use the service)", assigned_role=Role.COORDINATOR, soon_working_days=10),
    RuleSpec(Rule.RECALL_DECISION_DUE, "custody.rules.recall_decision_due", "custody.breach",
             "the case manager, at once", assigned_role=Role.COORDINATOR,
             soon_working_days=0),
    RuleSpec(Rule.INTERVENTION_REVIEW_DUE, "interventions.rules.review_point_due",
             "interventions.reviewpoint", "whoever the review point names to make it happen",
             assigned_role=Role.COORDINATOR, soon_working_days=5),
]}
