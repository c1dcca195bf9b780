"""What the case list benchmark measures (bench_access): the page's query as the selectors
build it, the generic guardian path, the raw SQL it is compared with, and the EXPLAIN of each."""

from __future__ import annotations

import math
import re
from unittest import mock

import guardian.shortcuts
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext
from guardian.models import UserObjectPermission

from cases.models import (
    Exclusion,
    NamedAccess,
    Nominal,
    NominalUserObjectPermission,
    Status,
)
from cases.selectors import nominal_list
from jmappa.accounts.models import Agency, User

PAGE_SIZE = 50


# The case list's default (cases.filters.NominalFilterForm): active cases, sorted by name.
PAGE_FILTERS = {"status": Status.ACTIVE.value}


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 50 runs: the 48th fastest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def first_page_and_count(queryset) -> tuple[list[int], int]:
    rows = list(queryset[:PAGE_SIZE])
    return [row.pk for row in rows], queryset.count()


def the_list(user):
    """The case list as the page and the API show it by default."""
    return nominal_list(user, filters=dict(PAGE_FILTERS))


def guardian_queryset(user, *, generic: bool):
    """guardian's get_objects_for_user (with `generic`, on its generic table), narrowed and
    ordered as the case list: exclusions, restriction, default filter, select_related."""
    arguments = {"klass": Nominal, "use_groups": False, "with_superuser": False,
                 "accept_global_perms": False}
    if generic:
        with mock.patch.object(guardian.shortcuts, "get_user_obj_perms_model",
                               lambda _model: UserObjectPermission):
            queryset = guardian.shortcuts.get_objects_for_user(user, "cases.view_nominal",
                                                               **arguments)
    else:
        queryset = guardian.shortcuts.get_objects_for_user(user, "cases.view_nominal",
                                                           **arguments)
    return queryset.exclude(
        Exists(Exclusion.objects.filter(nominal=OuterRef("pk"), user=user))
    ).filter(
        Q(restricted=False) | Exists(NamedAccess.objects.filter(nominal=OuterRef("pk"), user=user))
    ).filter(**PAGE_FILTERS).select_related("lead_agency", "case_manager").order_by(
        *the_list(user).query.order_by)


class RawSQL:
    """The hand-written SQL for the list's rows: the team check as one EXISTS on the
    permission table's unique index, the same exclusion and restriction tests, the page's
    default filter; ORDER BY is the selector's own, compiled, so that the rows come in the
    same order."""

    def __init__(self, connection, user, *, view_permission: int, with_permission: bool):
        nominal = connection.ops.quote_name(Nominal._meta.db_table)
        where, params = [], []
        if with_permission:
            where.append(
                f"EXISTS (SELECT 1 FROM {NominalUserObjectPermission._meta.db_table} p "
                f"WHERE p.content_object_id = {nominal}.id AND p.user_id = %s "
                "AND p.permission_id = %s)")
            params += [user.pk, view_permission]
        where.append(f"NOT EXISTS (SELECT 1 FROM {Exclusion._meta.db_table} e "
                     f"WHERE e.nominal_id = {nominal}.id AND e.user_id = %s)")
        where.append(f"(NOT {nominal}.restricted OR EXISTS (SELECT 1 FROM "
                     f"{NamedAccess._meta.db_table} na WHERE na.nominal_id = {nominal}.id "
                     "AND na.user_id = %s))")
        params += [user.pk, user.pk]
        for name, value in PAGE_FILTERS.items():
            where.append(f"{nominal}.{connection.ops.quote_name(name)} = %s")
            params.append(str(value))
        where_sql = " AND ".join(where)
        compiler = the_list(user).query.get_compiler(connection=connection)
        _extra, order_by, _group = compiler.pre_sql_setup()
        order_sql = ", ".join(sql for _expr, (sql, _params, _ref) in order_by)
        order_params = [p for _expr, (_sql, params_, _ref) in order_by for p in params_]
        self.page = (
            f"SELECT {nominal}.*, a.*, u.* FROM {nominal} "
            f"LEFT JOIN {Agency._meta.db_table} a ON a.id = {nominal}.lead_agency_id "
            f"LEFT JOIN {User._meta.db_table} u ON u.id = {nominal}.case_manager_id "
            f"WHERE {where_sql} ORDER BY {order_sql} LIMIT {PAGE_SIZE}"
        )
        self.page_params = params + order_params
        self.count = f"SELECT count(*) FROM {nominal} WHERE {where_sql}"
        self.count_params = params
        self.connection = connection

    def __call__(self) -> tuple[list[int], int]:
        with self.connection.cursor() as cursor:
            cursor.execute(self.page, self.page_params)
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(self.count, self.count_params)
            return ids, cursor.fetchone()[0]

    def shown(self) -> str:
        compose = self.connection.ops.compose_sql
        return (compose(self.page, self.page_params) + "\n      then: "
                + compose(self.count, self.count_params))


def explain(connection, sql: str, params=()) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def sql_of(connection, fn) -> list[str]:
    """The SQL statements `fn` runs, as sent."""
    with CaptureQueriesContext(connection) as captured:
        fn()
    return [query["sql"] for query in captured.captured_queries]


def plan_findings(plan: str, permission_index: str) -> list[str]:
    """What the plan does with the permission table and the nominals, in words."""
    table = NominalUserObjectPermission._meta.db_table
    lines = plan.splitlines()
    findings = []
    estimate = re.search(r"\(cost=[\d.]+\.\.([\d.]+) rows=(\d+).*?actual time=.*?rows=(\d+)",
                         lines[0])
    if estimate:
        findings.append(f"Top node: estimated cost {float(estimate.group(1)):,.0f}.")
    if re.search(rf"Seq Scan on {table}\b", plan):
        findings.append(f"POOR: sequential scan of {table}.")
    elif permission_index in plan:
        findings.append(f"{table} is read only through its unique index "
                        f"(user_id, permission_id, content_object_id): {permission_index}.")
    if re.search(r"Semi Join|Nested Loop", plan) and "Index Scan using cases_nominal_pkey" in plan:
        findings.append("The team check is a join: the user's permission rows are read first, "
                        "then their nominals by primary key.")
    for i, line in enumerate(lines):
        scan = re.search(r"(Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan)"
                         r"( using (\S+))? on cases_nominal\b.*?rows=(\d+) width=\d+\)"
                         r".*?rows=(\d+) loops", line)
        if not scan or (scan.group(3) or "").endswith("pkey"):
            continue
        removed = next((m for later in lines[i + 1:i + 6]
                        if (m := re.search(r"Rows Removed by Filter: (\d+)", later))), None)
        findings.append(
            f"cases_nominal: {scan.group(1)}{scan.group(2) or ''}, the access filter tested on "
            f"{int(scan.group(5)) + (int(removed.group(1)) if removed else 0):,} rows to keep "
            f"{int(scan.group(5)):,} (the planner expected {int(scan.group(4)):,}).")
    team_subplan = re.search(rf"SubPlan (\d+)\n(?:.*\n){{0,8}}?.*{table}", plan)
    if team_subplan:
        hashed = f"hashed SubPlan {team_subplan.group(1)}" in plan
        findings.append("The team test (EXISTS ... OR EXISTS ...) is a "
                        + ("hashed subplan: run once, then probed for every nominal row read."
                           if hashed else "subplan run for every nominal row read."))
    jit = re.search(r"JIT:.*?Total ([\d.]+) ms", plan, re.S)
    if jit:
        findings.append(f"JIT compilation: {jit.group(1)} ms (the estimated cost is above "
                        "jit_above_cost).")
    total = re.search(r"Execution Time: ([\d.]+) ms", plan)
    if total:
        findings.append(f"Execution time {total.group(1)} ms.")
    return findings
