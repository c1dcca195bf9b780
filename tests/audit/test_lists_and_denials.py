"""Reading a list is audited like reading a record: one event per page (pages, CSV exports,
API lists) naming the ids it returned. A case object the user may not see answers 404, and
the attempt is recorded as a denied read."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from jmappa.audit.models import AuditEvent, Verb
from tests.factories import add_to_team, make_nominal
from tests.helpers import content

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "/cases/", "/cases/export.csv", "/cases/retention/", "/cases/deviations/", "/referrals/",
    "/referrals/screening/", "/meetings/", "/meetings/follow-ups/", "/meetings/panels/",
    "/actions/", "/alerts/", "/alerts/notifications/", "/audit/", "/agencies/", "/people/",
    "/people/tokens/", "/people/lockouts/",
]
API_LISTS = ["/api/v1/offenders/", "/api/v1/referrals/", "/api/v1/meetings/",
             "/api/v1/actions/", "/api/v1/alerts/", "/api/v1/agencies/"]


@pytest.fixture
def cases(coordinator, practitioner):
    seen = make_nominal(actor=coordinator, family_name="Seen")
    add_to_team(seen, practitioner, actor=coordinator)
    hidden = make_nominal(actor=coordinator, family_name="Hidden")
    return seen, hidden


def new_events(since: int, action: str):
    return list(AuditEvent.objects.filter(pk__gt=since, action=action).order_by("pk"))


def last_pk() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("path", LIST_PAGES + API_LISTS)
def test_every_list_page_export_and_api_list_writes_one_list_event(
        path, coordinator, coordinator_client):
    client = api_client(coordinator) if path.startswith("/api/") else coordinator_client
    since = last_pk()
    response = client.get(path)
    content(response)
    assert response.status_code == 200
    # An export's one event is the export itself, naming what it exported.
    events = new_events(since, Verb.EXPORT if path.endswith(".csv") else Verb.LIST)
    assert len(events) == 1, path
    assert events[0].actor == coordinator
    assert isinstance(events[0].changes["ids"], list)


def test_the_case_list_names_the_ids_it_shows_and_no_other(cases, practitioner,
                                                          practitioner_client):
    seen, hidden = cases
    since = last_pk()
    practitioner_client.get(reverse("cases:list"), {"status": "all"})
    [event] = new_events(since, Verb.LIST)
    assert (event.object_type, event.changes["ids"]) == ("cases.nominal", [seen.pk])
    assert "status=all" in event.detail


def test_the_api_offender_list_names_the_ids_it_returns(cases, coordinator):
    since = last_pk()
    answer = api_client(coordinator).get("/api/v1/offenders/", {"status": "all"})
    returned = [row["id"] for row in answer.json()["results"]]
    [event] = new_events(since, Verb.LIST)
    assert event.object_type == "cases.nominal"
    assert sorted(event.changes["ids"]) == sorted(returned) and set(returned) >= {
        case.pk for case in cases}


def test_the_case_export_names_every_case_exported(cases, practitioner, practitioner_client):
    seen, _ = cases
    since = last_pk()
    content(practitioner_client.get(reverse("cases:export")))
    [event] = new_events(since, Verb.EXPORT)
    assert not new_events(since, Verb.LIST)
    assert event.changes["ids"] == [seen.pk]


def test_a_case_page_the_user_may_not_see_is_recorded_as_a_denied_read(
        cases, practitioner, practitioner_client):
    _, hidden = cases
    since = last_pk()
    assert practitioner_client.get(reverse("cases:detail", args=[hidden.pk])).status_code == 404
    [event] = new_events(since, Verb.DENY)
    assert (event.actor, event.object_type, event.object_id) == (
        practitioner, "cases.nominal", str(hidden.pk))
    assert event.object_repr == ""  # nothing of the case is copied


def test_an_api_read_of_a_case_the_user_may_not_see_is_recorded_as_a_denied_read(
        cases, practitioner):
    _, hidden = cases
    since = last_pk()
    client = api_client(practitioner)
    assert client.get(f"/api/v1/offenders/{hidden.pk}/").status_code == 404
    assert client.patch(f"/api/v1/offenders/{hidden.pk}/", {}, format="json").status_code == 404
    events = new_events(since, Verb.DENY)
    assert [(e.actor, e.object_type, e.object_id, e.case_id) for e in events] == [
        (practitioner, "cases.nominal", str(hidden.pk), hidden.pk)] * 2
    assert not new_events(since, Verb.VIEW)


def test_a_case_the_user_sees_is_read_without_a_denial(cases, practitioner,
                                                       practitioner_client):
    seen, _ = cases
    since = last_pk()
    assert practitioner_client.get(reverse("cases:detail", args=[seen.pk])).status_code == 200
    assert not new_events(since, Verb.DENY)


def test_a_case_asked_by_a_page_outside_the_mixin_is_recorded_as_a_denied_read_too(
        cases, practitioner, practitioner_client):
    _, hidden = cases
    since = last_pk()
    assert practitioner_client.get(reverse("alerts:case", args=[hidden.pk])).status_code == 404
    [event] = new_events(since, Verb.DENY)
    assert (event.actor, event.object_type, event.object_id, event.case_id) == (
        practitioner, "cases.nominal", str(hidden.pk), hidden.pk)
    assert not new_events(since, Verb.LIST)


def test_the_coordinator_reads_no_denial_about_a_case_hidden_from_them(
        cases, coordinator, practitioner, practitioner_client):
    from cases.services import exclusion_add
    from jmappa.audit.selectors import audit_events
    from tests.factories import make_user

    _, hidden = cases
    exclusion_add(nominal=hidden, user=coordinator, reason="Knows the family",
                  actor=make_user(roles=["coordinator"]))
    since = last_pk()
    practitioner_client.get(reverse("cases:detail", args=[hidden.pk]))
    [event] = new_events(since, Verb.DENY)
    assert not audit_events(user=coordinator).filter(pk=event.pk).exists()
