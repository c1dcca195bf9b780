from __future__ import annotations

from django.db.models import QuerySet

from jmappa import access

from .models import AuditEvent


def audit_events(*, user, filters: dict | None = None) -> QuerySet[AuditEvent]:
    """The audit trail as `user` may read it, newest first, narrowed by the audit filter
    form's cleaned data: the events of cases and referrals hidden from them are not shown
    (access.restrict_audit_events). The one way the trail is read: its page, its export,
    the admin's pages and a case's history."""
    events = access.restrict_audit_events(AuditEvent.objects.all(), user)
    return narrowed(events, filters)


def narrowed(events: QuerySet[AuditEvent], filters: dict | None) -> QuerySet[AuditEvent]:
    """`events` narrowed by the audit filter form's cleaned data, newest first."""
    filters = filters or {}
    if filters.get("user"):
        events = events.filter(actor=filters["user"])
    if filters.get("case") is not None:
        events = events.filter(case_id=filters["case"])
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("channel"):
        events = events.filter(channel=filters["channel"])
    if filters.get("date_from"):
        events = events.filter(occurred_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        events = events.filter(occurred_at__date__lte=filters["date_to"])
    return events.order_by("-occurred_at", "-id")
