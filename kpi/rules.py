"""The Board's time rule, read by the deadline sweep (alerts/registry.py): a governance
document (§14.11, §15.1) whose review falls due. One query, rows of subject_id, nominal_id
(none: the Board's records belong to no case), due_on and assigned_to_id."""

from __future__ import annotations

from datetime import date

from django.db.models import F, IntegerField, QuerySet, Value

from jmappa.core.rules import rows


def governance_review_due(day: date, *, horizon: date) -> QuerySet:
    """Documents in force whose next review is on or before `horizon`: their owner."""
    from .models import GovernanceDocument

    due = GovernanceDocument.objects.filter(is_active=True, next_review__lte=horizon)
    return rows(due, due=F("next_review"), assigned=F("owner_id"),
                nominal=Value(None, output_field=IntegerField()))
