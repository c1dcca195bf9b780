"""Reads of the Board's figures that the pages, the API and the exports share: the
figures of a period, the trend over the last eight quarters, and the rows behind a
figure. Each costs the same queries whatever the number of cases (kpi/indicators)."""

from __future__ import annotations

from datetime import date

from .indicators import KPIS, MEASURED, Result, measure_all
from .periods import Period

TREND_QUARTERS = 8


def trend_quarters(period: Period, today: date) -> list[Period]:
    """The eight quarters up to the period's last quarter (or today's, if earlier)."""
    last = Period.quarter_of(min(period.end, today))
    quarters = [last]
    while len(quarters) < TREND_QUARTERS:
        quarters.append(quarters[-1].previous())
    return list(reversed(quarters))


def dashboard(period: Period, today: date) -> list[dict]:
    """For each measured KPI: its figure for `period` and its trend over eight quarters."""
    quarters = trend_quarters(period, today)
    periods = quarters if period in quarters else [*quarters, period]
    measured = measure_all(periods, today=today)
    shown = []
    for number in MEASURED:
        by_period = dict(zip(periods, measured[number], strict=True))
        shown.append({"kpi": KPIS[number], "result": by_period[period],
                      "trend": [by_period[q] for q in quarters]})
    return shown


def figure(number: int, period: Period, today: date) -> Result:
    """One KPI for one period, with the rows behind it. KeyError for a KPI not measured."""
    return measure_all([period], today=today, numbers=(number,))[number][0]


def provisional(period: Period, today: date) -> bool:
    """A period still running: its figures may change."""
    return not period.is_closed(today)


def home_summary(today: date) -> dict:
    """This quarter's figures, for the home pages of the Co-ordinator, the Administrators
    and the SMB members."""
    period = Period.quarter_of(today)
    measured = measure_all([period], today=today)
    return {"period": period, "results": [measured[number][0] for number in MEASURED]}
