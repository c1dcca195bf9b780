"""The case's own time rules, for the deadline sweep (alerts/registry.py).

Each answers, in one query whatever the number of cases, every subject due on or before
`horizon` as rows of subject_id, nominal_id, due_on, assigned_to_id (jmappa/core/rules.py).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import DateField, ExpressionWrapper, F, QuerySet, Value
from django.db.models.functions import Least

from jmappa.core.rules import NOBODY, AddMonths, WorkingDayAfter, jersey_holidays, rows

from .models import Nominal, Status

IDENTIFICATION_WORKING_DAYS = 3
RETENTION_YEARS = 100
# The Jersey calendar sent with the query runs from this year (before it, only weekends
# are skipped) to the year after the day asked.
FIRST_CALENDAR_YEAR = 1950


def identification_late(day: date, *, horizon: date) -> QuerySet:
    """Active nominals identified as JMAPPA-eligible more than 3 Jersey working days after
    sentence (§3.3), for the Co-ordinator's quality assurance: due on the 3rd working day."""
    holidays = jersey_holidays(FIRST_CALENDAR_YEAR, max(day, horizon).year + 1)
    # The 3rd working day is at least 3 days on: that cheap test spares the calendar for
    # the many identified in time.
    three_days_on = ExpressionWrapper(F("sentence_date") + Value(IDENTIFICATION_WORKING_DAYS),
                                      output_field=DateField())
    nominals = Nominal.objects.filter(
        status=Status.ACTIVE, sentence_date__isnull=False, identified_on__gt=three_days_on,
    ).annotate(due=WorkingDayAfter(F("sentence_date"), IDENTIFICATION_WORKING_DAYS, holidays)) \
        .filter(due__lt=Least(F("identified_on"), Value(horizon + timedelta(days=1))))
    return rows(nominals, nominal=F("pk"), due=F("due"), assigned=NOBODY)


def retention_review(day: date, *, horizon: date) -> QuerySet:
    """Archived nominals at their 100th birthday (§13.3): 29 February's on 28 February."""
    nominals = Nominal.objects.filter(status=Status.ARCHIVED).annotate(
        due=AddMonths(F("date_of_birth"), RETENTION_YEARS * 12)).filter(due__lte=horizon)
    return rows(nominals, nominal=F("pk"), due=F("due"), assigned=NOBODY)
