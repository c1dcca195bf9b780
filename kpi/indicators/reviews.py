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
archive history and the deviations. The figures alone (the dashboard, the API, the home
pages) are counted by the database, for both KPIs in one query of the same definition
(`review_figures`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q

from cases.models import Deviation, Level, LevelChange, Nominal, Status, StatusChange
from jmappa.accounts.models import Agency
from jmappa.core import dates
from jmappa.core.rules import local_date
from meetings.models import Meeting, MeetingStatus
from meetings.rules import latest_review_date

from ..periods import Period
from .base import (
    KPIS,
    PERIODS_SQL,
    Result,
    fetch,
    group_rows,
    groups_by_period,
    local_midnight_sql,
    period_params,
    window_end,
)

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


LEVELS = {1: Level.THREE, 2: Level.TWO}


def kpi1_figures(periods: list[Period], *, today: date | None = None) -> list[Result]:
    """KPI 1's figures for several periods, without the rows, in one query."""
    return review_figures(periods, today=today, numbers=(1,))[1]


def kpi2_figures(periods: list[Period], *, today: date | None = None) -> list[Result]:
    """KPI 2's figures for several periods, without the rows, in one query."""
    return review_figures(periods, today=today, numbers=(2,))[2]


def _anchor(alias: str) -> str:
    """The last review held in a piece before its period, from the index: the day the first
    gap into the period runs from where `reviewed` (and the piece's start) fall short."""
    return f"""GREATEST({alias}.p, (
            SELECT (MAX(m.starts_at) AT TIME ZONE %(tz)s)::date
            FROM {Meeting._meta.db_table} m
            WHERE m.nominal_id = {alias}.nominal_id AND m.status = %(held)s
              AND m.level = {alias}.level
              AND m.starts_at >= {local_midnight_sql(f"{alias}.p + 1")}
              AND m.starts_at < {local_midnight_sql(f"{alias}.first_day")}))"""


def judged_sql(only: str) -> str:
    """The definition above, step for step as _reviews, _archived_spans, _active_pieces and
    _judge take it, for both levels at once, as the CTEs of a query ending in `judged`: each
    case's outcome at each level and period. `only` restricts the cases, a condition on
    `{}`, their nominal's id."""
    return f"""
period AS ({PERIODS_SQL}),
rule AS (SELECT * FROM unnest(%(levels)s::text[], %(days)s::int[]) AS rule(level, days)),
stretch AS (
    SELECT period.n, period.first_day, rule.level, rule.days, lc.id, lc.nominal_id,
           nominal.lead_agency_id, lc.date_from AS a,
           LEAST(COALESCE(lc.date_to, period.last_day), period.last_day) AS b
    FROM {LevelChange._meta.db_table} lc
    JOIN rule ON rule.level = lc.level
    JOIN {Nominal._meta.db_table} nominal ON nominal.id = lc.nominal_id
    JOIN period ON lc.date_from <= period.last_day
         AND (lc.date_to IS NULL OR lc.date_to > period.first_day)
    -- The same bounds for all the periods at once, for the level history's index.
    WHERE lc.level = ANY(%(levels)s) AND lc.date_from <= %(until)s
      AND (lc.date_to IS NULL OR lc.date_to > %(first)s) AND {only.format("lc.nominal_id")}
),
status AS (
    SELECT sc.nominal_id, sc."on", sc.status = %(archived)s AS archived,
           LAG(sc.status = %(archived)s) OVER w AS after_archived,
           MIN(CASE WHEN sc.status <> %(archived)s THEN sc."on" END) OVER (
               w ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS reactivated
    FROM {StatusChange._meta.db_table} sc
    WHERE sc."on" <= %(until)s AND sc.nominal_id IN (SELECT nominal_id FROM stretch)
    WINDOW w AS (PARTITION BY sc.nominal_id ORDER BY sc."on", sc.id)
),
-- From the first archiving to the next re-activation.
span AS (
    SELECT nominal_id, "on" AS off, COALESCE(reactivated, %(far)s) AS back
    FROM status WHERE archived AND after_archived IS NOT TRUE
),
-- The spans that cut a stretch, each with the re-activation before it in the stretch.
cut AS (
    SELECT stretch.n, stretch.id, span.off, span.back,
           LAG(span.back) OVER (PARTITION BY stretch.n, stretch.id
                                ORDER BY span.off, span.back) AS resumed
    FROM stretch JOIN span ON span.nominal_id = stretch.nominal_id
         AND span.back > stretch.a AND span.off <= stretch.b
),
-- The pieces that reach into their period: a stretch that no span cuts is one; one that
-- spans cut is a piece up to each archiving, then one from the last re-activation. A piece
-- is known by its period, its stretch and its first day.
measured AS (
    SELECT n, id, first_day, level, days, nominal_id, lead_agency_id, a AS p, b AS q
    FROM stretch
    WHERE NOT EXISTS (SELECT 1 FROM cut WHERE cut.n = stretch.n AND cut.id = stretch.id)
    UNION ALL
    SELECT stretch.n, stretch.id, stretch.first_day, stretch.level, stretch.days,
           stretch.nominal_id, stretch.lead_agency_id, COALESCE(cut.resumed, stretch.a), cut.off
    FROM cut JOIN stretch USING (n, id)
    WHERE cut.off > COALESCE(cut.resumed, stretch.a) AND cut.off >= stretch.first_day
    UNION ALL
    SELECT stretch.n, stretch.id, stretch.first_day, stretch.level, stretch.days,
           stretch.nominal_id, stretch.lead_agency_id, resumed.p, stretch.b
    FROM (SELECT n, id, MAX(back) AS p FROM cut GROUP BY n, id) resumed
    JOIN stretch USING (n, id)
    WHERE resumed.p <= stretch.b
),
-- The reviews held from the first day a gap into any of the periods may run from and still
-- be on time: one range of the index, however long the history; each day taken once.
recent AS MATERIALIZED (
    SELECT m.nominal_id, m.level, (m.starts_at AT TIME ZONE %(tz)s)::date AS day
    FROM {Meeting._meta.db_table} m
    WHERE m.status = %(held)s AND m.level = ANY(%(levels)s)
      AND m.starts_at >= {local_midnight_sql("%(since)s")}
      AND m.starts_at < {local_midnight_sql("%(until)s + 1")}
      AND {only.format("m.nominal_id")}
),
-- The days a piece's gaps run between: the reviews held in it (after its first day, to its
-- last), then its end.
point AS (
    SELECT measured.*, recent.day, 0 AS o
    FROM measured JOIN recent ON recent.nominal_id = measured.nominal_id
         AND recent.level = measured.level AND recent.day > measured.p
         AND recent.day <= measured.q
    UNION ALL
    SELECT measured.*, q, 1 FROM measured
),
-- Each gap, from the day before it, or else from the piece's start when it is recent enough
-- for `recent` to hold every review after it. Otherwise the day the gap runs from is left
-- unknown here: the gap is late however it is found (it reaches into the period, from
-- before the interval), and that day is looked up only where a deviation may fall in it.
gap AS (
    SELECT nominal_id, lead_agency_id, n, level, days, first_day, p, day AS following,
           COALESCE(LAG(day) OVER (PARTITION BY n, id, p ORDER BY day, o),
                    CASE WHEN p >= first_day - days - 1 THEN p END) AS previous
    FROM point
),
judged AS (
    SELECT n, level, nominal_id, lead_agency_id,
           BOOL_AND(previous IS NOT NULL AND following <= previous + days) AS met,
           BOOL_OR(CASE WHEN previous IS NULL OR following > previous + days THEN EXISTS (
               SELECT 1 FROM {Deviation._meta.db_table} d
               WHERE d.nominal_id = gap.nominal_id AND d.decided_on <= gap.following
                 AND d.decided_on >= COALESCE(gap.previous, {_anchor("gap")})) END) AS deviation
    FROM gap WHERE following >= first_day
    GROUP BY n, level, nominal_id, lead_agency_id
)"""


def counted_sql(cases: str) -> str:
    """The figures of `cases` (n, level, lead_agency_id, met, deviation), by agency."""
    return f"""
SELECT counted.*, agency.name
FROM (
    SELECT n, level, lead_agency_id, COUNT(*) FILTER (WHERE met), COUNT(*),
           COUNT(*) FILTER (WHERE NOT met AND deviation)
    FROM {cases} GROUP BY n, level, lead_agency_id
) counted
LEFT JOIN {Agency._meta.db_table} agency ON agency.id = counted.lead_agency_id
"""


# Counted by the database: only the figures leave it.
_FIGURES_SQL = f"WITH {judged_sql('TRUE')} {counted_sql('judged')}"


def review_figures(periods: list[Period], *, today: date | None = None, numbers=(1, 2)
                   ) -> dict[int, list[Result]]:
    """KPIs 1 and 2 (or one of them, `numbers`) for several periods, without the rows, in
    one query."""
    today = today or dates.today()
    params = review_params(periods, today, [LEVELS[number] for number in numbers])
    return review_results(fetch(_FIGURES_SQL, params), periods, today, numbers)


def review_params(periods: list[Period], today: date, levels: list[str]) -> dict:
    params = period_params(periods, today)
    # The review interval of meetings.rules in days, as the review-due alert counts it.
    days = [(latest_review_date(today, level) - today).days for level in levels]
    return {**params, "levels": levels, "days": days, "archived": Status.ARCHIVED,
            "first": min(params["first_day"]), "until": max(params["last_day"]),
            "held": MeetingStatus.HELD, "far": FAR_FUTURE,
            "since": min(params["first_day"]) - timedelta(days=max(days) + 1)}


def review_results(counted: list[tuple], periods: list[Period], today: date, numbers
                   ) -> dict[int, list[Result]]:
    """KPIs 1 and 2 (`numbers`) of each period from the counts of counted_sql."""
    found = {}
    for number in numbers:
        kpi, level = KPIS[number], LEVELS[number]
        groups = groups_by_period([
            {"n": n, "id": agency_id, "name": name or "", "numerator": met,
             "denominator": cases, "explained": explained}
            for n, at, agency_id, met, cases, explained, name in counted if at == level],
            len(periods), kpi.target)
        found[number] = []
        for period, each in zip(periods, groups, strict=True):
            # The misses a deviation explains are counted for the period, not by agency.
            explained = sum(g.pop("explained") for g in each)
            found[number].append(Result(
                kpi=kpi, period=period, as_of=window_end(period, today), groups=each,
                numerator=sum(g["numerator"] for g in each),
                denominator=sum(g["denominator"] for g in each),
                extra={"explained_by_deviation": explained}))
    return found
