"""Working days in Jersey: Monday to Friday, less the Island's bank and public holidays.

Deadlines of the Guidance counted in working days (notification of eligibility within 3
days of sentence §3.3, a community referral's meeting within 15 working days §10.4,
minutes within 5 or 10 working days §10.12) are all computed here, with the Jersey
calendar of the `holidays` package (Liberation Day, the one-off holidays proclaimed by
the States, and the usual bank holidays).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("JE", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date, n: int) -> date:
    """The `n`th working day after `start` (before it if `n` is negative); `start` if 0.

    `start` itself never counts: a referral received on a Friday afternoon has its first
    working day on the Monday (or the Tuesday after a bank holiday Monday).
    """
    step = 1 if n >= 0 else -1
    day, remaining = start, abs(n)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days after `start`, up to and including `end`.

    The inverse of add_working_days: working_days_between(d, add_working_days(d, n)) == n
    for n >= 0. Negative (the count from `end` to `start`) when `end` is before `start`.
    """
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    # Whole weeks at once would be quicker, but the spans here are days or weeks long.
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier if negative); the month's last day where that
    month is shorter: 31 August less 6 months is 28 (or 29) February."""
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
