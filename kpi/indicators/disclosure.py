"""KPI 3: "Public Interest Disclosure to be considered and the decision to be recorded in the
minutes at 100% of level 2 and 3 JMAPP meetings" (§16.2, §5.2).

The definition, for a period (a quarter or a year; while it runs, up to today):
- The denominator is every level 2 and 3 meeting held in the period (emergency meetings
  included).
- A meeting meets the KPI if its final minutes (the current final version; a superseded
  one does not count) record that disclosure was considered and the decision taken:
  disclose, or do not disclose, or defer to a later meeting. A deferral is a decision
  recorded, and is shown in its own column.
- A held meeting without final minutes (none yet, or only a draft) is a miss, as is one
  whose final minutes record no decision.

Three queries: the held meetings, their final minutes, and the decisions these record. The
figures alone (the dashboard, the API) are counted by the database in one query,
`kpi3_figures`, from the same outcome rule (`outcome_of`).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Subquery
from django.utils import timezone

from cases.models import Nominal
from jmappa.accounts.models import Agency
from jmappa.core import dates
from meetings.models import (
    DisclosureDecision,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    PanelLevel,
)

from ..periods import Period
from .attendance import ONE_DAY, local_midnight
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

RECORDED, DEFERRED, NO_DECISION, NO_FINAL_MINUTES = (
    "recorded", "deferred", "no_decision", "no_final_minutes")
MET = (RECORDED, DEFERRED)  # a deferral is a decision recorded
OUTCOME_LABELS = {RECORDED: "Decision recorded", DEFERRED: "Decision deferred",
                  NO_DECISION: "No decision in the final minutes",
                  NO_FINAL_MINUTES: "No final minutes"}


def outcome_of(final: bool, decision: str) -> str:
    """A held meeting's outcome for KPI 3: whether it has final minutes, and the disclosure
    decision these record ("" where disclosure was not considered)."""
    if not final:
        return NO_FINAL_MINUTES
    if decision == DisclosureDecision.DEFER:
        return DEFERRED
    if decision in (DisclosureDecision.DISCLOSE, DisclosureDecision.NOT_DISCLOSE):
        return RECORDED
    return NO_DECISION


def kpi3_disclosure_recorded(period: Period, *, today: date | None = None) -> Result:
    """KPI 3: the disclosure decision recorded in the minutes of each level 2 and 3
    meeting."""
    return kpi3_many([period], today=today)[0]


def kpi3_many(periods: list[Period], *, today: date | None = None) -> list[Result]:
    """KPI 3 for several periods at once, in the same three queries."""
    today = today or dates.today()
    first = min(p.start for p in periods)
    last = max(window_end(p, today) for p in periods)
    held = Meeting.objects.filter(
        status=MeetingStatus.HELD, level__in=PanelLevel.values,
        starts_at__gte=local_midnight(first), starts_at__lt=local_midnight(last + ONE_DAY))
    meetings = [(pk, timezone.localtime(at).date(), level, nominal_id, agency_id, agency)
                for pk, at, level, nominal_id, agency_id, agency in held.order_by(
                    "starts_at", "id").values_list(
                    "id", "starts_at", "level", "nominal_id", "nominal__lead_agency_id",
                    "nominal__lead_agency__name")]
    decisions = dict(Minutes.objects.filter(
        meeting_id__in=Subquery(held.values("id")), status=MinutesStatus.FINAL,
        disclosure_considered=True).values_list("meeting_id", "disclosure_decision"))
    finals = set(Minutes.objects.filter(
        meeting_id__in=Subquery(held.values("id")), status=MinutesStatus.FINAL)
        .values_list("meeting_id", flat=True))
    results = []
    for period in periods:
        start, end = period.start, window_end(period, today)
        rows = []
        for pk, day, level, nominal_id, agency_id, agency in meetings:
            if not start <= day <= end:
                continue
            outcome = outcome_of(pk in finals, decisions.get(pk) or "")
            rows.append({"meeting_id": pk, "date": day.isoformat(), "level": level,
                         "nominal_id": nominal_id, "reference": f"J{nominal_id:06d}",
                         "agency_id": agency_id, "agency": agency or "", "outcome": outcome,
                         "outcome_label": OUTCOME_LABELS[outcome],
                         "met": outcome in MET})
        kpi = KPIS[3]
        results.append(Result(
            kpi=kpi, period=period, as_of=end, rows=rows, denominator=len(rows),
            numerator=sum(1 for row in rows if row["met"]),
            groups=group_rows(rows, "agency_id", "agency", "met", kpi.target),
            extra={outcome: sum(1 for row in rows if row["outcome"] == outcome)
                   for outcome in OUTCOME_LABELS}))
    return results


# outcome_of as a table the query joins: every decision the minutes may record, "" for none.
_DECISIONS = ["", *DisclosureDecision.values]


def outcomes_sql(only: str) -> str:
    """The CTEs of a query ending in `outcome`: each held level 2 or 3 meeting's outcome in
    each period, with its case and the case's lead agency. `only` restricts the cases, a
    condition on `{}`, their nominal's id."""
    return f"""
period AS ({PERIODS_SQL}),
rule AS (
    SELECT * FROM unnest(%(final)s::bool[], %(decision)s::text[], %(outcome)s::text[])
        AS rule(final, decision, outcome)
),
outcome AS (
    SELECT period.n, m.nominal_id, nominal.lead_agency_id,
           COALESCE(rule.outcome, %(otherwise)s) AS outcome
    FROM period
    JOIN {Meeting._meta.db_table} m ON m.starts_at >= {local_midnight_sql("period.first_day")}
         AND m.starts_at < {local_midnight_sql("period.last_day + 1")}
         AND m.starts_at >= {local_midnight_sql("%(first)s")}
         AND m.starts_at < {local_midnight_sql("%(last)s + 1")}
    JOIN {Nominal._meta.db_table} nominal ON nominal.id = m.nominal_id
    LEFT JOIN {Minutes._meta.db_table} final ON final.meeting_id = m.id
         AND final.status = %(final_status)s
    LEFT JOIN rule ON rule.final = (final.id IS NOT NULL) AND rule.decision = CASE
         WHEN final.disclosure_considered THEN COALESCE(final.disclosure_decision, '')
         ELSE '' END
    WHERE m.status = %(held)s AND m.level = ANY(%(levels)s) AND {only.format("m.nominal_id")}
)"""


def counted_sql(outcomes: str) -> str:
    """The counts of `outcomes` (n, lead_agency_id, outcome) by period, agency and outcome."""
    return f"""
SELECT counted.*, agency.name
FROM (SELECT n, lead_agency_id, outcome, COUNT(*) FROM {outcomes} GROUP BY 1, 2, 3) counted
LEFT JOIN {Agency._meta.db_table} agency ON agency.id = counted.lead_agency_id
"""


_FIGURES_SQL = f"WITH {outcomes_sql('TRUE')} {counted_sql('outcome')}"


def kpi3_params(periods: list[Period], today: date) -> dict:
    table = [(final, decision) for final in (False, True) for decision in _DECISIONS]
    params = period_params(periods, today)
    return {
        **params, "first": min(params["first_day"]), "last": max(params["last_day"]),
        "final": [f for f, _ in table],
        "decision": [d for _, d in table], "outcome": [outcome_of(*row) for row in table],
        "otherwise": outcome_of(True, "unknown"), "final_status": MinutesStatus.FINAL,
        "held": MeetingStatus.HELD, "levels": list(PanelLevel.values)}


def kpi3_figures(periods: list[Period], *, today: date | None = None) -> list[Result]:
    """KPI 3's figures for several periods, without the rows, in one query."""
    today = today or dates.today()
    return kpi3_results(fetch(_FIGURES_SQL, kpi3_params(periods, today)), periods, today)


def kpi3_results(counted: list[tuple], periods: list[Period], today: date) -> list[Result]:
    """KPI 3's figures of each period from the counts of counted_sql."""
    kpi = KPIS[3]
    merged: dict[tuple, dict] = {}
    for n, agency_id, outcome, count, name in counted:
        group = merged.setdefault((n, agency_id), {
            "n": n, "id": agency_id, "name": name or "", "numerator": 0, "denominator": 0,
            **{each: 0 for each in OUTCOME_LABELS}})
        group[outcome] += count
        group["denominator"] += count
        group["numerator"] += count if outcome in MET else 0
    results = []
    for period, found in zip(periods, groups_by_period(list(merged.values()), len(periods),
                                                       kpi.target), strict=True):
        # The outcomes are counted for the period, not shown by agency.
        extra = {outcome: sum(g.pop(outcome) for g in found) for outcome in OUTCOME_LABELS}
        results.append(Result(
            kpi=kpi, period=period, as_of=window_end(period, today), groups=found,
            numerator=sum(g["numerator"] for g in found),
            denominator=sum(g["denominator"] for g in found), extra=extra))
    return results
