"""What every KPI answers: the Guidance's words, the target, and for a period the
numerator, the denominator and the rows behind them, with a red/amber/green status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from ..periods import Period

# Amber: below the target by no more than this many percentage points; red: further below.
AMBER_MARGIN = Decimal("10")


@dataclass(frozen=True)
class Kpi:
    number: int
    wording: str  # exactly as §16.2 words it
    target: Decimal  # percent
    unit: str  # what the denominator counts


KPIS = {
    1: Kpi(1, "90% of level 3 JMAPP cases reviewed no less than once every six weeks",
           Decimal("90"), "level 3 cases"),
    2: Kpi(2, "85% of JMAPP level 2 cases reviewed no less than once every 12 weeks",
           Decimal("85"), "level 2 cases"),
    3: Kpi(3, "Public Interest Disclosure to be considered and the decision to be recorded "
              "in the minutes at 100% of level 2 and 3 JMAPP meetings",
           Decimal("100"), "level 2 and 3 meetings"),
    4: Kpi(4, "90% attendance by each SMB member at the SMB quarterly meetings",
           Decimal("90"), "member places at SMB meetings"),
    5: Kpi(5, "90% attendance by each invited agency, at an appropriate level of seniority, "
              "at each level 2 and 3 JMAPP meetings (if unable to attend, video or telephone "
              "conferencing or the provision of an appropriate report to the meeting may be "
              "acceptable)",
           Decimal("90"), "agency invitations to level 2 and 3 meetings"),
}


def percent(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"))


def rag_of(rate: Decimal | None, target: Decimal) -> str:
    """"green" at or above the target, "amber" within AMBER_MARGIN points below it, "red"
    further below; "none" when there is nothing to measure."""
    if rate is None:
        return "none"
    if rate >= target:
        return "green"
    return "amber" if rate >= target - AMBER_MARGIN else "red"


@dataclass
class Result:
    """One KPI for one period. `rows` are plain dicts (one per case, member or agency and
    meeting) so that they can be frozen in a snapshot as they are."""

    kpi: Kpi
    period: Period
    as_of: date
    numerator: int
    denominator: int
    rows: list[dict] = field(default_factory=list)
    # The same counts by agency (KPIs 1, 2 and 5: the case's lead agency, the invited
    # agency) or by member (KPI 4), each with its own numerator, denominator and status.
    groups: list[dict] = field(default_factory=list)
    # Further counts shown beside the figure (report-only, below seniority, deputies...).
    extra: dict = field(default_factory=dict)
    # Read from a frozen snapshot: its version (None for figures measured now).
    version: int | None = None

    @property
    def number(self) -> int:
        return self.kpi.number

    @property
    def rate(self) -> Decimal | None:
        return percent(self.numerator, self.denominator)

    @property
    def rag(self) -> str:
        return rag_of(self.rate, self.kpi.target)

    def figures(self) -> dict:
        """The aggregate alone (what the API and the trend show)."""
        return {"kpi": self.number, "period": self.period.code, "as_of": self.as_of.isoformat(),
                "numerator": self.numerator, "denominator": self.denominator,
                "rate": None if self.rate is None else str(self.rate),
                "target": str(self.kpi.target), "rag": self.rag, **self.extra}


def window_end(period: Period, today: date) -> date:
    """The last day measured: the period's end, or today while it is still running."""
    return min(period.end, today)


def group_rows(rows: list[dict], key: str, label: str, met: str, target: Decimal
               ) -> list[dict]:
    """Counts of `rows` by `key`: how many, how many `met`, the rate and the status."""
    groups: dict = {}
    for row in rows:
        group = groups.setdefault(row[key], {"id": row[key], "name": row[label],
                                             "numerator": 0, "denominator": 0})
        group["denominator"] += 1
        group["numerator"] += 1 if row[met] else 0
    return [finish_group(g, target) for g in sorted(groups.values(),
                                                     key=lambda g: (g["name"] or ""))]


def finish_group(group: dict, target: Decimal) -> dict:
    rate = percent(group["numerator"], group["denominator"])
    group["rate"] = None if rate is None else str(rate)
    group["rag"] = rag_of(rate, target)
    return group


# -- the figures alone, counted by the database ------------------------------------------------

# The periods measured, as a table of the query: their place in the list, first and last day
# measured (window_end).
PERIODS_SQL = ("SELECT * FROM unnest(%(n)s::int[], %(first_day)s::date[], %(last_day)s::date[]) "
               "AS period(n, first_day, last_day)")


def period_params(periods: list[Period], today: date) -> dict:
    """The parameters of PERIODS_SQL, and the time zone that local days are taken in."""
    return {"n": list(range(len(periods))), "first_day": [p.start for p in periods],
            "last_day": [window_end(p, today) for p in periods],
            "tz": timezone.get_current_timezone_name()}


def local_midnight_sql(day: str) -> str:
    """The moment a local day starts, for comparing with a stored moment (indexed) rather than
    taking each row's local date."""
    return f"(({day})::timestamp AT TIME ZONE %(tz)s)"


def fetch(sql: str, params: dict) -> list[tuple]:
    """The rows of one query of the figures."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def groups_by_period(groups: list[dict], count: int, target: Decimal) -> list[list[dict]]:
    """Counted groups (each with "n", the period's place) as each period's groups, by name as
    group_rows orders them."""
    found: list[list[dict]] = [[] for _ in range(count)]
    for group in groups:
        found[group.pop("n")].append(group)
    return [[finish_group(g, target) for g in sorted(each, key=lambda g: (g["name"] or ""))]
            for each in found]
