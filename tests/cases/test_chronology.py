"""The case's chronology (contact log): who reads it, who adds to it, newest first a page at
a time, audited, and the same through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import ContactEntry, ContactKind, TeamRole
from cases.services import CONTACT_IN_FUTURE, contact_add, exclusion_add
from cases.views.chronology import CHRONOLOGY_PAGE
from jmappa.accounts.models import Role
from jmappa.audit.models import AuditEvent, Verb
from tests.factories import add_to_team, make_agency, make_nominal, make_user
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    coordinator = make_user(roles=[Role.COORDINATOR])
    probation = make_agency("Probation", kind="probation")
    alice = make_user(agency=probation)  # case manager
    bob = make_user(agency=make_agency())  # on the team
    carol = make_user(roles=[Role.ADMINISTRATOR], agency=probation)  # sees every case
    charlie = make_user(agency=make_agency())  # outside the case
    nominal = make_nominal(actor=coordinator, case_manager=alice)
    add_to_team(nominal, alice, TeamRole.CASE_MANAGER, actor=coordinator)
    add_to_team(nominal, bob, actor=coordinator)
    return {"coordinator": coordinator, "alice": alice, "bob": bob, "carol": carol,
            "charlie": charlie, "nominal": nominal}


def add(world, who="alice", *, hours_ago=1, kind=ContactKind.HOME_VISIT, summary="Seen."):
    return contact_add(nominal=world["nominal"], actor=world[who],
                       occurred_at=timezone.now() - timedelta(hours=hours_ago), kind=kind,
                       who="PC Le Brun, Police", summary=summary)


def page(nominal):
    return reverse("cases:chronology", args=[nominal.pk])


def add_page(nominal):
    return reverse("cases:contact_add", args=[nominal.pk])


# -- who adds ---------------------------------------------------------------------------------


def test_case_team_adds_to_the_chronology_and_the_trail_withholds_the_summary(world):
    entry = add(world, "bob", summary="Spoke about the new partner.")
    assert entry.recorded_by == world["bob"]
    event = AuditEvent.objects.get(object_type="cases.contactentry", object_id=str(entry.pk))
    assert event.action == Verb.CREATE and event.case_id == world["nominal"].pk
    assert "Spoke about" not in str(event.changes)


def test_coordinator_adds_to_the_chronology_without_being_on_the_team(world):
    assert add(world, "coordinator").pk


def test_reader_off_the_team_may_not_add_to_the_chronology(world):
    with pytest.raises(PermissionDenied):
        add(world, "carol")


def test_user_outside_the_case_may_not_add_to_the_chronology(world):
    with pytest.raises(PermissionDenied):
        add(world, "charlie")


def test_team_member_excluded_from_the_case_may_not_add(world):
    exclusion_add(nominal=world["nominal"], user=world["bob"], reason="Conflict of interest",
                  actor=world["coordinator"])
    with pytest.raises(PermissionDenied):
        add(world, "bob")


def test_contact_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        add(world, hours_ago=-2)
    assert refused.value.message_dict == {"occurred_at": [CONTACT_IN_FUTURE]}


# -- the page ---------------------------------------------------------------------------------


def test_chronology_is_newest_first_as_a_timeline(client, world):
    add(world, hours_ago=50, summary="The older contact.")
    add(world, hours_ago=2, summary="The newer contact.")
    sign_in(client, world["carol"])  # whoever reads the case reads its chronology
    body = client.get(page(world["nominal"])).content.decode()
    assert "moj-timeline" in body
    assert body.index("The newer contact.") < body.index("The older contact.")
    assert world["nominal"].reference in body.split("</title>")[0]
    assert world["nominal"].family_name not in body.split("</title>")[0]


def test_chronology_page_is_paginated_and_its_query_count_does_not_grow(client, world):
    sign_in(client, world["alice"])
    add(world)
    client.get(page(world["nominal"]))
    with CaptureQueriesContext(connection) as few:
        client.get(page(world["nominal"]))
    for hours in range(CHRONOLOGY_PAGE + 5):
        add(world, hours_ago=hours + 2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(page(world["nominal"]))
    assert len(response.context["entries"]) == CHRONOLOGY_PAGE
    assert response.context["page_obj"].paginator.num_pages == 2
    assert len(many) == len(few)


def test_reading_the_chronology_is_audited_with_the_entries_shown(client, world):
    entry = add(world)
    sign_in(client, world["bob"])
    client.get(page(world["nominal"]))
    listed = AuditEvent.objects.filter(action=Verb.LIST, object_type="cases.contactentry")
    assert listed.get().changes == {"ids": [entry.pk]}
    assert AuditEvent.objects.filter(action=Verb.VIEW, case_id=world["nominal"].pk,
                                     actor=world["bob"]).exists()


def test_user_outside_the_case_gets_404_on_the_chronology_and_its_form(client, world):
    sign_in(client, world["charlie"])
    assert client.get(page(world["nominal"])).status_code == 404
    assert client.get(add_page(world["nominal"])).status_code == 404
    answer = client.post(add_page(world["nominal"]), {"summary": "x"})
    assert answer.status_code == 404
    assert not ContactEntry.objects.exists()


def test_reader_off_the_team_is_refused_the_form_and_not_offered_it(client, world):
    sign_in(client, world["carol"])
    assert client.get(add_page(world["nominal"])).status_code == 403
    assert add_page(world["nominal"]) not in client.get(page(world["nominal"])).content.decode()


def _form(**overrides):
    today = timezone.localdate() - timedelta(days=1)
    data = {"on": today.isoformat(), "on_0": today.day, "on_1": today.month,
            "on_2": today.year, "at": "14:30", "kind": ContactKind.TELEPHONE,
            "who": "Hostel key worker", "summary": "Late back twice last week."}
    data.update(overrides)
    return data


def test_case_team_adds_an_entry_through_the_form(client, world):
    sign_in(client, world["alice"])
    answer = client.post(add_page(world["nominal"]), _form())
    assert answer.status_code == 302 and answer["Location"] == page(world["nominal"])
    entry = ContactEntry.objects.get()
    local = timezone.localtime(entry.occurred_at)
    assert (local.hour, local.minute) == (14, 30)
    assert entry.kind == ContactKind.TELEPHONE and entry.recorded_by == world["alice"]


def test_a_bad_time_is_explained_and_nothing_typed_is_lost(client, world):
    sign_in(client, world["alice"])
    answer = client.post(add_page(world["nominal"]), _form(at="half past two"))
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "Enter the time as hours and minutes, for example 14:30." in body
    assert "Late back twice last week." in body
    assert not ContactEntry.objects.exists()


# -- the API ----------------------------------------------------------------------------------


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_lists_the_entries_of_visible_cases_newest_first(world):
    older, newer = add(world, hours_ago=30), add(world, hours_ago=3)
    other = make_nominal(actor=world["coordinator"])
    add_to_team(other, world["charlie"], actor=world["coordinator"])
    hidden = contact_add(nominal=other, actor=world["charlie"], occurred_at=timezone.now(),
                         kind=ContactKind.OTHER, who="x", summary="y")
    answer = api(world["alice"]).get("/api/v1/contacts/", {"case": world["nominal"].pk})
    assert [row["id"] for row in answer.json()["results"]] == [newer.pk, older.pk]
    all_rows = api(world["alice"]).get("/api/v1/contacts/").json()["results"]
    assert hidden.pk not in [row["id"] for row in all_rows]


def test_api_answers_404_to_a_user_outside_the_case(world):
    entry = add(world)
    assert api(world["charlie"]).get(f"/api/v1/contacts/{entry.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action=Verb.DENY, object_type="cases.contactentry",
                                     actor=world["charlie"]).exists()


def test_api_read_of_an_entry_is_audited(world):
    entry = add(world)
    assert api(world["bob"]).get(f"/api/v1/contacts/{entry.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action=Verb.VIEW, object_type="cases.contactentry",
                                     object_id=str(entry.pk), actor=world["bob"]).exists()


def _body(world, **overrides):
    body = {"case": world["nominal"].pk, "occurred_at": timezone.now().isoformat(),
            "kind": ContactKind.OFFICE_VISIT, "who": "Case manager", "summary": "Reported."}
    body.update(overrides)
    return body


def test_api_case_team_adds_an_entry(world):
    answer = api(world["bob"]).post("/api/v1/contacts/", _body(world), format="json")
    assert answer.status_code == 201
    assert answer.json()["recorded_by"]["id"] == world["bob"].pk


def test_api_refuses_a_reader_off_the_team_and_a_case_outside(world):
    assert api(world["carol"]).post("/api/v1/contacts/", _body(world),
                                    format="json").status_code == 403
    outside = api(world["charlie"]).post("/api/v1/contacts/", _body(world), format="json")
    assert outside.status_code == 400 and "case" in outside.json()
    assert not ContactEntry.objects.exists()


def test_api_refuses_a_contact_in_the_future_with_a_field_error(world):
    ahead = (timezone.now() + timedelta(days=1)).isoformat()
    answer = api(world["alice"]).post("/api/v1/contacts/", _body(world, occurred_at=ahead),
                                      format="json")
    assert answer.status_code == 400
    assert answer.json() == {"occurred_at": [CONTACT_IN_FUTURE]}
