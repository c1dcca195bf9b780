"""The Board's time rules, read by the deadline sweep (alerts/registry.py): a governance
document (§14.11, §15.1) whose review falls due, and non-attendance escalated to the Board
(§10.10). One query each, rows of subject_id, nominal_id (none: the Board's work belongs to
no case), due_on and assigned_to_id."""

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


def follow_up_escalated(day: date, *, horizon: date) -> QuerySet:
    """Non-attendance escalated by a JMAPP Chair (§10.10), until the Board records its
    outcome: the SMB Chair of the day, who takes it up with the agency's representative on
    the Board (the Administrator where the Board has no Chair). No case: the Board sees
    agencies, never offenders."""
    from django.db.models import Subquery

    from meetings.models import FollowUp

    from .models import SmbChair

    chair = SmbChair.objects.on(day).values("member_id")[:1]
    escalated = FollowUp.objects.filter(escalated_on__isnull=False,
                                        board_closed_on__isnull=True,
                                        escalated_on__lte=horizon)
    return rows(escalated.annotate(smb_chair=Subquery(chair)), due=F("escalated_on"),
                assigned=F("smb_chair"), nominal=Value(None, output_field=IntegerField()))
