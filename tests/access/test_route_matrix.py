"""Every route of the site, present and future, tried by every demo persona.

The routes are read from the URL resolver, the API's methods from its OpenAPI schema; an URL
kwarg is filled with what the path segment before it names ("cases/<pk>" is a case,
"plan/<action_pk>" an action of that case). The rule held, from the need-to-know rule of
the Guidance (§4.2):
- a case the persona may not see, and everything under it, answers 404 on every route, to
  reads and to changes alike, and appears in no list, export or page;
- whoever sees a case reaches its pages;
- an anonymous visitor is sent to sign in (pages) or refused (API);
- the admin site (superusers only) shows no persona a record of a case they may not see.
A route whose kwargs cannot be classified fails `test_every_route_is_classified`: a new
route must be named here before it ships.

The persona's outside case is one it does not see in the demo (preferred), or one of the
cases every persona is excluded from here (`sealed`): the demo has no case hidden from the
Co-ordinator, and not every persona has a hidden case with meetings, minutes and so on.
"""

from __future__ import annotations

import json
import re
from functools import cached_property

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tests.helpers import (
    PERSONAS,
    api_schema,
    content,
    model,
    persona,
    seed_world,
    shape,
    sign_in,
    site_routes,
)

pytestmark = pytest.mark.django_db

# Routes with no object and no case data: signing in and out, passwords (Django's own
# views), the health probe, and the admin site (superusers only, jmappa/accounts/sites.py;
# its models that hold case data are tried by the admin test below).
EXEMPT = ("/accounts/", "/healthz", "/admin/")

# What an URL kwarg names, by the path segment just before it.
CASE_KINDS = {
    "cases": "case", "case": "case", "offenders": "case",
    "team": "member", "transfers": "transfer", "plan": "action", "actions": "action",
    "meetings": "meeting", "version": "minutes", "invitations": "invitation",
    "follow-ups": "follow_up", "alerts": "alert", "referrals": "referral",
    "referral": "referral", "documents": "document", "contacts": "contact",
    "disclosures": "disclosure", "minutes-requests": "minutes_request",
    "worship": "worship", "worship-breaches": "breach",
    "support-planning": "support_planning", "support-people": "support_person",
    "network-sendings": "network_sending", "support-consents": "network_consent",
    "support-meetings": "support_meeting", "safety-plans": "safety_plan",
    "offending-disclosed": "disclosed_offending",
    "services-plans": "services_plan", "planned-services": "planned_service",
    "service-updates": "update_request", "oversight-notices": "oversight_notice",
    "sentences": "sentence", "custody-events": "custody_event", "breaches": "custody_breach",
    "joined-up-team": "joined_up_member", "planning-meetings": "planning_meeting",
    "team-actions": "team_action", "my-plans": "my_plan",
    "intervention-packages": "intervention_package",
    "package-interventions": "package_intervention", "review-points": "review_point",
}
# Each kind: its model, and the lookup from it to its case.
KIND_MODELS = {
    "case": ("Nominal", "pk"), "member": ("TeamMember", "nominal"),
    "transfer": ("Transfer", "nominal"), "action": ("PlanAction", "nominal"),
    "meeting": ("Meeting", "nominal"), "minutes": ("Minutes", "meeting__nominal"),
    "invitation": ("Invitation", "meeting__nominal"),
    "follow_up": ("FollowUp", "meeting__nominal"), "alert": ("Alert", "nominal"),
    "referral": ("Referral", "nominal"), "document": ("Document", "nominal"),
    "contact": ("ContactEntry", "nominal"),
    "disclosure": ("Disclosure", "nominal"),
    "minutes_request": ("MinutesRequest", "nominal"),
    "worship": ("WorshipArrangement", "nominal"), "breach": ("ContractBreach", "nominal"),
    "support_planning": ("SupportPlanning", "nominal"),
    "support_person": ("SupportPerson", "nominal"),
    "network_sending": ("NetworkSending", "nominal"),
    "network_consent": ("NetworkConsent", "nominal"),
    "support_meeting": ("SupportMeeting", "nominal"), "safety_plan": ("SafetyPlan", "nominal"),
    "disclosed_offending": ("DisclosedOffending", "nominal"),
    "services_plan": ("ServicesPlan", "nominal"),
    "planned_service": ("PlannedService", "plan__nominal"),
    "update_request": ("UpdateRequest", "nominal"),
    "oversight_notice": ("OversightNotice", "nominal"),
    "sentence": ("Sentence", "nominal"), "custody_event": ("CustodyEvent", "nominal"),
    "custody_breach": ("Breach", "nominal"), "joined_up_member": ("JoinedUpMember", "nominal"),
    "planning_meeting": ("PlanningMeeting", "nominal"), "team_action": ("TeamAction", "nominal"),
    "my_plan": ("MyPlan", "nominal"),
    "intervention_package": ("InterventionPackage", "nominal"),
    "package_intervention": ("PackageIntervention", "package__nominal"),
    "review_point": ("ReviewPoint", "nominal"),
}
# Objects that are not case data: the agency directory, panel dates, standing membership,
# the people, their API tokens and lock-outs.
OTHER_KINDS = {"agencies": "agency", "panels": "panel", "standing": "level",
               "people": "person", "tokens": "token", "lockouts": "lockout",
               "kpi": "period", "figures": "figure", "seats": "seat",
               "board-meetings": "board_meeting", "governance": "governance_document",
               "audits": "case_audit", "audited-cases": "audited_case",
               "escalations": "escalation", "board-actions": "board_action",
               "annual-reports": "report_year", "annual-report-sections": "annual_section",
               "panel-meetings": "panel_meeting", "providers": "provider",
               "systemic-issues": "systemic_issue", "interventions": "intervention"}

# The pages of a case that whoever sees the case reads.
READ_ROUTES = ["/cases/{pk}/", "/cases/{pk}/risk/", "/cases/{pk}/team/",
               "/meetings/case/{pk}/", "/cases/{pk}/plan/summary/", "/cases/{pk}/history/",
               "/cases/{pk}/chronology/", "/cases/{pk}/documents/",
               "/cases/{pk}/plan/", "/cases/{pk}/plan/{action_pk}/",
               "/alerts/case/{pk}/", "/meetings/{pk}/", "/referrals/{pk}/",
               "/api/v1/offenders/{pk}/", "/api/v1/meetings/{pk}/", "/api/v1/actions/{pk}/",
               "/api/v1/alerts/{pk}/", "/api/v1/referrals/{pk}/"]
# Case routes that answer 404 on a case the user sees when the thing is not there.
NOT_ALWAYS_THERE = ["/cases/{pk}/photo/", "/support-consents/{pk}/file/"]
# API paths that are not operations of the schema: the browsable root, the schema and docs.
NOT_IN_SCHEMA = ["/api/v1/", "/api/schema/", "/api/docs/"]
UNSAFE = ["post", "put", "patch", "delete"]
# The rows behind a KPI's figure, and the case audit's sample: case references by
# access.kpi_reference_ids.
KPI_ROWS = ("/kpi/{period}/figures/", "/kpi/audits/", "/kpi/audited-cases/")
NOWHERE = 10**9  # an id nothing has


def kinds(route) -> dict[str, str | None]:
    """{kwarg: kind} of the route; None for a kwarg whose kind is unknown."""
    segments = route.path.strip("/").split("/")
    found = {}
    for before, segment in zip(segments, segments[1:], strict=False):
        if segment.startswith("{"):
            kind = CASE_KINDS.get(before) or OTHER_KINDS.get(before)
            found[segment.strip("{}")] = kind
    return found


ROUTES = [r for r in site_routes() if not r.path.startswith(EXEMPT)]
CASE_ROUTES = [r for r in ROUTES if set(kinds(r).values()) & set(KIND_MODELS)]
OTHER_ROUTES = [r for r in ROUTES if r not in CASE_ROUTES]
SCHEMA = api_schema()
SCHEMA_METHODS = {shape(path): {m for m in ops if m in UNSAFE + ["get"]}
                  for path, ops in SCHEMA["paths"].items()}


# -- the world ------------------------------------------------------------------------------


class World:
    """The seeded demo, the personas' clients, and the objects to fill routes with."""

    def __init__(self):
        nominals = model("Nominal").objects
        self.cases = list(nominals.order_by("pk").values_list("pk", flat=True))
        self.sealed = self.seal()
        self.spread()
        self.users = {name: persona(name) for name in PERSONAS}
        self.visible = {name: set(nominals.visible_to(user).values_list("pk", flat=True))
                        for name, user in self.users.items()}
        referrals = model("Referral").objects
        # What betrays a hidden case or referral on a page: its reference.
        self.hidden_refs = {
            name: [n.reference for n in nominals.exclude(pk__in=self.visible[name])]
            + [r.reference for r in referrals.exclude(pk__in=referrals.visible_to(user))]
            for name, user in self.users.items()}
        self.web, self.api = {}, {}
        for name, user in self.users.items():
            self.web[name] = Client()
            sign_in(self.web[name], user)
            self.api[name] = APIClient()
            self.api[name].force_authenticate(user)
        self.absent = {}

    def seal(self) -> list[int]:
        """Exclude every persona from the fewest demo cases holding every kind of object."""
        holds = {pk: {kind for kind, (name, to_case) in KIND_MODELS.items()
                      if model(name).objects.filter(**{to_case: pk}).exists()}
                 for pk in self.cases}
        missing, sealed = set(KIND_MODELS), []
        while missing:
            best = max(self.cases, key=lambda pk: (len(holds[pk] & missing), -pk))
            assert holds[best] & missing, f"no demo case holds {missing}"
            sealed.append(best)
            missing -= holds[best]
        coordinator = persona("coordinator")
        for pk in sealed:
            for name in PERSONAS:
                model("Exclusion").objects.create(
                    nominal_id=pk, user=persona(name), recorded_by=coordinator,
                    reason="Sealed by the route matrix")
        return sealed

    def spread(self) -> None:
        """Every kind of object also under a case nobody is excluded from (a copy where the
        demo has it under a sealed case only), so that the inside of each route is tried."""
        open_cases = [pk for pk in self.cases if pk not in self.sealed]
        for kind, (name, to_case) in KIND_MODELS.items():
            objects = model(name).objects
            if kind == "case" or objects.filter(**{f"{to_case}__in": open_cases}).exists():
                continue
            parent = to_case.split("__")[0]
            parents = objects.model._meta.get_field(parent).related_model.objects
            lookup = "pk__in" if parents.model is model("Nominal") else "nominal__in"
            copy = objects.order_by("pk").first()
            copy.pk = None
            setattr(copy, parent, parents.filter(**{lookup: open_cases}).order_by("pk").first())
            copy.save()

    def client(self, name, route):
        return (self.api if route.is_api else self.web)[name]

    def kpi_references(self, name) -> set[str]:
        from jmappa import access

        nominal = model("Nominal")
        return {nominal(pk=pk).reference for pk in access.kpi_reference_ids(
            self.users[name], self.cases)}

    def leaks(self, name, answer) -> list:
        """The hidden cases and referrals the answer shows `name`: by reference, and in the
        API's JSON by a case id too."""
        body = content(answer)
        shown = [ref for ref in self.hidden_refs[name] if ref in body]
        if answer.get("Content-Type", "").startswith("application/json"):
            hidden = set(self.cases) - self.visible[name]
            shown += sorted(case_ids(json.loads(body)) & hidden)
        return shown

    def fill(self, route, case: int, name: str, *, outside: bool) -> dict | None:
        """The route's kwargs filled with `case` and objects under it, every one of them
        hidden from `name` (outside) or seen by them; None if the case has no such ones."""
        user, values, chosen = self.users[name], {}, {}
        wanted = kinds(route)
        for kwarg, kind in wanted.items():
            if kind in OTHER_KINDS.values():
                values[kwarg] = self.sample(kind)
                continue
            name_, to_case = KIND_MODELS[kind]
            objects = model(name_).objects.filter(**{to_case: case}).order_by("pk")
            if kind == "meeting" and "minutes" in wanted.values():
                objects = objects.filter(minutes__isnull=False).distinct()
            if kind == "minutes":
                objects = objects.filter(meeting=chosen["meeting"])
            if hasattr(objects, "visible_to"):
                seen = objects.visible_to(user).values("pk")
                objects = objects.exclude(pk__in=seen) if outside else objects.filter(
                    pk__in=seen)
            found = objects.first()
            if found is None:
                return None
            chosen[kind] = found
            values[kwarg] = found.number if kind == "minutes" else found.pk
        return values

    def outside(self, route, name) -> dict:
        """Kwargs from a case `name` may not see: a natural one first, else a sealed one."""
        hidden = [pk for pk in self.cases if pk not in self.visible[name]]
        hidden.sort(key=lambda pk: pk in self.sealed)
        for pk in hidden:
            values = self.fill(route, pk, name, outside=True)
            if values is not None:
                return values
        raise AssertionError(f"no object hidden from {name} to fill {route}")

    def inside(self, route, name) -> dict | None:
        for pk in sorted(self.visible[name]):
            values = self.fill(route, pk, name, outside=False)
            if values is not None:
                return values
        return None

    @cached_property
    def samples(self) -> dict:
        panels = model("PanelDate").objects
        return {
            "agency": model("Agency").objects.order_by("pk").first().pk,
            # The panel with the most meetings, whose page might list their cases.
            "panel": max(panels.all(), key=lambda p: (p.meetings.count(), -p.pk)).pk,
            "level": panels.order_by("pk").first().level,
            "person": persona("coordinator").pk,
            # The Board's figures: this quarter, KPI 1.
            "period": f"{timezone.localdate():%Y}-Q{(timezone.localdate().month - 1) // 3 + 1}",
            "figure": 1,
            "seat": model("SmbSeat").objects.order_by("pk").first().pk,
            "board_meeting": model("SmbMeeting").objects.order_by("pk").first().pk,
            "governance_document": model("GovernanceDocument").objects.order_by("pk")
            .first().pk,
            "case_audit": model("CaseAudit").objects.order_by("pk").first().pk,
            "audited_case": model("AuditedCase").objects.order_by("pk").first().pk,
            "board_action": model("SmbAction").objects.order_by("pk").first().pk,
            # Non-attendance escalated to the Board: an agency and a meeting, never a case.
            "escalation": model("FollowUp").objects.filter(escalated_on__isnull=False)
            .order_by("pk").first().pk,
            # The annual report: aggregates and anonymised text, never a case.
            "report_year": model("AnnualReport").objects.order_by("pk").first().year,
            "annual_section": model("AnnualReportSection").objects.order_by("pk").first().pk,
            # The multi-agency panel's meetings, providers and log: no case.
            "panel_meeting": model("PanelMeeting").objects.order_by("pk").first().pk,
            "provider": model("Provider").objects.order_by("pk").first().pk,
            "systemic_issue": model("SystemicIssue").objects.order_by("pk").first().pk,
            # The catalogue of interventions: no case.
            "intervention": model("Intervention").objects.order_by("pk").first().pk,
            # The demo issues no token and locks nobody out: an id answers as well.
            "token": getattr(model("ApiToken").objects.order_by("pk").first(), "pk", NOWHERE),
            "lockout": getattr(model("AccessAttempt").objects.order_by("pk").first(), "pk",
                               NOWHERE),
        }

    def sample(self, kind):
        return self.samples[kind]

    def method_absent(self, route, method) -> bool:
        """Whether the route has no such method at all: the answer (405) for an object that
        does not exist either, so answering it says nothing of the object."""
        if route.is_api:
            return method not in SCHEMA_METHODS.get(shape(route.path), set())
        key = (route.path, method)
        if key not in self.absent:
            nowhere = {kwarg: NOWHERE for kwarg in route.kwargs}
            answer = getattr(self.web["coordinator"], method)(route.url(nowhere))
            self.absent[key] = answer.status_code == 405
        return self.absent[key]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        seed_world()
        yield World()
        transaction.set_rollback(True)


def case_ids(data) -> set[int]:
    """The case ids in an API answer: under a case key, or as a subject that is a case."""
    found = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("case", "nominal", "case_id", "nominal_id") and isinstance(value, int):
                found.add(value)
        if str(data.get("type", "")).endswith(".nominal") and isinstance(data.get("id"), int):
            found.add(data["id"])
        data = list(data.values())
    if isinstance(data, list):
        for item in data:
            found |= case_ids(item)
    return found


def send(client, method, url, route):
    if route.is_api:
        return getattr(client, method)(url, {}, format="json")
    return getattr(client, method)(url, {}) if method != "get" else client.get(url)


# -- the routes are all known ---------------------------------------------------------------


def test_every_route_is_classified():
    unknown = [f"{route} ({route.name}): {kwarg}" for route in ROUTES
               for kwarg, kind in kinds(route).items() if kind is None]
    assert not unknown, (
        "Routes whose URL kwargs the matrix cannot fill: name what the segment before "
        "each names in CASE_KINDS or OTHER_KINDS of tests/access/test_route_matrix.py")


def test_the_routes_named_here_are_still_routes():
    paths = {route.path for route in ROUTES}
    named = set(READ_ROUTES) | set(NOT_ALWAYS_THERE)
    assert named - paths == set()


def test_every_api_route_is_an_operation_of_the_schema_and_back():
    routes = {shape(r.path) for r in ROUTES if r.is_api} - set(NOT_IN_SCHEMA)
    assert routes == set(SCHEMA_METHODS)


def test_the_matrix_covers_every_kind_of_case_object_and_every_persona(world):
    covered = {kind for route in CASE_ROUTES for kind in kinds(route).values()}
    assert covered == set(KIND_MODELS)
    assert len(CASE_ROUTES) >= 60 and len(OTHER_ROUTES) >= 20
    assert all(world.hidden_refs[name] for name in PERSONAS)


# -- outside the case: 404 ------------------------------------------------------------------


@pytest.mark.parametrize("route", CASE_ROUTES, ids=str)
def test_reading_anything_of_a_case_the_persona_may_not_see_answers_404(world, route):
    want = 405 if world.method_absent(route, "get") else 404
    wrong = {}
    for name in PERSONAS:
        url = route.url(world.outside(route, name))
        status = world.client(name, route).get(url).status_code
        if status != want:
            wrong[name] = (url, status)
    assert not wrong, f"want {want}"


@pytest.mark.parametrize("route", CASE_ROUTES, ids=str)
def test_changing_anything_of_a_case_the_persona_may_not_see_answers_404(world, route):
    # The API: every unsafe method (404 where the schema offers it, else 405); a page: an
    # empty form post, CSRF not enforced so that the view itself answers.
    methods = UNSAFE if route.is_api else ["post"]
    wrong = {}
    for name in PERSONAS:
        url = route.url(world.outside(route, name))
        for method in methods:
            want = 405 if world.method_absent(route, method) else 404
            status = send(world.client(name, route), method, url, route).status_code
            if status != want:
                wrong[(name, method)] = (url, status, f"want {want}")
    assert not wrong


REFERRAL_ROUTES = [r for r in CASE_ROUTES if set(kinds(r).values()) == {"referral"}]


@pytest.mark.parametrize("route", REFERRAL_ROUTES, ids=str)
def test_a_referral_with_no_case_yet_answers_404_to_whoever_may_not_see_it(world, route):
    # A draft is its referrer's (and their SPOC's) alone; a referral not yet linked to a
    # case is the Co-ordinator's and its agency's (access.py, referrals).
    referrals = model("Referral").objects.filter(nominal__isnull=True)
    want = 405 if world.method_absent(route, "get") else 404
    wrong, tried = {}, 0
    for name, user in world.users.items():
        hidden = referrals.exclude(pk__in=referrals.visible_to(user)).order_by("pk").first()
        if hidden is None:
            continue
        tried += 1
        url = route.url(dict.fromkeys(route.kwargs, hidden.pk))
        status = world.client(name, route).get(url).status_code
        if status != want:
            wrong[name] = (url, status)
    assert tried >= 3
    assert not wrong, f"want {want}"


# -- inside the case: reached -------------------------------------------------------------


@pytest.mark.parametrize("route", [r for r in CASE_ROUTES if r.path not in NOT_ALWAYS_THERE],
                         ids=str)
def test_the_coordinator_finds_everything_of_a_case_they_see(world, route):
    # Found: shown (200), redirected, refused for a reason other than the case (403: only
    # the referrer edits their referral), or a form's POST-only step (405); never 404.
    values = world.inside(route, "coordinator")
    assert values is not None, "the demo has no such object on a case the Co-ordinator sees"
    answer = world.client("coordinator", route).get(route.url(values))
    assert answer.status_code in (200, 302, 403, 405), route.url(values)


WEB_CASE_ROUTES = [r for r in CASE_ROUTES if not r.is_api and r.path not in NOT_ALWAYS_THERE]


@pytest.mark.parametrize("route", WEB_CASE_ROUTES, ids=str)
def test_no_page_title_names_the_offender(world, route):
    # The title is kept in the browser's history and tabs: a case page is named by the
    # case's reference, never by the offender's name (as emails do).
    values = world.inside(route, "coordinator")
    answer = world.client("coordinator", route).get(route.url(values))
    if answer.status_code != 200 or not answer["Content-Type"].startswith("text/html"):
        return
    title = re.search(r"<title>(.*?)</title>", content(answer), re.S).group(1)
    names = model("Nominal").objects.values_list("given_names", "family_name")
    named = [f"{given} {family}" for given, family in names
             if family in title or given.split()[0] in title]
    assert not named, (route.url(values), title)


@pytest.mark.parametrize("path", READ_ROUTES)
def test_whoever_sees_a_case_reads_its_pages(world, path):
    route = next(r for r in CASE_ROUTES if r.path == path)
    got, tried = {}, 0
    for name in PERSONAS:
        values = world.inside(route, name)
        if values is not None:
            tried += 1
            got[name] = world.client(name, route).get(route.url(values)).status_code
    assert tried >= 2
    assert got == dict.fromkeys(got, 200)


# -- lists, exports and other pages: no hidden case -------------------------------------------


@pytest.mark.parametrize("route", OTHER_ROUTES, ids=str)
def test_no_list_or_page_shows_a_case_the_persona_may_not_see(world, route):
    # The audit trail and its export too: the Co-ordinator reads no event of a record
    # hidden from them (a case they are excluded from, another agency's draft referral).
    values = {kwarg: world.sample(kind) for kwarg, kind in kinds(route).items()}
    url, leaks = route.url(values), {}
    for name in PERSONAS:
        client = world.client(name, route)
        answers = [client.get(url)]
        # Lists that filter by status show the archived and closed too where asked.
        every = client.get(url, {"status": "all"})
        if every.status_code == 200:
            answers.append(every)
        for answer in answers:
            assert answer.status_code < 500, (name, url)
            shown = world.leaks(name, answer)
            if shown and route.path.startswith(KPI_ROWS):
                # The rows behind a KPI and the audit's sample name cases by reference, also
                # to an SMB member as such, but never one kept from the persona
                # (access.kpi_reference_ids).
                shown = [ref for ref in shown if ref not in world.kpi_references(name)]
            if shown:
                leaks[name] = shown
    assert not leaks, url


# -- anonymous: sign in first ---------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_an_anonymous_visitor_is_sent_to_sign_in(world, route):
    values = (world.outside(route, "smb.member") if route in CASE_ROUTES
              else {kwarg: world.sample(kind) for kwarg, kind in kinds(route).items()})
    answer = (APIClient() if route.is_api else Client()).get(route.url(values))
    if route.is_api:
        assert answer.status_code in (401, 403)
    else:
        assert answer.status_code == 302
        assert answer["Location"].startswith(resolve_url(settings.LOGIN_URL))


# -- the admin site: no record of a hidden case --------------------------------------------

# The admin site answers to superusers only, so no persona reads a record there.
@pytest.mark.parametrize("name", PERSONAS)
def test_the_admin_site_shows_no_record_of_a_case_the_persona_may_not_see(world, name):
    # Every model the admin registers that records a case (by `nominal` or `case_id`).
    from django.contrib import admin
    from django.urls import reverse

    hidden = set(world.cases) - world.visible[name]
    shown, tried = [], 0
    for registered in admin.site._registry:
        fields = {f.attname for f in registered._meta.concrete_fields}
        to_case = next((f for f in ("nominal_id", "case_id") if f in fields), None)
        if to_case is None:
            continue
        record = registered._default_manager.filter(**{f"{to_case}__in": hidden}).first()
        if record is None:
            continue
        tried += 1
        opts = registered._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        if world.web[name].get(url).status_code == 200:
            shown.append(url)
    assert tried
    assert not shown
