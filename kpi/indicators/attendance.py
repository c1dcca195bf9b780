"""KPI 5: "90% attendance by each invited agency, at an appropriate level of seniority, at
each level 2 and 3 JMAPP meetings (if unable to attend, video or telephone conferencing or
the provision of an appropriate report to the meeting may be acceptable)" (§16.2, §10.7).

The definition, for a period (a quarter or a year; while it runs, up to today):
- The denominator is each agency invited to each level 2 or 3 meeting held in the period
  (emergency meetings included): one place per agency and meeting, however many of its
  people were invited; a withdrawn invitation does not count, an agency recorded at
  the meeting counts as invited.
- The place is met if the agency attended, in person, by video or by telephone, at the
  seniority §10.7 asks for the level (an attendance whose seniority was not assessed is
  taken as meeting it), or sent a report to the meeting (the Guidance accepts it). Where
  several of its people are recorded, the best of them decides.
- Report-only and remote attendance are shown in their own columns; attendance below
  the seniority is its own column and does not count; absence, apologies and no record
  do not count.
- By agency, each invited agency's own rate against the target.

Three queries: the held meetings, their invitations, their attendance. The figures alone
(the dashboard, the API) are counted by the database in one query, `kpi5_figures`, from the
same outcome rule (`outcome_of`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Subquery
from django.utils import timezone

from jmappa.accounts.models import Agency
from jmappa.core import dates
from meetings.models import (
    Attendance,
    AttendanceMode,
    Invitation,
    Meeting,
    MeetingStatus,
    PanelLevel,
)

from ..periods import Period
from .base import (
    KPIS,
    PERIODS_SQL,
    Result,
    fetch,
    finish_group,
    groups_by_period,
    local_midnight_sql,
    period_params,
    window_end,
)

# The outcome of an agency's place at a meeting, best first; the first three count.
IN_PERSON, REMOTE, REPORT, BELOW_SENIORITY, ABSENT = (
    "in_person", "remote", "report", "below_seniority", "absent")
OUTCOMES = (IN_PERSON, REMOTE, REPORT, BELOW_SENIORITY, ABSENT)
COUNTED = (IN_PERSON, REMOTE, REPORT)
OUTCOME_LABELS = {IN_PERSON: "In person", REMOTE: "Video or telephone", REPORT: "Report only",
                  BELOW_SENIORITY: "Below seniority", ABSENT: "Not attended"}


ONE_DAY = timedelta(days=1)


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def outcome_of(mode: str, meets_seniority: bool | None) -> str:
    """One attendance record's outcome for KPI 5."""
    if mode == AttendanceMode.REPORT_ONLY:
        return REPORT
    if mode in (AttendanceMode.IN_PERSON, AttendanceMode.VIDEO, AttendanceMode.TELEPHONE):
        if meets_seniority is False:
            return BELOW_SENIORITY
        return IN_PERSON if mode == AttendanceMode.IN_PERSON else REMOTE
    return ABSENT


def kpi5_agency_attendance(period: Period, *, today: date | None = None) -> Result:
    """KPI 5: attendance by each invited agency at level 2 and 3 meetings."""
    return kpi5_many([period], today=today)[0]


def kpi5_many(periods: list[Period], *, today: date | None = None) -> list[Result]:
    """KPI 5 for several periods at once, in the same three queries."""
    today = today or dates.today()
    first = min(p.start for p in periods)
    last = max(window_end(p, today) for p in periods)
    # A range of the stored moment (indexed), not of its local date (computed per row).
    held = Meeting.objects.filter(
        status=MeetingStatus.HELD, level__in=PanelLevel.values,
        starts_at__gte=local_midnight(first), starts_at__lt=local_midnight(last + ONE_DAY))
    meetings = {pk: (pk, timezone.localtime(at).date(), level, nominal_id)
                for pk, at, level, nominal_id in held.order_by().values_list(
                    "id", "starts_at", "level", "nominal_id")}
    ids = Subquery(held.values("id"))
    names: dict[int, str] = {}
    places: dict[tuple[int, int], str] = {}
    for meeting_id, agency_id, name in Invitation.objects.filter(
            meeting_id__in=ids, withdrawn_at__isnull=True).values_list(
            "meeting_id", "agency_id", "agency__name"):
        names[agency_id] = name
        places[(meeting_id, agency_id)] = ABSENT
    for meeting_id, agency_id, name, mode, meets in Attendance.objects.filter(
            meeting_id__in=ids).values_list("meeting_id", "agency_id", "agency__name", "mode",
                                            "meets_seniority"):
        names[agency_id] = name
        found = outcome_of(mode, meets)
        current = places.get((meeting_id, agency_id), ABSENT)
        places[(meeting_id, agency_id)] = min(current, found, key=OUTCOMES.index)
    ordered = sorted(places.items(), key=lambda item: (meetings[item[0][0]][1], item[0]))
    results = []
    for period in periods:
        start, end = period.start, window_end(period, today)
        results.append(_period(period, end, [
            item for item in ordered if start <= meetings[item[0][0]][1] <= end],
            meetings, names))
    return results


def _period(period, end, places, meetings, names) -> Result:
    kpi = KPIS[5]
    result = Result(kpi=kpi, period=period, as_of=end, numerator=0, denominator=0)
    groups: dict[int, dict] = {}
    held = set()
    for (meeting_id, agency_id), found in places:
        _, day, level, nominal_id = meetings[meeting_id]
        held.add(meeting_id)
        counted = found in COUNTED
        result.rows.append({
            "meeting_id": meeting_id, "date": day.isoformat(), "level": level,
            "nominal_id": nominal_id, "reference": f"J{nominal_id:06d}",
            "agency_id": agency_id, "agency": names[agency_id], "outcome": found,
            "outcome_label": OUTCOME_LABELS[found], "met": counted})
        group = groups.setdefault(agency_id, {
            "id": agency_id, "name": names[agency_id], "numerator": 0, "denominator": 0,
            **{outcome: 0 for outcome in OUTCOMES}})
        group[found] += 1
        group["denominator"] += 1
        group["numerator"] += counted
    result.groups = [finish_group(g, kpi.target)
                     for g in sorted(groups.values(), key=lambda g: g["name"])]
    result.denominator = len(result.rows)
    result.numerator = sum(1 for row in result.rows if row["met"])
    result.extra = {outcome: sum(g[outcome] for g in result.groups) for outcome in OUTCOMES}
    result.extra["meetings_with_invitations"] = len(held)
    return result


# outcome_of for every mode an attendance may record, with its seniority met, not met or not
# assessed; in the query, each outcome by its place in OUTCOMES (best first).
_RULE = [(mode, meets) for mode in AttendanceMode.values for meets in (True, False, None)]
_RANK_SQL = "CASE {} ELSE %(absent)s END".format(" ".join(
    f"WHEN a.mode = %(mode{k})s AND a.meets_seniority IS NOT DISTINCT FROM %(meets{k})s "
    f"THEN %(rank{k})s" for k in range(len(_RULE))))
def places_sql(only: str) -> str:
    """The CTEs of a query ending in `place`: each agency's place at each held level 2 or 3
    meeting in each period, its outcome's rank, the meeting's case, and `first` marking one
    place a meeting. `only` restricts the cases, a condition on `{}`, their nominal's id."""
    return f"""
period AS ({PERIODS_SQL}),
held AS (
    SELECT period.n, m.id, m.nominal_id
    FROM {Meeting._meta.db_table} m
    JOIN period ON m.starts_at >= {local_midnight_sql("period.first_day")}
         AND m.starts_at < {local_midnight_sql("period.last_day + 1")}
    WHERE m.status = %(held)s AND m.level = ANY(%(levels)s)
      AND m.starts_at >= {local_midnight_sql("%(first)s")}
      AND m.starts_at < {local_midnight_sql("%(last)s + 1")}
      AND {only.format("m.nominal_id")}
),
-- The best outcome of an agency's invitations and attendance, meeting by meeting (from the
-- indexes alone): a small sort per meeting rather than one of every place.
place AS (
    SELECT held.n, held.nominal_id, best.agency_id, best.rank, best.first
    FROM held CROSS JOIN LATERAL (
        SELECT each.agency_id, MIN(each.rank) AS rank, ROW_NUMBER() OVER () = 1 AS first
        FROM (
            SELECT i.agency_id, %(absent)s AS rank
            FROM {Invitation._meta.db_table} i
            WHERE i.meeting_id = held.id AND i.withdrawn_at IS NULL
            UNION ALL
            SELECT a.agency_id, {_RANK_SQL}
            FROM {Attendance._meta.db_table} a WHERE a.meeting_id = held.id
        ) each
        GROUP BY each.agency_id
    ) best
)"""


def counted_sql(places: str) -> str:
    """The counts of `places` (n, agency_id, rank, first) by period, agency and outcome, with
    the meetings with an agency invited or recorded."""
    return f"""
SELECT counted.*, agency.name
FROM (SELECT n, agency_id, rank, COUNT(*), COUNT(*) FILTER (WHERE first)
      FROM {places} GROUP BY n, agency_id, rank) counted
JOIN {Agency._meta.db_table} agency ON agency.id = counted.agency_id
"""


_FIGURES_SQL = f"WITH {places_sql('TRUE')} {counted_sql('place')}"


def kpi5_params(periods: list[Period], today: date) -> dict:
    params = period_params(periods, today)
    for k, (mode, meets) in enumerate(_RULE):
        params.update({f"mode{k}": mode, f"meets{k}": meets,
                       f"rank{k}": OUTCOMES.index(outcome_of(mode, meets))})
    return {**params, "absent": OUTCOMES.index(ABSENT), "held": MeetingStatus.HELD,
            "levels": list(PanelLevel.values), "first": min(params["first_day"]),
            "last": max(params["last_day"])}


def kpi5_figures(periods: list[Period], *, today: date | None = None) -> list[Result]:
    """KPI 5's figures for several periods, without the rows, in one query."""
    today = today or dates.today()
    return kpi5_results(fetch(_FIGURES_SQL, kpi5_params(periods, today)), periods, today)


def kpi5_results(counted: list[tuple], periods: list[Period], today: date) -> list[Result]:
    """KPI 5's figures of each period from the counts of counted_sql."""
    kpi = KPIS[5]
    merged: dict[tuple, dict] = {}
    meetings = [0] * len(periods)
    for n, agency_id, rank, count, first, name in counted:
        meetings[n] += first
        group = merged.setdefault((n, agency_id), {
            "n": n, "id": agency_id, "name": name, "numerator": 0, "denominator": 0,
            **{outcome: 0 for outcome in OUTCOMES}})
        group[OUTCOMES[rank]] += count
        group["denominator"] += count
        group["numerator"] += count if OUTCOMES[rank] in COUNTED else 0
    results = []
    for period, found, held in zip(periods, groups_by_period(
            list(merged.values()), len(periods), kpi.target), meetings, strict=True):
        results.append(Result(
            kpi=kpi, period=period, as_of=window_end(period, today), groups=found,
            numerator=sum(g["numerator"] for g in found),
            denominator=sum(g["denominator"] for g in found),
            extra={**{outcome: sum(g[outcome] for g in found) for outcome in OUTCOMES},
                   "meetings_with_invitations": held}))
    return results
