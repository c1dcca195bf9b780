"""The time rule of intervention packages (seed 004), read by the deadline sweep
(alerts/registry.py), in one query, as rows of subject_id, nominal_id, due_on,
assigned_to_id:

- a review point of a package in force, not yet held: due on its date, to whoever it names
  to make it happen (overdue from the day after).
"""

from __future__ import annotations

from datetime import date

from django.db.models import F, QuerySet

from cases.models import Status
from jmappa.core.rules import rows


def review_point_due(day: date, *, horizon: date) -> QuerySet:
    from .models import PackageStatus, ReviewPoint

    waiting = ReviewPoint.objects.filter(
        held_on__isnull=True, review_by__lte=horizon, package__status=PackageStatus.OPEN,
        nominal__status=Status.ACTIVE)
    return rows(waiting, due=F("review_by"), assigned=F("responsible_id"))
