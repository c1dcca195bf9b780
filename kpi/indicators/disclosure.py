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

Three queries: the held meetings, their final minutes, and the decisions these record.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Subquery
from django.utils import timezone

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
from .base import KPIS, Result, group_rows, window_end

RECORDED, DEFERRED, NO_DECISION, NO_FINAL_MINUTES = (
    "recorded", "deferred", "no_decision", "no_final_minutes")
OUTCOME_LABELS = {RECORDED: "Decision recorded", DEFERRED: "Decision deferred",
                  NO_DECISION: "No decision in the final minutes",
                  NO_FINAL_MINUTES: "No final minutes"}


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
            decision = decisions.get(pk) or ""
            if pk not in finals:
                outcome = NO_FINAL_MINUTES
            elif decision == DisclosureDecision.DEFER:
                outcome = DEFERRED
            elif decision in (DisclosureDecision.DISCLOSE, DisclosureDecision.NOT_DISCLOSE):
                outcome = RECORDED
            else:
                outcome = NO_DECISION
            rows.append({"meeting_id": pk, "date": day.isoformat(), "level": level,
                         "nominal_id": nominal_id, "reference": f"J{nominal_id:06d}",
                         "agency_id": agency_id, "agency": agency or "", "outcome": outcome,
                         "outcome_label": OUTCOME_LABELS[outcome],
                         "met": outcome in (RECORDED, DEFERRED)})
        kpi = KPIS[3]
        results.append(Result(
            kpi=kpi, period=period, as_of=end, rows=rows, denominator=len(rows),
            numerator=sum(1 for row in rows if row["met"]),
            groups=group_rows(rows, "agency_id", "agency", "met", kpi.target),
            extra={outcome: sum(1 for row in rows if row["outcome"] == outcome)
                   for outcome in OUTCOME_LABELS}))
    return results
