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


# -- the Board (§15.2, §15.3) ------------------------------------------------------------------


def board_seats(today: date) -> list[dict]:
    """Each seat with who holds it today (None if empty), in the Board's order."""
    from django.db.models import Q

    from .models import SmbMembership, SmbSeat

    holding = {m.seat_id: m for m in SmbMembership.objects.filter(date_from__lte=today).filter(
        Q(date_to__isnull=True) | Q(date_to__gte=today)).select_related(
        "member", "member__agency", "seat")}
    return [{"seat": seat, "membership": holding.get(seat.pk)}
            for seat in SmbSeat.objects.filter(is_active=True).select_related("agency")]


def chair_terms():
    from .models import SmbChair

    return SmbChair.objects.select_related("member", "agency")


def board_meetings():
    """Every Board meeting, newest first, with its attendance counted in the same query."""
    from django.db.models import Count, Q

    from .models import SmbAttendanceStatus, SmbMeeting

    return SmbMeeting.objects.select_related("chair").annotate(
        recorded=Count("attendance"),
        present=Count("attendance", filter=Q(attendance__status__in=[
            SmbAttendanceStatus.PRESENT, SmbAttendanceStatus.DEPUTY])))


def seated_on(day: date):
    """The memberships holding a seat on `day`."""
    from django.db.models import Q

    from .models import SmbMembership

    return SmbMembership.objects.filter(date_from__lte=day).filter(
        Q(date_to__isnull=True) | Q(date_to__gte=day)).select_related(
        "seat", "member", "member__agency").order_by("seat__position", "seat__name")
