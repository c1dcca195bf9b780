"""Alerts raised by the Guidance's time rules, and the notifications that tell people.

An alert is one thing due or overdue: a rule (`Rule`), its subject (the meeting, the
action, the referral, the case...), the case it belongs to, the date it is due, and who
must act. The deadline sweep (alerts/sweep.py) keeps the table equal to what the
rules say on the day: it raises what is new, resolves what has cleared, and never raises
the same thing twice (unique per rule, subject and due date).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import CaseChildQuerySet, Nominal


class Rule(models.TextChoices):
    REVIEW_DUE = "review_due", "Review meeting due (§10.11)"
    MINUTES_DUE = "minutes_due", "Minutes due (§10.12)"
    REFERRAL_MEETING_DUE = "referral_meeting_due", "Referral meeting due (§10.4)"
    LEVEL1_REVIEW_DUE = "level1_review_due", "Level 1 review due (§9.2, §10.11)"
    HOME_VISIT_DUE = "home_visit_due", "Home visit due (§14.9)"
    ACTION_OVERDUE = "action_overdue", "Plan action overdue (§8.3)"
    RELEASE_WITHOUT_REFERRAL = "release_without_referral", (
        "Release within 6 months, no referral (§3.3)")
    IDENTIFICATION_LATE = "identification_late", "Identified late after sentence (§3.3)"
    FOLLOW_UP_OPEN = "follow_up_open", "Non-attendance follow-up open (§10.10)"
    RETENTION_REVIEW = "retention_review", "Retention review at 100 (§13.3)"
    REQUEST_NOT_CLARIFIED = "request_not_clarified", "Request for minutes not clarified (§5.5)"
    SUMMARY_NOT_ISSUED = "summary_not_issued", "Executive Summary not issued (§5.6)"
    DISCLOSURE_NOT_ENDORSED = "disclosure_not_endorsed", "Disclosure not endorsed (§5.1)"
    DISCLOSURE_NOT_MADE = "disclosure_not_made", "Endorsed disclosure not made (§5.2)"
    DEFERRAL_PAST_DATE = "deferral_past_date", "Deferred disclosure decision due (§5.2)"
    CONTRACT_BREACH = "contract_breach", "Worship contract breached (§5.4)"
    GOVERNANCE_REVIEW_DUE = "governance_review_due", (
        "Board governance document review due (§15.1)")
    FOLLOW_UP_ESCALATED = "follow_up_escalated", "Non-attendance escalated to the SMB (§10.10)"
    QUARTER_WITHOUT_SMB_MEETING = "quarter_without_smb_meeting", (
        "No SMB meeting in the quarter (§15.3)")
    ANNUAL_REPORT_NOT_APPROVED = "annual_report_not_approved", (
        "Annual report not yet approved (§15.5)")
    SUPPORT_MEETING_DUE = "support_meeting_due", "Support Planning Meeting due"
    OFFENDING_DISCLOSED = "offending_disclosed", (
        "Offending disclosed at a Support Planning Meeting: tell the Police")
    SERVICES_PLAN_REVIEW_DUE = "services_plan_review_due", (
        "Coordinated services plan review due (six-monthly)")
    SERVICE_UPDATE_UNANSWERED = "service_update_unanswered", (
        "Service update not answered before the panel")
    OVERSIGHT_NOTICE_DUE = "oversight_notice_due", "Oversight notice to answer"
    PRE_RELEASE_MEETING_DUE = "pre_release_meeting_due", (
        "Meeting due 6 months before temporary release (§10.4)")
    PLANNING_MEETING_1_DUE = "planning_meeting_1_due", (
        "Joined-up Planning Meeting 1 due (within 10 weeks of sentencing)")
    REVIEW_MEETING_DUE = "review_meeting_due", "Joined-up Review Meeting due"
    FINAL_REVIEW_DUE = "final_review_due", "Final Review Meeting due (end of sentence)"
    PATHWAY_PLAN_REVIEW_DUE = "pathway_plan_review_due", (
        "Pathway Plan review due (six-monthly)")
    RECALL_DECISION_DUE = "recall_decision_due", "Recall requested: decide it swiftly (§14.7)"
    INTERVENTION_REVIEW_DUE = "intervention_review_due", (
        "Intervention package review point due")


# The Board's own rules: no case; read by the Board's members and secretariat.
BOARD_RULES = (Rule.GOVERNANCE_REVIEW_DUE, Rule.FOLLOW_UP_ESCALATED,
               Rule.QUARTER_WITHOUT_SMB_MEETING, Rule.ANNUAL_REPORT_NOT_APPROVED)


class AlertQuerySet(CaseChildQuerySet):
    def visible_to(self, user):
        """The case's access rule; an alert with no case (a referral being screened, the
        Board's work) is the Co-ordinator's, and the Board's also its members' and
        secretariat's."""
        from jmappa import access

        cases = Q(nominal__in=access.restrict_nominals(Nominal.objects.all(), user))
        if access.can_screen_referrals(user):
            cases |= Q(nominal__isnull=True)
        if access.can_view_kpis(user):  # the Board's own work, for its members and secretariat
            cases |= Q(nominal__isnull=True, rule__in=BOARD_RULES)
        return self.filter(cases)

    def open(self):
        return self.filter(resolved_at__isnull=True)


class Alert(models.Model):
    rule = models.CharField(max_length=32, choices=Rule.choices)
    # The subject: "meetings.meeting", "cases.planaction", "referrals.referral", ... A stable
    # code the API answers with, not the model's app label: a plan action is
    # "cases.planaction" though its model now lives in plans/.
    subject_type = models.CharField(max_length=40)
    subject_id = models.BigIntegerField()
    # Empty only for a referral not yet linked to a case.
    nominal = models.ForeignKey(Nominal, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="alerts")
    due_on = models.DateField(db_index=True)
    # Who must act: a person where the rule names one; otherwise a role (the Co-ordinator,
    # the Administrators) in `assigned_role`.
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="alerts")
    assigned_role = models.CharField(max_length=20, blank=True)
    raised_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "subject_type", "subject_id", "due_on"],
                                    name="one_alert_per_rule_subject_and_due_date"),
        ]
        indexes = [
            models.Index(fields=["assigned_to", "resolved_at", "due_on"]),
            models.Index(fields=["nominal", "resolved_at"]),
            models.Index(fields=["rule"], condition=Q(resolved_at__isnull=True),
                         name="alerts_open_by_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.subject_type} {self.subject_id}, {self.due_on}"

    @property
    def case_id(self) -> int:
        return self.nominal_id

    @property
    def is_board(self) -> bool:
        """The Board's own work: about no case."""
        return self.rule in BOARD_RULES


class NoticeKind(models.TextChoices):
    """Something that happened, told in the application, with no deadline of its own."""

    REFERRAL_DECIDED = "referral_decided", "Your referral was decided"
    INVITED = "invited", "You are invited to a meeting"
    LEAD_CHANGED = "lead_changed", "The lead of a joined-up team changed"


class Notification(models.Model):
    """One person told of one thing: an alert (in the application at once, by email in the
    day's digest, `emailed_at` set when the digest that carried it was sent), or a notice of
    something that happened to them (their referral decided, an invitation to a meeting),
    which has no alert: its `kind`, `text`, `url` and case say what it is."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications")
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="notifications")
    # Empty for an alert's notification (the sweep inserts those by SQL: database defaults).
    kind = models.CharField(max_length=20, choices=NoticeKind.choices, blank=True,
                            db_default="")
    # What the notice is about, once: "referral:12:accepted", "invitation:40:<sent>".
    key = models.CharField(max_length=80, blank=True, db_default="")
    nominal = models.ForeignKey(Nominal, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    text = models.CharField(max_length=300, blank=True, db_default="")
    url = models.CharField(max_length=300, blank=True, db_default="")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "alert"], name="one_notification_per_alert"),
            models.UniqueConstraint(fields=["user", "key"], condition=~Q(key=""),
                                    name="one_notice_per_event"),
            models.CheckConstraint(
                condition=Q(alert__isnull=False, kind="") | Q(alert__isnull=True) & ~Q(kind=""),
                name="notification_of_an_alert_or_a_notice"),
        ]
        indexes = [models.Index(fields=["user", "read_at"]),
                   models.Index(fields=["emailed_at", "user"])]

    def __str__(self) -> str:
        return f"{self.user} told of {self.alert or self.text}"

    @property
    def is_new(self) -> bool:
        """Unread, and still something to act on: a resolved alert's notification is not new."""
        if self.read_at is not None:
            return False
        return self.alert_id is None or self.alert.resolved_at is None
