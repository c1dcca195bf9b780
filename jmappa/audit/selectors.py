from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEvent


def audit_events(*, filters: dict | None = None) -> QuerySet[AuditEvent]:
    """The audit trail, newest first, narrowed by the audit filter form's cleaned data."""
    filters = filters or {}
    events = AuditEvent.objects.all()
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
