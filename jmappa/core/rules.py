"""The kit of the deadline sweep's rules (each app's `rules.py`, listed in alerts/registry.py).

Each rule answers, in one query whatever the number of cases, every subject due on or before
`horizon` as rows of subject_id, nominal_id, due_on, assigned_to_id: `rows()` shapes a
queryset into them; the date arithmetic is done by the database, as jmappa.workdays does it
in Python.
"""

from __future__ import annotations

from datetime import date

from django.db.models import DateField, F, Func, IntegerField, QuerySet, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

ROW_FIELDS = ("subject_id", "nominal_id", "due_on", "assigned_to_id")


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


class PeriodRows:
    """The rows of a rule about a period rather than a record (a quarter with no Board
    meeting, a year's report not yet approved): there is no table of periods to query, so
    the rule is one SQL statement answering the four columns. It offers what the sweep and
    the tests ask of a rule's queryset: `order_by()`, `query.sql_with_params()`, and its
    rows as dicts when iterated."""

    def __init__(self, sql: str, params: tuple = ()):
        self.sql, self.params = sql, tuple(params)

    @property
    def query(self) -> PeriodRows:
        return self

    def sql_with_params(self) -> tuple[str, tuple]:
        return self.sql, self.params

    def order_by(self, *fields) -> PeriodRows:
        return self

    def __iter__(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            found = cursor.fetchall()
        return iter([dict(zip(ROW_FIELDS, row, strict=True)) for row in found])
