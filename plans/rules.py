"""The plan's own time rules, shared by the pages, the API and the deadline sweep.

- Level 1 review (§9.2, §10.11): one obligation. §9.2 asks the referring agency to review a
  level 1 case at least once every three months, §10.11 no later than 12 weeks after the
  previous meeting; 12 weeks is never later than three months, so a review (or a level 1
  case management discussion) held within 12 weeks satisfies both, and recording one
  clears it. The review-meeting rule of levels 2 and 3 (meetings.rules.review_due) leaves
  level 1 cases to this one.
- Home visits to Registered Sex Offenders (§14.9), by the overall risk of serious harm
  the case is managed at: very high monthly, high every 3 months, medium every 6,
  low every 12.
- An action of the plan still to be done after its completion date is overdue (§8.3).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    Case,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from cases.models import Category, CustodyStatus, Level, Nominal, RiskLevel, Status
from jmappa.core.rules import AddMonths, local_date, rows
from jmappa.workdays import add_months

LEVEL1_REVIEW_WEEKS = 12
HOME_VISIT_MONTHS = {RiskLevel.VERY_HIGH: 1, RiskLevel.HIGH: 3, RiskLevel.MEDIUM: 6,
                     RiskLevel.LOW: 12}


def level1_review_due(last_reviewed: date) -> date:
    """The latest date of the next level 1 review after one (or a meeting) on `last_reviewed`."""
    return last_reviewed + timedelta(weeks=LEVEL1_REVIEW_WEEKS)


def home_visit_due(last_visit: date, rosh: str) -> date | None:
    """The next home visit after one on `last_visit`, or None without an overall risk."""
    months = HOME_VISIT_MONTHS.get(rosh)
    return add_months(last_visit, months) if months else None


# -- The deadline sweep's rules ----------------------------------------------------------
# Each answers, in one query whatever the number of cases, every subject due on or before
# `horizon` as rows of subject_id, nominal_id, due_on, assigned_to_id (alerts/registry.py).


def level1_review_due_rows(day: date, *, horizon: date) -> QuerySet:
    """Active level 1 cases due a review (§9.2, §10.11): 12 weeks after the latest of the last
    level 1 review, the last held level 1 meeting and the day the case was set at level 1
    (the day it was recorded where none of these is known)."""
    from cases.models import LevelChange
    from meetings.models import Meeting, MeetingStatus

    from .models import Level1Review

    reviewed = Level1Review.objects.filter(nominal=OuterRef("pk")).order_by(
        "-reviewed_on").values("reviewed_on")[:1]
    met = Meeting.objects.filter(nominal=OuterRef("pk"), status=MeetingStatus.HELD,
                                 level=Level.ONE).annotate(on=local_date("starts_at")) \
        .order_by("-starts_at").values("on")[:1]
    set_at_level = LevelChange.objects.filter(
        nominal=OuterRef("pk"), level=Level.ONE, date_to__isnull=True).order_by(
        "-date_from").values("date_from")[:1]
    last = Coalesce(
        Greatest(Subquery(reviewed), Subquery(met), Subquery(set_at_level)),
        local_date("created_at"))
    nominals = Nominal.objects.filter(status=Status.ACTIVE, level=Level.ONE).annotate(
        due=ExpressionWrapper(last + Value(LEVEL1_REVIEW_WEEKS * 7),
                              output_field=DateField())).filter(due__lte=horizon)
    return rows(nominals, nominal=F("pk"), due=F("due"), assigned=F("case_manager_id"))


def with_home_visit_due(nominals: QuerySet) -> QuerySet:
    """Active Registered Sex Offenders in the community with an overall risk among
    `nominals` (no home to visit while in custody or hospital), each with `last_visit` (None
    where never visited) and `due` (§14.9): the last visit (or the day the case was recorded)
    plus 1, 3, 6 or 12 months by that risk. No query of its own."""
    from .models import HomeVisit

    visited = HomeVisit.objects.filter(nominal=OuterRef("pk")).order_by(
        "-visited_on").values("visited_on")[:1]
    months = Case(*[When(rosh=rosh, then=Value(n)) for rosh, n in HOME_VISIT_MONTHS.items()],
                  output_field=IntegerField())
    return nominals.filter(
        status=Status.ACTIVE, category=Category.ONE, rosh__in=list(HOME_VISIT_MONTHS),
        custody_status=CustodyStatus.COMMUNITY,
    ).annotate(last_visit=Subquery(visited)).annotate(
        due=AddMonths(Coalesce(F("last_visit"), local_date("created_at")), months))


def home_visit_due_rows(day: date, *, horizon: date) -> QuerySet:
    """Active Registered Sex Offenders with an overall risk, due a home visit (§14.9) on or
    before `horizon` (see `with_home_visit_due`)."""
    nominals = with_home_visit_due(Nominal.objects.all()).filter(due__lte=horizon)
    return rows(nominals, nominal=F("pk"), due=F("due"),
                 assigned=Coalesce(F("visor_manager_id"), F("case_manager_id")))


def action_overdue(day: date, *, horizon: date) -> QuerySet:
    """Actions of active cases still to be done after their completion date (no "due
    soon": an action is only ever overdue)."""
    from .models import OPEN_ACTION_STATUSES, PlanAction

    actions = PlanAction.objects.filter(
        status__in=OPEN_ACTION_STATUSES, due_date__lt=day, nominal__status=Status.ACTIVE)
    return rows(actions, due=F("due_date"),
                 assigned=Coalesce(F("owner_id"), F("owner_agency__spoc_id")))
