"""The case's own time rules, shared by the pages, the API and the deadline sweep.

- Level 1 review (§9.2): the lead agency reviews a level 1 case at least every 3 months.
- Home visits to Registered Sex Offenders (§14.9), by the overall risk of serious harm
  the case is managed at: very high monthly, high every 3 months, medium every 6,
  low every 12.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    Case,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate
from django.utils import timezone

from jmappa.workdays import add_months

from .models import (
    Category,
    CustodyStatus,
    Eligibility,
    Level,
    Nominal,
    RiskLevel,
    Status,
)

LEVEL1_REVIEW_MONTHS = 3
HOME_VISIT_MONTHS = {RiskLevel.VERY_HIGH: 1, RiskLevel.HIGH: 3, RiskLevel.MEDIUM: 6,
                     RiskLevel.LOW: 12}


def level1_review_due(last_reviewed: date) -> date:
    """The latest date of the next level 1 review after one (or a meeting) on `last_reviewed`."""
    return add_months(last_reviewed, LEVEL1_REVIEW_MONTHS)


def home_visit_due(last_visit: date, rosh: str) -> date | None:
    """The next home visit after one on `last_visit`, or None without an overall risk."""
    months = HOME_VISIT_MONTHS.get(rosh)
    return add_months(last_visit, months) if months else None


# -- The deadline sweep's rules ----------------------------------------------------------
# Each answers, in one query whatever the number of cases, every subject due on or before
# `horizon` as rows of subject_id, nominal_id, due_on, assigned_to_id (alerts/registry.py).

ROW_FIELDS = ("subject_id", "nominal_id", "due_on", "assigned_to_id")
RELEASE_REFERRAL_MONTHS = 6
IDENTIFICATION_WORKING_DAYS = 3
RETENTION_YEARS = 100
# The Jersey calendar sent with the query runs from this year (before it, only weekends
# are skipped) to the year after the day asked.
FIRST_CALENDAR_YEAR = 1950


class AddMonths(Func):
    """`day` plus `months` (minus if negative), in the database: the month's last day where
    that month is shorter, as jmappa.workdays.add_months (31 January + 1 month is 28 or 29
    February)."""

    output_field = DateField()

    def __init__(self, day, months):
        if isinstance(months, int):
            months = Value(months)
        super().__init__(day, months)

    def as_sql(self, compiler, connection, **extra_context):
        day, months = self.get_source_expressions()
        day_sql, day_params = compiler.compile(day)
        months_sql, months_params = compiler.compile(months)
        sql = f"CAST(({day_sql}) + make_interval(months => CAST({months_sql} AS integer)) AS date)"
        return sql, (*day_params, *months_params)


class WorkingDayAfter(Func):
    """The `n`th Jersey working day after `day`, in the database: jmappa.workdays.
    add_working_days for a column. The bank holidays go with the query as one array."""

    output_field = DateField()

    def __init__(self, day, n: int, holidays: list[date]):
        self.n = n
        self.holidays = holidays
        super().__init__(day)

    def as_sql(self, compiler, connection, **extra_context):
        (day,) = self.get_source_expressions()
        day_sql, day_params = compiler.compile(day)
        # A fortnight more than the days asked: no run of bank holidays is that long.
        span, skip = int(self.n) * 2 + 14, int(self.n) - 1
        sql = (
            f"(SELECT working.d FROM (SELECT CAST(({day_sql}) + k AS date) AS d "
            f"FROM generate_series(1, {span}) AS k) AS working "
            "WHERE EXTRACT(ISODOW FROM working.d) < 6 "
            "AND working.d <> ALL(CAST(%s AS date[])) "
            f"ORDER BY working.d OFFSET {skip} LIMIT 1)"
        )
        return sql, (*day_params, self.holidays)


def jersey_holidays(first_year: int, last_year: int) -> list[date]:
    from jmappa.workdays import _holidays

    return sorted(day for year in range(first_year, last_year + 1) for day in _holidays(year))


def local_date(field: str):
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def rows(queryset: QuerySet, *, due, assigned, nominal=None) -> QuerySet:
    """The rule's rows, in no particular order: the subject is the queryset's model;
    `nominal` where the model has no `nominal` of its own."""
    names = {"subject_id": F("pk"), "due_on": due, "assigned_to_id": assigned}
    if nominal is not None:
        names["nominal_id"] = nominal
    return queryset.annotate(**names).order_by().values(*ROW_FIELDS)


NOBODY = Value(None, output_field=IntegerField())


def level1_review_due_rows(day: date, *, horizon: date) -> QuerySet:
    """Active level 1 cases due a review (§9.2): 3 months after the latest of the last
    level 1 review, the last held level 1 meeting and the day the case was set at level 1
    (the day it was recorded where none of these is known)."""
    from meetings.models import Meeting, MeetingStatus

    from .models import Level1Review, LevelChange

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
        due=AddMonths(last, LEVEL1_REVIEW_MONTHS)).filter(due__lte=horizon)
    return rows(nominals, nominal=F("pk"), due=F("due"), assigned=F("case_manager_id"))


def home_visit_due_rows(day: date, *, horizon: date) -> QuerySet:
    """Active Registered Sex Offenders with an overall risk, due a home visit (§14.9): the
    last visit (or the day the case was recorded) plus 1, 3, 6 or 12 months by that risk."""
    from .models import HomeVisit

    visited = HomeVisit.objects.filter(nominal=OuterRef("pk")).order_by(
        "-visited_on").values("visited_on")[:1]
    months = Case(*[When(rosh=rosh, then=Value(n)) for rosh, n in HOME_VISIT_MONTHS.items()],
                  output_field=IntegerField())
    nominals = Nominal.objects.filter(
        status=Status.ACTIVE, category=Category.ONE, rosh__in=list(HOME_VISIT_MONTHS),
    ).annotate(due=AddMonths(Coalesce(Subquery(visited), local_date("created_at")), months)) \
        .filter(due__lte=horizon)
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


def release_without_referral(day: date, *, horizon: date) -> QuerySet:
    """JMAPPA-eligible nominals in custody released within 6 months of `day` with no
    referral made (§3.3): due 6 months before the earliest release date."""
    from referrals.models import Referral, ReferralStatus

    referred = Referral.objects.filter(nominal=OuterRef("pk")).exclude(
        status=ReferralStatus.DRAFT)
    nominals = Nominal.objects.filter(
        status=Status.ACTIVE, eligibility=Eligibility.ELIGIBLE,
        custody_status=CustodyStatus.CUSTODY, earliest_release_date__gte=day,
    ).annotate(due=AddMonths(F("earliest_release_date"), -RELEASE_REFERRAL_MONTHS)) \
        .filter(due__lte=horizon).exclude(Exists(referred))
    return rows(nominals, nominal=F("pk"), due=F("due"), assigned=F("case_manager_id"))


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
