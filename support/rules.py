"""Support planning's time rules (seed 000), read by the deadline sweep (alerts/registry.py),
one query each, as rows of subject_id, nominal_id, due_on, assigned_to_id:

- a Support Planning Meeting due: the first "within the first four weeks" after release or
  the order's start, until one is held; then the next by the date the group agreed
  (monthly, every three months, or just before the end of the sentence or order), until it
  is held. The case manager arranges it;
- further offending disclosed at a meeting and not yet passed to the Police: the police
  contact, at once.
"""

from __future__ import annotations

from datetime import date

from django.db.models import DateField, ExpressionWrapper, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce

from cases.models import Status
from jmappa.core.rules import local_date, rows

from .models import FIRST_MEETING_WITHIN


def support_meeting_due(day: date, *, horizon: date) -> QuerySet:
    from .models import SupportMeeting, SupportMeetingStatus, SupportPlanning

    held = SupportMeeting.objects.filter(
        nominal=OuterRef("nominal"), status=SupportMeetingStatus.HELD,
        starts_at__date__gte=OuterRef("starts_on")).order_by("-starts_at", "-id")
    planning = SupportPlanning.objects.filter(nominal__status=Status.ACTIVE).annotate(
        last_held=Subquery(held.annotate(on=local_date("starts_at")).values("on")[:1]),
        next_by=Subquery(held.values("next_meeting_by")[:1]),
        # date + interval is a timestamp in PostgreSQL: back to a date.
        first_due=Cast(ExpressionWrapper(F("starts_on") + FIRST_MEETING_WITHIN,
                                         output_field=DateField()), DateField()))
    # None held yet: the first is due; else the next, where the group agreed one.
    due = planning.exclude(last_held__isnull=False, next_by__isnull=True).annotate(
        due=Coalesce("next_by", "first_due")).filter(due__lte=horizon)
    return rows(due, due=F("due"), assigned=F("nominal__case_manager_id"))


def offending_disclosed(day: date, *, horizon: date) -> QuerySet:
    from .models import DisclosedOffending

    waiting = DisclosedOffending.objects.filter(passed_on__isnull=True)
    return rows(waiting, due=F("disclosed_on"), assigned=F("police_contact_id"))
