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
        measured = measure_all(live, today=today, numbers=numbers, with_rows=with_rows)
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
    measured = measure_all([period], today=today, with_rows=False)
    return {"period": period, "results": [measured[number][0] for number in MEASURED]}


# -- the Board (§15.2, §15.3) ------------------------------------------------------------------


def board_seats(today: date) -> list[dict]:
    """Each seat with who holds it today (None if empty), in the Board's order."""
    from .models import SmbMembership, SmbSeat

    holding = {m.seat_id: m for m in SmbMembership.objects.on(today).select_related(
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
    from .models import SmbMembership

    return SmbMembership.objects.on(day).select_related(
        "seat", "member", "member__agency").order_by("seat__position", "seat__name")


# -- the case audit (§15.4, §16.1) -------------------------------------------------------------


def audit_population(period: Period, today: date) -> dict[int, dict]:
    """The cases managed at level 2 or 3 in `period`, by case id: their level and whether
    their reviews were in time, from the same rule code as KPIs 1 and 2 (level 3 first)."""
    from .indicators import kpi1_level3_reviews, kpi2_level2_reviews

    found: dict[int, dict] = {}
    for measure in (kpi2_level2_reviews, kpi1_level3_reviews):
        for row in measure(period, today=today).rows:
            found[row["nominal_id"]] = {"level": row["level"], "reviews_met": row["met"]}
    return found


def audit_suggestions(period: Period, today: date, population: dict[int, dict],
                      nominal_ids: list[int]) -> dict[int, dict[str, str]]:
    """What the records say for each sampled case, per checklist item ("yes", "no", or
    absent where the records cannot say): the scorer confirms or corrects it."""
    from django.db.models import Q

    from plans.models import ActionStatus, ActionType, PlanAction

    from .indicators import kpi3_disclosure_recorded
    from .indicators.base import window_end

    end = window_end(period, today)
    disclosure: dict[int, list[bool]] = {}
    for row in kpi3_disclosure_recorded(period, today=today).rows:
        disclosure.setdefault(row["nominal_id"], []).append(row["met"])
    # The plan as it stood at the quarter's end: added by then, or agreed at a meeting by then.
    actions = PlanAction.objects.filter(nominal_id__in=nominal_ids).filter(
        Q(created_at__date__lte=end) | Q(meeting__starts_at__date__lte=end))
    planned = {(nominal_id, kind) for nominal_id, kind in actions.filter(
        action_type__in=[ActionType.VICTIM_PROTECTION, ActionType.CONTINGENCY],
        due_date__isnull=False).values_list("nominal_id", "action_type")}
    late = set(actions.filter(due_date__lt=end).filter(
        Q(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
        | Q(completed_on__gt=end)).values_list("nominal_id", flat=True))
    suggested = {}
    for nominal_id in nominal_ids:
        says = {"reviews_in_time": "yes" if population[nominal_id]["reviews_met"] else "no",
                "plan_victim_contingency": "yes" if {
                    (nominal_id, ActionType.VICTIM_PROTECTION),
                    (nominal_id, ActionType.CONTINGENCY)} <= planned else "no",
                "actions_done": "no" if nominal_id in late else "yes"}
        if nominal_id in disclosure:
            says["disclosure_considered"] = "yes" if all(disclosure[nominal_id]) else "no"
        suggested[nominal_id] = says
    return suggested


def audit_results(audit) -> dict:
    """A quarter's audit in figures: cases scored, how many defensible, and per item the
    share answered yes of those it applies to."""
    from .models import AUDIT_CHECKLIST

    cases = list(audit.cases.all())
    scored = [case for case in cases if case.scored_at]
    items = []
    for item, question, where in AUDIT_CHECKLIST:
        applies = [case for case in scored if case.answers.get(item) in ("yes", "no")]
        yes = sum(1 for case in applies if case.answers[item] == "yes")
        items.append({"item": item, "question": question, "where": where, "yes": yes,
                      "of": len(applies),
                      "percent": round(100 * yes / len(applies)) if applies else None})
    defensible = sum(1 for case in scored if case.defensible)
    return {"sampled": len(cases), "scored": len(scored), "defensible": defensible,
            "percent": round(100 * defensible / len(scored)) if scored else None,
            "items": items}


def escalations():
    """Non-attendance escalated to the Board (§10.10), open first: by agency, meeting date and
    level, never the case."""
    from meetings.models import FollowUp

    return (FollowUp.objects.filter(escalated_on__isnull=False)
            .select_related("agency", "meeting", "escalated_by")
            .order_by("-board_closed_on", "escalated_on", "id")
            .only("agency__name", "meeting__starts_at", "meeting__kind", "escalated_on",
                  "escalated_by__first_name", "escalated_by__last_name",
                  "escalated_by__username", "outcome", "board_outcome", "board_closed_on"))
