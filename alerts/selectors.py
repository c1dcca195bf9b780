"""Reads of alerts that every page, count and the API share: the rows the deadline sweep
keeps (alerts/sweep.py), narrowed to the cases the user may see (the case's access
rule; the Co-ordinator sees all), already joined to what the pages show.

A page never recomputes a rule: it reads the alerts, so that a page and an alert can never
disagree.
"""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from cases.models import Nominal
from jmappa import access
from jmappa.accounts.models import Role

from .models import Alert, Notification, Rule
from .registry import RULES

# What each kind of subject is called, and the page that deals with it.
SUBJECTS: dict[str, str] = {
    "meetings.meeting": "Meeting",
    "cases.planaction": "Plan action",
    "referrals.referral": "Referral",
    "cases.nominal": "Case record",
    "meetings.followup": "Non-attendance follow-up",
    "disclosure.disclosure": "Disclosure",
    "disclosure.minutesrequest": "Request for minutes",
    "disclosure.deferral": "Deferred disclosure decision",
    "disclosure.contractbreach": "Breach of a worship contract",
    "kpi.governancedocument": "Board governance document",
    "kpi.quarter": "Board meetings of the quarter",
    "kpi.reportyear": "Annual report",
    "support.supportplanning": "Support planning",
    "support.disclosedoffending": "Offending disclosed",
    "coordination.servicesplan": "Coordinated services plan",
    "coordination.updaterequest": "Service update request",
    "coordination.oversightnotice": "Oversight notice",
    "custody.sentence": "Sentence and joined-up planning",
    "custody.joinedupmember": "Pathway Plan",
    "custody.breach": "Breach and recall",
    "interventions.reviewpoint": "Intervention package review point",
}
# A rule about the case itself whose work is done on a page of its own.
_NOMINAL_PAGES = {
    Rule.LEVEL1_REVIEW_DUE: ("plans:level1_reviews", "Level 1 reviews"),
    Rule.HOME_VISIT_DUE: ("plans:home_visits", "Home visits"),
    Rule.PRE_RELEASE_MEETING_DUE: ("meetings:case", "Meetings before release"),
}


def _overdue(today: date) -> ExpressionWrapper:
    return ExpressionWrapper(Q(resolved_at__isnull=True, due_on__lt=today),
                             output_field=BooleanField())


def alerts_for(user, *, rule: str | None = None, agency=None, case=None, person=None,
               overdue: bool | None = None, resolved: bool | None = False,
               mine: bool = False, today: date | None = None) -> QuerySet[Alert]:
    """The alerts `user` may see, overdue first, then by due date.

    `agency`: the case's lead agency; `person`: who must act; `overdue`: True for overdue,
    False for due soon (today or later); `resolved`: False open only (the default), True
    resolved only, None both; `mine`: only those for the user to act on (see `for_user`).
    Each alert carries `is_overdue`.
    """
    today = today or timezone.localdate()
    alerts = Alert.objects.visible_to(user).select_related(
        "nominal", "nominal__lead_agency", "assigned_to",
    ).annotate(is_overdue=_overdue(today))
    if rule:
        alerts = alerts.filter(rule=rule)
    if agency is not None:
        alerts = alerts.filter(nominal__lead_agency=agency)
    if case is not None:
        alerts = alerts.filter(nominal=case)
    if person is not None:
        alerts = alerts.filter(assigned_to=person)
    if overdue is True:
        alerts = alerts.filter(due_on__lt=today)
    elif overdue is False:
        alerts = alerts.filter(due_on__gte=today)
    if resolved is not None:
        alerts = alerts.filter(resolved_at__isnull=not resolved)
    if mine:
        alerts = alerts.filter(for_user(user))
    # Overdue ones have the earliest dates: by due date puts them first, the oldest on top.
    return alerts.order_by("-is_overdue", "due_on", "id")


def for_user(user) -> Q:
    """What is the user's to act on: named on it; or, where nobody is named, their role
    must act; or they were told of it."""
    roles = [role for role in (user.roles or []) if role in Role.values]
    told = Notification.objects.filter(user=user, alert=OuterRef("pk"))
    return (Q(assigned_to=user) | Q(assigned_to__isnull=True, assigned_role__in=roles)
            | Exists(told))


def open_counts(user, *, mine: bool = False, today: date | None = None) -> dict:
    """Open alerts by rule, in one query: {"total", "overdue", "by_rule": [{"rule",
    "label", "open", "overdue"}, ...] in the rules' order, rules with none left out}."""
    today = today or timezone.localdate()
    alerts = Alert.objects.visible_to(user).open()
    if mine:
        alerts = alerts.filter(for_user(user))
    rows = {row["rule"]: row for row in alerts.order_by().values("rule").annotate(
        open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))}
    by_rule = [{"rule": code, "label": label, "open": rows[code]["open"],
                "overdue": rows[code]["overdue"]}
               for code, label in Rule.choices if code in rows]
    return {"total": sum(row["open"] for row in by_rule),
            "overdue": sum(row["overdue"] for row in by_rule),
            "by_rule": by_rule}


def open_count(user) -> int:
    """How many open alerts are the user's to act on (the navigation's badge): one query."""
    return Alert.objects.visible_to(user).open().filter(for_user(user)).count()


def _visible_notifications(user) -> QuerySet[Notification]:
    """The user's notifications of alerts of cases they may still see, and their notices
    (of a case they may still see, or of none)."""
    cases = access.restrict_nominals(Nominal.objects.all(), user)
    return Notification.objects.filter(user=user).filter(
        Q(alert__in=Alert.objects.visible_to(user))
        | Q(alert__isnull=True, nominal__isnull=True)
        | Q(alert__isnull=True, nominal__in=cases))


def unread_count(user) -> int:
    """The user's new notifications: unread, of open alerts or notices; one query."""
    return _visible_notifications(user).filter(read_at__isnull=True).filter(
        Q(alert__isnull=True) | Q(alert__resolved_at__isnull=True)).count()


def unread_notices(user) -> QuerySet[Notification]:
    """The user's notices (no alert) not yet read, newest first."""
    return _visible_notifications(user).filter(alert__isnull=True, read_at__isnull=True) \
        .order_by("-created_at", "-id")


def notifications_for(user) -> QuerySet[Notification]:
    """The user's notifications, newest first, of alerts of cases they may still see, and
    their notices."""
    return _visible_notifications(user).select_related(
        "alert", "alert__nominal", "alert__assigned_to", "nominal").order_by(
        "-created_at", "-id")


def subject_link(alert: Alert) -> tuple[str, str]:
    """(what the alert is about, the page where it is dealt with)."""
    kind = alert.subject_type
    if kind == "meetings.meeting":
        return SUBJECTS[kind], reverse("meetings:detail", args=[alert.subject_id])
    if kind == "cases.planaction":
        return SUBJECTS[kind], reverse("plans:action_detail",
                                       args=[alert.nominal_id, alert.subject_id])
    if kind == "referrals.referral":
        return SUBJECTS[kind], reverse("referrals:detail", args=[alert.subject_id])
    if kind == "meetings.followup" and alert.rule == Rule.FOLLOW_UP_ESCALATED:
        return "Non-attendance escalated to the Board", reverse("kpi:escalations")
    if kind == "meetings.followup":
        return SUBJECTS[kind], reverse("meetings:follow_ups")
    if kind == "disclosure.disclosure":
        return SUBJECTS[kind], reverse("disclosure:detail", args=[alert.subject_id])
    if kind == "disclosure.minutesrequest":
        return SUBJECTS[kind], reverse("disclosure:request", args=[alert.subject_id])
    if kind == "disclosure.contractbreach":
        return SUBJECTS[kind], reverse("disclosure:breach_action", args=[alert.subject_id])
    if kind == "kpi.governancedocument":
        return SUBJECTS[kind], reverse("kpi:governance_edit", args=[alert.subject_id])
    if kind == "kpi.quarter":  # a quarter, as 20263 for Q3 2026 (kpi/rules.py)
        year, quarter = divmod(alert.subject_id, 10)
        return f"Board meetings in Q{quarter} {year}", reverse("kpi:board")
    if kind == "kpi.reportyear":  # the year the report is presented in (kpi/rules.py)
        return f"Annual report {alert.subject_id}", reverse("kpi:annual_reports")
    if kind.startswith("coordination."):
        return SUBJECTS[kind], reverse("coordination:case", args=[alert.nominal_id])
    if kind.startswith("custody."):
        return SUBJECTS[kind], reverse("custody:case", args=[alert.nominal_id])
    if kind == "interventions.reviewpoint":
        return SUBJECTS[kind], reverse("interventions:case", args=[alert.nominal_id])
    if kind in ("support.supportplanning", "support.disclosedoffending"):
        return SUBJECTS[kind], reverse("support:case", args=[alert.nominal_id])
    if kind == "disclosure.deferral":
        return SUBJECTS[kind], reverse("disclosure:case", args=[alert.nominal_id])
    if kind == "cases.nominal" and alert.rule in _NOMINAL_PAGES:
        name, label = _NOMINAL_PAGES[alert.rule]
        return label, reverse(name, args=[alert.nominal_id])
    return SUBJECTS.get(kind, "Case record"), reverse("cases:detail", args=[alert.nominal_id])


def who_acts(alert: Alert) -> str:
    if alert.assigned_to_id:
        return str(alert.assigned_to.get_full_name() or alert.assigned_to)
    if alert.assigned_role in Role.values:
        return Role(alert.assigned_role).label
    spec = RULES.get(alert.rule)
    return spec.who if spec else ""


def shown(alerts, today: date | None = None) -> list[Alert]:
    """The alerts ready to show: each with `subject_label`, `subject_url`, `who`, `is_overdue`
    and `due_today`. No query."""
    today = today or timezone.localdate()
    alerts = list(alerts)
    for alert in alerts:
        alert.subject_label, alert.subject_url = subject_link(alert)
        alert.who = who_acts(alert)
        if not hasattr(alert, "is_overdue"):
            alert.is_overdue = alert.resolved_at is None and alert.due_on < today
        alert.due_today = alert.due_on == today
    return alerts
