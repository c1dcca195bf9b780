"""The disclosure app's time rules (§5.2, §5.5), in working days (jmappa/workdays.py), each
configurable in settings (DISCLOSURE_WORKING_DAYS):

- a request for minutes not clarified within `clarify` working days of its receipt;
- an Executive Summary not issued within `summary` working days of the request's receipt;
- a disclosure agreed but not endorsed within `endorse` working days of being recorded;
- an endorsed disclosure not carried out by its planned date;
- a deferred disclosure decision that reaches its date with no later decision;
- a breach of a worship contract reported and no action yet recorded (at once).

Each deadline sweep rule answers in one query, as rows of subject_id, nominal_id, due_on,
assigned_to_id (alerts/registry.py).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Exists, F, OuterRef, QuerySet

from cases.models import Status
from jmappa.core.rules import WorkingDayAfter, jersey_holidays, local_date, rows

DEFAULT_WORKING_DAYS = {"clarify": 5, "summary": 20, "endorse": 5}


def working_days(rule: str) -> int:
    return {**DEFAULT_WORKING_DAYS, **getattr(settings, "DISCLOSURE_WORKING_DAYS", {})}[rule]


def _after(day_expression, n: int, day: date):
    return WorkingDayAfter(day_expression, n, jersey_holidays(day.year - 2, day.year + 2))


def request_not_clarified(day: date, *, horizon: date) -> QuerySet:
    """Open requests with no clarification answered, `clarify` working days after receipt:
    the Co-ordinator chases it (§5.5: promptly, in writing)."""
    from .models import MinutesRequest, RequestOutcome

    requests = MinutesRequest.objects.filter(
        outcome=RequestOutcome.OPEN, clarified_on__isnull=True,
        nominal__status=Status.ACTIVE).annotate(
        due=_after(F("received_on"), working_days("clarify"), day)).filter(due__lte=horizon)
    return rows(requests, due=F("due"), assigned=F("chair_id"))


def summary_not_issued(day: date, *, horizon: date) -> QuerySet:
    """Open requests (clarified: the summary is what is wanted) without an issued summary,
    `summary` working days after receipt: the Chair of the last meeting."""
    from .models import MinutesRequest, RequestOutcome

    requests = MinutesRequest.objects.filter(
        outcome=RequestOutcome.OPEN, clarified_on__isnull=False).annotate(
        due=_after(F("received_on"), working_days("summary"), day)).filter(due__lte=horizon)
    return rows(requests, due=F("due"), assigned=F("chair_id"))


def disclosure_not_endorsed(day: date, *, horizon: date) -> QuerySet:
    """Disclosures agreed and awaiting the senior officer, `endorse` working days after
    they were recorded: whoever recorded it obtains the endorsement."""
    from .models import Disclosure, DisclosureStatus

    waiting = Disclosure.objects.filter(status=DisclosureStatus.AGREED).annotate(
        due=_after(local_date("created_at"), working_days("endorse"), day)).filter(
        due__lte=horizon)
    return rows(waiting, due=F("due"), assigned=F("created_by_id"))


def disclosure_not_carried_out(day: date, *, horizon: date) -> QuerySet:
    """Endorsed disclosures not yet made by their planned date."""
    from .models import Disclosure, DisclosureStatus

    waiting = Disclosure.objects.filter(status=DisclosureStatus.ENDORSED,
                                        planned_by__lte=horizon)
    return rows(waiting, due=F("planned_by"), assigned=F("created_by_id"))


def deferral_past_date(day: date, *, horizon: date) -> QuerySet:
    """Deferred decisions whose date has come with no later meeting's final minutes
    deciding to disclose or not (§5.2): the Co-ordinator arranges the decision."""
    from meetings.models import DisclosureDecision, Minutes, MinutesStatus

    from .models import Deferral

    decided = Minutes.objects.filter(
        meeting__nominal=OuterRef("nominal"), status=MinutesStatus.FINAL,
        meeting__starts_at__gt=OuterRef("minutes__meeting__starts_at"),
        disclosure_decision__in=[DisclosureDecision.DISCLOSE, DisclosureDecision.NOT_DISCLOSE])
    deferrals = Deferral.objects.filter(
        minutes__status=MinutesStatus.FINAL, decide_by__lte=horizon,
        nominal__status=Status.ACTIVE).exclude(Exists(decided))
    return rows(deferrals, due=F("decide_by"), assigned=F("minutes__meeting__chair_id"))


def contract_breach_open(day: date, *, horizon: date) -> QuerySet:
    """A reported breach of a worship contract (§5.4), due the day it was reported and open
    until the action taken is recorded: the case manager (the Co-ordinator where there is
    none)."""
    from .models import ContractBreach

    breaches = ContractBreach.objects.filter(
        action_at__isnull=True, nominal__status=Status.ACTIVE).annotate(
        due=local_date("recorded_at")).filter(due__lte=horizon)
    return rows(breaches, due=F("due"), assigned=F("nominal__case_manager_id"))
