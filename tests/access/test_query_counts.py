"""Every list, page and API, answers in a number of queries that does not grow with its rows,
and no more than it does today.

Each list is read on the demo data (N rows), then again once every row it lists has been
copied twice, with the parts that belong to it (3N rows). The count must be the same, and at
most the pinned one: a new query per row, or a new query at all, shows here first. Every
route without kwargs is either a list pinned here or named as not a list, so that a new
list cannot ship unpinned.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.helpers import (
    content,
    demo,  # noqa: F401 (the fixture, used by name)
    model,
    persona,
    sign_in,
    site_routes,
)

pytestmark = pytest.mark.django_db

# List route: (the model of its rows, {persona: the most queries it may take}). Each
# counts the insert of the page's own audit event (one per list page, naming the ids shown),
# and, where nothing else on the page read it first, the reader's agency it records; and
# django-otp's look-up of the session's verified second factor.
LISTS = {
    "/cases/": ("Nominal", {"coordinator": 13, "police.inspector": 14}),
    "/cases/export.csv": ("Nominal", {"coordinator": 10, "police.inspector": 11}),
    "/cases/retention/": ("Nominal", {"coordinator": 12}),
    "/cases/deviations/": ("Deviation", {"coordinator": 12, "police.inspector": 13}),
    "/api/v1/offenders/": ("Nominal", {"coordinator": 14, "police.inspector": 15}),
    "/referrals/": ("Referral", {"coordinator": 13, "police.inspector": 14}),
    "/referrals/screening/": ("Referral", {"coordinator": 13}),
    "/api/v1/referrals/": ("Referral", {"coordinator": 13, "police.inspector": 14}),
    "/meetings/": ("Meeting", {"coordinator": 12, "police.inspector": 13}),
    "/meetings/follow-ups/": ("Meeting", {"coordinator": 11}),
    "/meetings/panels/": ("PanelDate", {"coordinator": 11}),
    "/meetings/panels/day/": ("Meeting", {"coordinator": 14}),
    "/api/v1/meetings/": ("Meeting", {"coordinator": 12, "police.inspector": 13}),
    "/home-visits/": ("Nominal", {"coordinator": 12, "police.inspector": 13}),
    "/actions/": ("PlanAction", {"coordinator": 14, "police.inspector": 16}),
    "/api/v1/actions/": ("PlanAction", {"coordinator": 11, "police.inspector": 12}),
    "/alerts/": ("Alert", {"coordinator": 15, "police.inspector": 16}),
    "/alerts/notifications/": ("Alert", {"coordinator": 12, "police.inspector": 14}),
    "/api/v1/alerts/": ("Alert", {"coordinator": 10, "police.inspector": 11}),
    "/api/v1/contacts/": ("ContactEntry", {"coordinator": 10, "police.inspector": 11}),
    "/api/v1/documents/": ("Document", {"coordinator": 10, "police.inspector": 11}),
    # The changes in words: the people and agencies they name, one query each.
    "/audit/": ("AuditEvent", {"coordinator": 15}),
    "/audit/export.csv": ("AuditEvent", {"coordinator": 9}),
    "/agencies/": ("Agency", {"coordinator": 12}),
    "/people/": ("User", {"coordinator": 13, "admin.officer": 12}),
    "/people/tokens/": ("ApiToken", {"coordinator": 12}),
    "/people/lockouts/": ("AccessAttempt", {"coordinator": 12}),
    "/api/v1/agencies/": ("Agency", {"coordinator": 10}),
    "/minutes-requests/": ("MinutesRequest", {"coordinator": 14}),
    "/api/v1/minutes-requests/": ("MinutesRequest", {"coordinator": 10}),
    "/api/v1/disclosures/": ("Disclosure", {"coordinator": 10}),
    "/api/v1/support-meetings/": ("SupportMeeting", {"coordinator": 11,
                                                      "probation.officer": 12}),
    "/api/v1/support-people/": ("SupportPerson", {"coordinator": 10, "probation.officer": 11}),
    "/api/v1/safety-plans/": ("SafetyPlan", {"coordinator": 10, "probation.officer": 11}),
    "/api/v1/services-plans/": ("ServicesPlan", {"coordinator": 14,
                                                  "probation.officer": 15}),
    "/api/v1/sentences/": ("Sentence", {"coordinator": 10, "probation.officer": 11}),
    "/api/v1/custody-events/": ("CustodyEvent", {"coordinator": 10, "probation.officer": 11}),
    "/api/v1/breaches/": ("Breach", {"coordinator": 10, "probation.officer": 11}),
    "/api/v1/planning-meetings/": ("PlanningMeeting", {"coordinator": 10,
                                                        "probation.officer": 11}),
    "/api/v1/team-actions/": ("TeamAction", {"coordinator": 10, "probation.officer": 11}),
    # The catalogue of interventions; packages with their interventions and review points,
    # prefetched.
    "/interventions/": ("Intervention", {"coordinator": 10, "probation.officer": 10}),
    "/api/v1/interventions/": ("Intervention", {"coordinator": 10, "probation.officer": 10}),
    "/api/v1/intervention-packages/": ("InterventionPackage", {"coordinator": 15,
                                                                "probation.officer": 16}),
    "/api/v1/package-interventions/": ("PackageIntervention", {"coordinator": 10,
                                                                "probation.officer": 11}),
    "/api/v1/review-points/": ("ReviewPoint", {"coordinator": 10, "probation.officer": 11}),
    # The panel: its members, meetings, providers and systemic issues, a query each.
    "/panel/": ("SystemicIssue", {"coordinator": 14}),
    "/kpi/board/": ("SmbMeeting", {"coordinator": 13, "smb.member": 12}),
    "/kpi/governance/": ("GovernanceDocument", {"coordinator": 10, "smb.member": 10}),
}
# Routes without kwargs that list nothing that grows: forms, the home page's panels (a
# few of each), the user themself, the API root, schema and docs, signing in, health, admin.
NOT_LISTS = ["/", "/cases/new/", "/referrals/new/", "/meetings/panels/new/", "/api/v1/me/",
             "/api/v1/", "/api/schema/", "/api/docs/", "/agencies/new/", "/people/new/",
             "/kpi/", "/api/v1/kpis/", "/manage/", "/kpi/board/chair/",
             "/kpi/board-meetings/new/", "/kpi/governance/new/", "/kpi/audits/new/",
             # One audit a quarter, its sample read with the audits (prefetched).
             "/kpi/audits/",
             # Escalations to the Board: a few a year, read in one query.
             "/kpi/escalations/",
             # One annual report a year, and the form that starts one.
             "/kpi/annual-reports/", "/kpi/annual-reports/new/",
             "/panel/members/new/", "/panel/meetings/new/", "/providers/new/",
             "/systemic-issues/new/", "/interventions/new/"]
NOT_LISTS_PREFIXES = ("/accounts/", "/healthz", "/admin/")
MOST_COPIED = 60  # rows of a model copied at most (the audit trail has thousands)


def _a_token_and_a_lock_out() -> None:
    """The demo issues no API token and locks nobody out: one of each to list and copy."""
    now = datetime.datetime.now(datetime.UTC)
    model("ApiToken").objects.create(user=persona("police.inspector"), prefix="abcdefgh",
                                     digest="listed", expires_at=now + datetime.timedelta(1))
    model("AccessAttempt").objects.create(
        username="probation.officer", ip_address="192.0.2.1", user_agent="", http_accept="",
        path_info="/accounts/login/", get_data="", post_data="", failures_since_start=5,
        attempt_time=now)


# Lists that show a part of their rows unless asked for all: read with every row shown.
EVERY_ROW = {"/home-visits/": "?due=all&whose=all"}


# Lists whose rows the demo does not hold: made before the list is first read.
NOT_IN_THE_DEMO = {"/people/tokens/": _a_token_and_a_lock_out,
                   "/people/lockouts/": _a_token_and_a_lock_out}


def copy_row(obj, n: int, **parent):
    """A copy of `obj` (under `parent` if given), its unique values made new: text suffixed,
    dates moved by `n` days, numbers by 1000 `n`."""
    obj.pk = None
    obj._state.adding = True
    for field, value in parent.items():
        setattr(obj, field, value)
    unique = {f for c in obj._meta.constraints if isinstance(c, models.UniqueConstraint)
              for f in c.fields}
    # Text fields unique together (django-axes' lock-outs) are made new like unique ones.
    together = {f for fields in obj._meta.unique_together for f in fields
                if isinstance(obj._meta.get_field(f), models.CharField | models.TextField)}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if ((field.unique or field.name in together) and not field.primary_key
                and isinstance(value, str)):
            setattr(obj, field.attname, f"{value} ({n})"[: field.max_length])
        elif field.name in unique and isinstance(value, datetime.date):
            setattr(obj, field.attname, value + datetime.timedelta(days=n))
        elif (field.name in unique and not field.is_relation and isinstance(value, int)
              and not isinstance(value, bool)):  # a number within its parent (a version)
            setattr(obj, field.attname, value + 1000 * n)
    obj.save()
    return obj


def copy_with_parts(obj, n: int):
    """A copy of `obj` and of the rows that are part of it (deleted with it: CASCADE)."""
    original = type(obj).objects.get(pk=obj.pk)
    copy = copy_row(obj, n)
    for relation in original._meta.related_objects:
        if relation.on_delete is not models.CASCADE or relation.many_to_many:
            continue
        for part in relation.related_model._base_manager.filter(
                **{relation.field.name: original}):
            try:
                with transaction.atomic():
                    copy_row(part, n, **{relation.field.name: copy})
            except IntegrityError:
                pass  # a part that cannot be doubled (one per person...) stays single
    return copy


def triple(name: str) -> None:
    """N rows become 3N: every row (at most MOST_COPIED) copied twice with its parts."""
    rows = list(model(name).objects.order_by("-pk")[:MOST_COPIED])
    assert rows, f"the demo has no {name} to copy"
    for n in (1, 2):
        for row in rows:
            copy_with_parts(type(row).objects.get(pk=row.pk), n)


def measure(client, url) -> tuple[int, int]:
    """(queries, size of the answer)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body = content(response)
    assert response.status_code == 200, (url, response.status_code)
    paginator = response.context.get("paginator") if response.context else None
    if response.get("Content-Type", "").startswith("application/json"):
        size = json.loads(body).get("count", len(body))
    elif paginator is not None:
        # A paginated page shows as many rows either way: its count says they are listed.
        size = paginator.count
    else:
        size = len(body)
    return len(queries.captured_queries), size


def clients_for(path: str, names) -> dict:
    clients = {}
    for name in names:
        client = APIClient() if path.startswith("/api/") else Client()
        sign_in(client, persona(name))
        client.get(path)  # first use: the session, caches
        clients[name] = client
    return clients


def test_every_route_without_kwargs_is_a_pinned_list_or_named_as_not_one():
    plain = {r.path for r in site_routes() if not r.kwargs
             and not r.path.startswith(NOT_LISTS_PREFIXES)}
    assert plain - set(LISTS) - set(NOT_LISTS) == set(), "pin the new list in LISTS"
    assert (set(LISTS) | set(NOT_LISTS)) - plain == set(), "no longer a route"


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("path", LISTS)
def test_list_queries_do_not_grow_with_rows(path):
    name, pinned = LISTS[path]
    if path in NOT_IN_THE_DEMO:
        NOT_IN_THE_DEMO[path]()
    url = path + EVERY_ROW.get(path, "")
    clients = clients_for(url, pinned)
    few = {who: measure(client, url) for who, client in clients.items()}
    triple(name)
    many = {who: measure(client, url) for who, client in clients.items()}
    for who in clients:
        assert many[who][1] > few[who][1], f"{who}: the copies are not listed"
    queries = {who: (few[who][0], many[who][0]) for who in clients}
    # The same count with 3N rows as with N, and no more than pinned (lower it when a
    # change saves queries).
    assert all(n == three_n for n, three_n in queries.values()), queries
    assert all(n <= pinned[who] for who, (n, _) in queries.items()), (queries, pinned)
