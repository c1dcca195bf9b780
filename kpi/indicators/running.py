"""The running quarter's KPIs 1, 2, 3 and 5 (the dashboard, the home pages), counted from each
case's rows as last measured: its outcome at each level (RunningReview), its held meetings'
outcomes (RunningDisclosure) and the agencies' places at them (RunningPlace).

The rows are of the quarter and the day that RunningStamp names. A change to what the KPIs
read of a case (its level history, status, deviations, meetings, their minutes, invitations
and attendance, its lead agency) marks the case stale in the database itself (StaleCase, by
the triggers of kpi migration 0007), whatever made it; each reading measures again the cases
marked since, by the same definitions as the figures of any other period (`judged_sql`,
`outcomes_sql`, `places_sql`), and on a new day or in a new quarter every case. Each KPI's
rows are replaced and its figures counted in one statement, which sees its table as it was
before: the rows kept, and those measured again.

Four queries in one transaction, however many cases: the stamp, then one per table.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from ..models import RunningDisclosure, RunningPlace, RunningReview, RunningStamp, StaleCase
from ..periods import Period
from . import attendance, disclosure, reviews
from .base import Result, fetch

# Whether a case is measured again: on a new day, or marked stale.
_AGAIN = "(%(full)s OR {} = ANY(%(stale)s::bigint[]))"


def _running_sql(model, columns: list[str], ctes: str, source: str, counted) -> str:
    table, kept = model._meta.db_table, ", ".join(columns)
    return f"""
WITH gone AS (DELETE FROM {table} kept WHERE {_AGAIN.format("kept.nominal_id")}),
{ctes},
fresh AS (INSERT INTO {table} ({kept}) SELECT {kept} FROM {source} RETURNING {kept}),
running AS (
    SELECT 0 AS n, {kept} FROM {table} kept WHERE NOT {_AGAIN.format("kept.nominal_id")}
    UNION ALL
    SELECT 0, {kept} FROM fresh
)
{counted("running")}"""


_REVIEWS_SQL = _running_sql(
    RunningReview, ["nominal_id", "level", "lead_agency_id", "met", "deviation"],
    reviews.judged_sql(_AGAIN), "judged", reviews.counted_sql)
_DISCLOSURE_SQL = _running_sql(
    RunningDisclosure, ["nominal_id", "lead_agency_id", "outcome"],
    disclosure.outcomes_sql(_AGAIN), "outcome", disclosure.counted_sql)
_PLACES_SQL = _running_sql(
    RunningPlace, ["nominal_id", "agency_id", "rank", "first"],
    attendance.places_sql(_AGAIN), "place", attendance.counted_sql)

# The quarter and the day the rows are of, now `today`'s: whether they were already, and the
# cases marked stale since the last reading. Its lock keeps one reading at a time; the
# statements after it see the rows another reading committed while it waited.
_STAMP_SQL = f"""
WITH before AS MATERIALIZED (
    SELECT period, as_of FROM {RunningStamp._meta.db_table} WHERE id = 1 FOR UPDATE
),
stamp AS (
    INSERT INTO {RunningStamp._meta.db_table} (id, period, as_of)
    SELECT 1, %(code)s, %(today)s WHERE (SELECT COUNT(*) FROM before) >= 0
    ON CONFLICT (id) DO UPDATE SET period = EXCLUDED.period, as_of = EXCLUDED.as_of
),
stale AS (
    DELETE FROM {StaleCase._meta.db_table} WHERE (SELECT COUNT(*) FROM before) >= 0
    RETURNING nominal_id
)
SELECT COALESCE((SELECT period = %(code)s AND as_of = %(today)s FROM before), FALSE),
       ARRAY(SELECT nominal_id FROM stale)
"""


def is_running(periods: list[Period], today: date) -> bool:
    """The periods are the running quarter alone."""
    return periods == [Period.quarter_of(today)]


def measure(period: Period, today: date) -> dict[int, list[Result]]:
    """KPIs 1, 2, 3 and 5 of the running quarter `period`, as `measure_all` answers them."""
    periods = [period]
    with transaction.atomic(savepoint=False):
        [(current, stale)] = fetch(_STAMP_SQL, {"code": period.code, "today": today})
        again = {"full": not current, "stale": stale}
        found = reviews.review_results(fetch(_REVIEWS_SQL, {
            **reviews.review_params(periods, today, list(reviews.LEVELS.values())),
            **again}), periods, today, (1, 2))
        found[3] = disclosure.kpi3_results(fetch(_DISCLOSURE_SQL, {
            **disclosure.kpi3_params(periods, today), **again}), periods, today)
        found[5] = attendance.kpi5_results(fetch(_PLACES_SQL, {
            **attendance.kpi5_params(periods, today), **again}), periods, today)
    return found
