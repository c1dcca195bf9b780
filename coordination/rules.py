"""The time rules of coordinated services plans (seed 002), read by the deadline sweep
(alerts/registry.py), one query each, as rows of subject_id, nominal_id, due_on,
assigned_to_id:

- a plan's review, "at least every six months": six months after its last endorsement (or,
  never endorsed, after the order was made), to the case manager;
- a provider's service update not answered by the day asked, before the panel: to whoever
  asked for it;
- an oversight notice not answered by its date: to whoever recorded it.
"""

from __future__ import annotations

from datetime import date

from django.db.models import F, Max, QuerySet
from django.db.models.functions import Coalesce

from cases.models import Status
from jmappa.core.rules import AddMonths, rows

from .models import REVIEW_MONTHS


def services_plan_review_due(day: date, *, horizon: date) -> QuerySet:
    from .models import ServicesPlan

    plans = ServicesPlan.objects.filter(ended_on__isnull=True,
                                        nominal__status=Status.ACTIVE).annotate(
        due=AddMonths(Coalesce(Max("endorsements__endorsed_on"), F("order_start")),
                      REVIEW_MONTHS)).filter(due__lte=horizon)
    return rows(plans, due=F("due"), assigned=F("nominal__case_manager_id"))


def service_update_unanswered(day: date, *, horizon: date) -> QuerySet:
    from .models import UpdateRequest

    waiting = UpdateRequest.objects.filter(answered_on__isnull=True, answer_by__lte=horizon)
    return rows(waiting, due=F("answer_by"), assigned=F("requested_by_id"))


def oversight_notice_due(day: date, *, horizon: date) -> QuerySet:
    from .models import OversightNotice

    waiting = OversightNotice.objects.filter(responded_on__isnull=True,
                                             respond_by__lte=horizon)
    return rows(waiting, due=F("respond_by"), assigned=F("recorded_by_id"))
