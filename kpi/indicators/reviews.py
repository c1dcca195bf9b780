"""KPIs 1 and 2: level 3 cases reviewed no less than once every six weeks, level 2 cases
no less than once every 12 weeks (§16.2, §10.11).

The definition, for a period (a quarter or a year; while it runs, up to today):
- A case counts in the denominator if it was managed at that level at any time in the
  period: a stretch of its level history at that level (`cases.LevelChange`, from the
  day the level was set up to the day it changed) overlaps the period, leaving out any
  time it was archived.
- It meets the KPI if, in every such stretch, no gap that reaches into the period
  exceeds the review interval: the gaps between the start of the stretch and the held
  meetings at that level in it, one to the next, and from the last of them to the end
  of the period (or today), the step-down or the archiving, whichever is first.
- The review interval is the Guidance's own (§10.11), decided by the same rule as the
  review-due alerts (`meetings.rules.latest_review_date`): a review on the 42nd day
  after a level 3 meeting (the 84th after a level 2 one) is on time, on the 43rd late.
- A recorded deviation (`cases.Deviation`) decided during a late gap is shown beside
  the miss: it explains it but does not turn it into a hit.
- Only held meetings count; scheduled and cancelled ones do not.

Four queries, whatever the number of cases: the level stretches, the held meetings, the
archive history and the deviations.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Exists, OuterRef, Q

from cases.models import Deviation, Level, LevelChange, Status, StatusChange
from jmappa.core import dates
from jmappa.core.rules import local_date
from meetings.models import Meeting, MeetingStatus
from meetings.rules import latest_review_date

from ..periods import Period
from .base import KPIS, Result, group_rows, window_end

FAR_FUTURE = date(9999, 12, 31)


def kpi1_level3_reviews(period: Period, *, today: date | None = None) -> Result:
    """KPI 1: "90% of level 3 JMAPP cases reviewed no less than once every six weeks"."""
    return kpi1_many([period], today=today)[0]


def kpi2_level2_reviews(period: Period, *, today: date | None = None) -> Result:
    """KPI 2: "85% of JMAPP level 2 cases reviewed no less than once every 12 weeks"."""
    return kpi2_many([period], today=today)[0]


def kpi1_many(periods: list[Period], *, today: date | None = None) -> list[Result]:
    """KPI 1 for several periods at once, in the same four queries."""
    return _reviews(KPIS[1], Level.THREE, periods, today or dates.today())


def kpi2_many(periods: list[Period], *, today: date | None = None) -> list[Result]:
    """KPI 2 for several periods at once, in the same four queries."""
    return _reviews(KPIS[2], Level.TWO, periods, today or dates.today())


def _stretches_query(level: str, start: date, end: date):
    """The level history rows at `level` that overlap [start, end]. A row's `date_to` is
    the day the next level was set up, so a stretch ending on `start` is not in the
    period."""
    return LevelChange.objects.filter(level=level, date_from__lte=end).filter(
        Q(date_to__isnull=True) | Q(date_to__gt=start))


def _reviews(kpi, level: str, periods: list[Period], today: date) -> list[Result]:
    first = min(p.start for p in periods)
    last = max(window_end(p, today) for p in periods)
    stretches = sorted(_stretches_query(level, first, last).order_by().values(
        "nominal_id", "date_from", "date_to", "nominal__lead_agency_id",
        "nominal__lead_agency__name"), key=lambda s: (s["nominal_id"], s["date_from"]))
    in_stretch = _stretches_query(level, first, last).filter(
        nominal_id=OuterRef("nominal_id"), date_from__lte=OuterRef("day")).filter(
        Q(date_to__isnull=True) | Q(date_to__gte=OuterRef("day")))
    meetings = defaultdict(list)
    for nominal_id, day in (Meeting.objects.filter(status=MeetingStatus.HELD, level=level)
                            .annotate(day=local_date("starts_at")).filter(day__lte=last)
                            .filter(Exists(in_stretch)).order_by()
                            .values_list("nominal_id", "day")):
        meetings[nominal_id].append(day)
    nominal_ids = _stretches_query(level, first, last).values("nominal_id")
    archived = _archived_spans(nominal_ids, last)
    deviations = defaultdict(list)
    for nominal_id, day in Deviation.objects.filter(
            nominal_id__in=nominal_ids, decided_on__lte=last).values_list(
            "nominal_id", "decided_on"):
        deviations[nominal_id].append(day)
    return [_period(kpi, level, period, window_end(period, today), stretches, meetings,
                    archived, deviations) for period in periods]


def _period(kpi, level, period, end, stretches, meetings, archived, deviations) -> Result:
    start = period.start
    cases: dict[int, dict] = {}
    for stretch in stretches:
        if stretch["date_from"] > end or (stretch["date_to"] and stretch["date_to"] <= start):
            continue
        nominal_id = stretch["nominal_id"]
        for piece_start, piece_end in _active_pieces(
                stretch["date_from"], min(stretch["date_to"] or FAR_FUTURE, end),
                archived.get(nominal_id, [])):
            if piece_end < start or piece_start > end:
                continue
            case = cases.setdefault(nominal_id, {
                "nominal_id": nominal_id, "reference": f"J{nominal_id:06d}",
                "agency_id": stretch["nominal__lead_agency_id"],
                "agency": stretch["nominal__lead_agency__name"] or "",
                "level": level, "meetings": [], "late": [], "longest_gap": 0,
                "deviation": False, "met": True})
            held = sorted(d for d in meetings.get(nominal_id, [])
                          if piece_start <= d <= piece_end)
            _judge(case, level, piece_start, piece_end, held, start,
                   deviations.get(nominal_id, []))
    rows = sorted(cases.values(), key=lambda c: (c["met"], c["reference"]))
    for row in rows:
        row["meetings"] = [d.isoformat() for d in row["meetings"]]
    return Result(
        kpi=kpi, period=period, as_of=end, rows=rows, denominator=len(rows),
        numerator=sum(1 for row in rows if row["met"]),
        groups=group_rows(rows, "agency_id", "agency", "met", kpi.target),
        extra={"explained_by_deviation": sum(
            1 for row in rows if not row["met"] and row["deviation"])})


def _judge(case: dict, level: str, piece_start: date, piece_end: date, held: list[date],
           period_start: date, deviations: list[date]) -> None:
    """Mark the case's gaps in one stretch that reach into the period: late if the next
    review (or the end of the stretch) falls after the latest date the rule allows."""
    anchors = [piece_start, *[d for d in held if d > piece_start]]
    ends = [*anchors[1:], piece_end]
    case["meetings"].extend(d for d in held if d >= period_start)
    for previous, following in zip(anchors, ends, strict=True):
        if following < period_start:
            continue
        gap = (following - previous).days
        case["longest_gap"] = max(case["longest_gap"], gap)
        due = latest_review_date(previous, level)
        if following > due:
            case["met"] = False
            case["late"].append({"after": previous.isoformat(), "due": due.isoformat(),
                                 "held": following.isoformat() if following in held else None})
            if any(previous <= d <= following for d in deviations):
                case["deviation"] = True


def _archived_spans(nominal_ids, end: date) -> dict[int, list[tuple[date, date]]]:
    """Each case's archived spans up to `end`: (archived on, re-activated on or FAR_FUTURE)."""
    spans: dict[int, list[tuple[date, date]]] = defaultdict(list)
    opened: dict[int, date] = {}
    for nominal_id, status, on in StatusChange.objects.filter(
            nominal_id__in=nominal_ids, on__lte=end).order_by("nominal_id", "on", "id") \
            .values_list("nominal_id", "status", "on"):
        if status == Status.ARCHIVED:
            opened.setdefault(nominal_id, on)
        elif nominal_id in opened:
            spans[nominal_id].append((opened.pop(nominal_id), on))
    for nominal_id, on in opened.items():
        spans[nominal_id].append((on, FAR_FUTURE))
    return spans


def _active_pieces(first: date, last: date, archived: list[tuple[date, date]]
                   ) -> list[tuple[date, date]]:
    """[first, last] less the archived spans (archived on the day it was archived, managed
    again from the day it was re-activated)."""
    pieces = []
    cursor = first
    for off, on in sorted(archived):
        if on <= cursor or off > last:
            continue
        if off > cursor:
            pieces.append((cursor, off))
        cursor = max(cursor, on)
    if cursor <= last:
        pieces.append((cursor, last))
    return pieces

