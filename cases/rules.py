"""The case's own time rules, for the deadline sweep (alerts/registry.py).

Each answers, in one query whatever the number of cases, every subject due on or before
`horizon` as rows of subject_id, nominal_id, due_on, assigned_to_id (jmappa/core/rules.py).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import DateField, ExpressionWrapper, F, QuerySet, Value
from django.db.models.functions import Cast

from jmappa.core.rules import NOBODY, rows

from .models import Nominal, Status, retention_due

IDENTIFICATION_DAYS = timedelta(days=3)


def identification_late(day: date, *, horizon: date) -> QuerySet:
    """Active nominals identified as JMAPPA-eligible more than 3 days after sentence (§3.3
    says "within 3 days": calendar days, weekends and bank holidays included), for the
    Co-ordinator's quality assurance: due on the 3rd day."""
    due = ExpressionWrapper(F("sentence_date") + Value(IDENTIFICATION_DAYS),
                            output_field=DateField())
    nominals = Nominal.objects.filter(
        status=Status.ACTIVE, sentence_date__isnull=False).annotate(
        due=Cast(due, DateField())).filter(identified_on__gt=F("due"), due__lte=horizon)
    return rows(nominals, nominal=F("pk"), due=F("due"), assigned=NOBODY)


def retention_review(day: date, *, horizon: date) -> QuerySet:
    """Archived nominals at their 100th birthday (§13.3), 29 February's on 28 February, or at
    the next review date the last decision to keep the record gave: until then the alert is
    resolved. A removed record has no alert left (it went with the record)."""
    nominals = Nominal.objects.filter(status=Status.ARCHIVED).annotate(
        due=retention_due()).filter(due__lte=horizon)
    return rows(nominals, nominal=F("pk"), due=F("due"), assigned=NOBODY)
