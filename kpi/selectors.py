"""Reads of the Board's figures that the pages, the API and the exports share: the
figures of a period, the trend over the last eight quarters, and the rows behind a
figure. Each costs the same queries whatever the number of cases (kpi/indicators)."""

from __future__ import annotations

from datetime import date

from .indicators import KPIS, MEASURED, Result, measure_all
from .periods import Period
from .snapshots import frozen_result, latest_snapshots

TREND_QUARTERS = 8


def trend_quarters(period: Period, today: date) -> list[Period]:
    """The eight quarters up to the period's last quarter (or today's, if earlier)."""
    last = Period.quarter_of(min(period.end, today))
    quarters = [last]
    while len(quarters) < TREND_QUARTERS:
        quarters.append(quarters[-1].previous())
    return list(reversed(quarters))


def results(periods: list[Period], today: date, numbers=MEASURED, *, with_rows: bool = True
            ) -> dict[tuple[int, Period], Result]:
    """Each KPI of `numbers` for each of `periods`: a closed quarter's from its latest
    frozen snapshot, anything else (a running quarter, a year, a quarter not yet frozen)
    measured now. A constant number of queries."""
    frozen = latest_snapshots([p.code for p in periods if p.quarter], with_rows=with_rows)
    found = {(n, p): frozen_result(frozen[(n, p.code)], with_rows=with_rows)
             for n in numbers for p in periods if (n, p.code) in frozen}
    live = [p for p in periods if any((n, p) not in found for n in numbers)]
    if live:
        measured = measure_all(live, today=today, numbers=numbers)
        for number in numbers:
            for p, result in zip(live, measured[number], strict=True):
                found.setdefault((number, p), result)
    return found


def dashboard(period: Period, today: date) -> list[dict]:
    """For each measured KPI: its figure for `period` and its trend over eight quarters."""
    quarters = trend_quarters(period, today)
    periods = quarters if period in quarters else [*quarters, period]
    found = results(periods, today, with_rows=False)
    return [{"kpi": KPIS[number], "result": found[(number, period)],
             "trend": [found[(number, q)] for q in quarters]} for number in MEASURED]


def figure(number: int, period: Period, today: date) -> Result:
    """One KPI for one period, with the rows behind it. KeyError for a KPI not measured."""
    return results([period], today, numbers=(number,))[(number, period)]


def provisional(period: Period, today: date) -> bool:
    """A period still running: its figures may change."""
    return not period.is_closed(today)


def home_summary(today: date) -> dict:
    """This quarter's figures, for the home pages of the Co-ordinator, the Administrators
    and the SMB members."""
    period = Period.quarter_of(today)
    measured = measure_all([period], today=today)
    return {"period": period, "results": [measured[number][0] for number in MEASURED]}
