"""The partner-agency API on the Risk Management Plan's actions: /api/v1/actions/
(plans/api.py)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import Level, TeamRole
from jmappa.accounts.services import api_token_issue
from jmappa.audit.models import AuditEvent, Verb
from plans.models import ActionProgress, ActionStatus, ActionType, PlanAction
from plans.services import action_add, action_progress_log
from tests.factories import add_to_team, make_nominal, make_user

pytestmark = pytest.mark.django_db

LIST = "/api/v1/actions/"


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user, actor=None)}")
    return client


def detail(action):
    return f"{LIST}{action.pk}/"


def listed(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def today():
    return timezone.localdate()


def add_action(nominal, *, actor, agency, owner=None, due_in=28,
               action_type=ActionType.EXTERNAL_CONTROL, description="Weekly reporting"):
    return action_add(nominal=nominal, actor=actor, description=description,
                      action_type=action_type, owner_agency=agency, owner=owner,
                      due_date=today() + timedelta(days=due_in))


@pytest.fixture
def nominal(coordinator, practitioner):
    """Bob's case (he is its case manager); Charlie is not on it."""
    return make_nominal(actor=coordinator, case_manager=practitioner, level=Level.TWO,
                        level_reason="Accepted at level 2")


@pytest.fixture
def bobs(nominal, coordinator, practitioner, police):
    """An action Bob is named on, due in four weeks."""
    return add_action(nominal, actor=coordinator, agency=police, owner=practitioner,
                      description="Weekly reporting at Rouge Bouillon")


@pytest.fixture
def overdue(nominal, coordinator, police):
    """A police action with no named owner, due a week ago."""
    return add_action(nominal, actor=coordinator, agency=police, due_in=-7,
                      action_type=ActionType.VICTIM_PROTECTION,
                      description="Fit a panic alarm at the former partner's home")


@pytest.fixture
def housings(nominal, coordinator, housing):
    """An action owned by Housing."""
    return add_action(nominal, actor=coordinator, agency=housing,
                      action_type=ActionType.CONTINGENCY,
                      description="Emergency accommodation away from St Brelade")


# -- reading -----------------------------------------------------------------------------------


def test_an_action_answers_what_who_when_its_status_and_progress(
        practitioner, nominal, bobs, police):
    action_progress_log(action=bobs, actor=practitioner, on=today(), note="First report made.",
                        status=ActionStatus.IN_PROGRESS)
    response = api(practitioner).get(detail(bobs))
    assert response.status_code == 200, response.content
    body = response.json()
    assert response["ETag"] == f'"{body["version"]}"'
    assert body["id"] == bobs.pk
    assert body["case"] == nominal.pk and body["case_reference"] == nominal.reference
    assert body["meeting"] is None
    assert body["description"] == "Weekly reporting at Rouge Bouillon"
    assert body["action_type"] == "external_control"
    assert body["owner_agency"] == {"id": police.pk, "name": police.name}
    assert body["owner"] == {"id": practitioner.pk, "name": "Bob Practitioner"}
    assert body["due_date"] == (today() + timedelta(days=28)).isoformat()
    assert body["plan_reference"] == ""
    assert (body["status"], body["overdue"], body["completed_on"]) == (
        "in_progress", False, None)
    assert body["version"] == 2
    [entry] = body["progress"]
    assert (entry["on"], entry["note"], entry["status"], entry["recorded_by"]) == (
        today().isoformat(), "First report made.", "in_progress",
        {"id": practitioner.pk, "name": "Bob Practitioner"})


def test_reading_an_action_is_audited_against_its_case(practitioner, bobs):
    api(practitioner).get(detail(bobs))
    event = AuditEvent.objects.filter(action=Verb.VIEW, object_type="plans.planaction").get()
    assert (event.object_id, event.case_id) == (str(bobs.pk), bobs.nominal_id)


def test_an_action_still_to_do_after_its_completion_date_is_overdue(coordinator, bobs,
                                                                    overdue):
    rows = {row["id"]: row for row in api(coordinator).get(LIST).json()["results"]}
    assert rows[overdue.pk]["overdue"] is True
    assert rows[bobs.pk]["overdue"] is False


def test_someone_not_on_the_case_gets_404_and_no_rows(outsider, bobs, housings):
    client = api(outsider)
    assert client.get(detail(bobs)).status_code == 404
    # Even an action of their own agency: they are not on the case.
    assert client.get(detail(housings)).status_code == 404
    response = client.patch(detail(housings), {"version": housings.version,
                                               "progress_note": "Done.", "status": "done"},
                            format="json")
    assert response.status_code == 404
    assert listed(client.get(LIST)) == set()
    assert listed(client.get(LIST, {"owner_agency": housings.owner_agency_id})) == set()
    assert not ActionProgress.objects.exists()


# -- the list ----------------------------------------------------------------------------------


def test_the_list_filters_by_case_owner_agency_owner_status_and_overdue(
        coordinator, practitioner, nominal, bobs, overdue, housings, police, housing):
    other_case = make_nominal(actor=coordinator, case_manager=coordinator)
    elsewhere = add_action(other_case, actor=coordinator, agency=police, due_in=3)
    action_progress_log(action=housings, actor=coordinator, on=today(), note="Found a flat.",
                        status=ActionStatus.DONE)
    client = api(coordinator)
    body = client.get(LIST).json()
    assert [row["id"] for row in body["results"]] == [
        overdue.pk, elsewhere.pk, bobs.pk, housings.pk]
    assert listed(client.get(LIST, {"case": nominal.pk})) == {bobs.pk, overdue.pk,
                                                              housings.pk}
    assert listed(client.get(LIST, {"owner_agency": housing.pk})) == {housings.pk}
    assert listed(client.get(LIST, {"owner_agency": police.pk, "case": nominal.pk})) == {
        bobs.pk, overdue.pk}
    assert listed(client.get(LIST, {"owner": practitioner.pk})) == {bobs.pk}
    assert listed(client.get(LIST, {"status": "done"})) == {housings.pk}
    assert listed(client.get(LIST, {"status": "open"})) == {bobs.pk, overdue.pk,
                                                            elsewhere.pk}
    assert listed(client.get(LIST, {"overdue": "true"})) == {overdue.pk}
    assert listed(client.get(LIST, {"overdue": "false"})) == {bobs.pk, housings.pk,
                                                              elsewhere.pk}


def test_a_done_action_past_its_date_is_not_overdue(coordinator, overdue):
    action_progress_log(action=overdue, actor=coordinator, on=today(), note="Alarm fitted.",
                        status=ActionStatus.DONE)
    client = api(coordinator)
    assert listed(client.get(LIST, {"overdue": "true"})) == set()
    assert client.get(detail(overdue)).json()["overdue"] is False


def test_a_partner_lists_only_the_actions_of_cases_they_are_on(coordinator, practitioner,
                                                               bobs, police):
    other_case = make_nominal(actor=coordinator, case_manager=coordinator)
    elsewhere = add_action(other_case, actor=coordinator, agency=police)
    assert listed(api(practitioner).get(LIST)) == {bobs.pk}
    assert listed(api(practitioner).get(LIST, {"owner_agency": police.pk})) == {bobs.pk}
    assert api(practitioner).get(detail(elsewhere)).status_code == 404


@pytest.mark.parametrize("params, field", [
    ({"overdue": "perhaps"}, "overdue"),
    ({"status": "finished"}, "status"),
    ({"owner_agency": "police"}, "owner_agency"),
    ({"owner_agency": "999999"}, "owner_agency"),
    ({"owner": "bob"}, "owner"),
    ({"case": "J000001"}, "case"),
    ({"case": "999999"}, "case"),
])
def test_a_bad_filter_answers_400_with_field_errors(practitioner, bobs, params, field):
    response = api(practitioner).get(LIST, params)
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_an_owner_filter_never_says_whether_the_user_exists(practitioner, bobs):
    # Nobody by that id, and a colleague who owns nothing: the same answer, an empty list.
    colleague = make_user(roles=[])
    for owner in (999999, colleague.pk):
        response = api(practitioner).get(LIST, {"owner": owner})
        assert response.status_code == 200, response.content
        assert response.json()["results"] == []
        assert "no user" not in response.content.decode()


def test_filtering_by_a_case_one_may_not_see_reads_as_no_such_case(outsider, bobs):
    response = api(outsider).get(LIST, {"case": bobs.nominal_id})
    assert response.status_code == 400
    assert "none of them has id" in response.json()["case"][0]


def test_list_query_count_does_not_grow_with_actions(coordinator, practitioner, police,
                                                     housing):
    clients = {"coordinator": api(coordinator), "owner": api(practitioner)}
    for client in clients.values():
        client.get(LIST)  # the token's first use is recorded once
    nominals = [make_nominal(actor=coordinator, case_manager=practitioner) for _ in range(2)]

    def add_actions(count):
        for n in range(count):
            action = add_action(nominals[n % 2], actor=coordinator,
                                agency=police if n % 3 else housing,
                                owner=practitioner if n % 3 else None, due_in=n - 3)
            action_progress_log(action=action, actor=coordinator, on=today(),
                                note=f"Entry {n}", status=ActionStatus.IN_PROGRESS)

    def count_queries(client):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.json()["results"])

    add_actions(2)
    few = {name: count_queries(client) for name, client in clients.items()}
    add_actions(8)
    many = {name: count_queries(client) for name, client in clients.items()}
    assert {name: rows for name, (_, rows) in few.items()} == dict.fromkeys(clients, 2)
    assert {name: rows for name, (_, rows) in many.items()} == dict.fromkeys(clients, 10)
    assert {name: queries for name, (queries, _) in many.items()} == {
        name: queries for name, (queries, _) in few.items()}


# -- progress ----------------------------------------------------------------------------------


def test_the_owner_logs_progress_which_changes_the_status_and_records_the_entry(
        practitioner, bobs):
    on = today() - timedelta(days=1)
    response = api(practitioner).patch(detail(bobs), {
        "version": bobs.version, "status": "in_progress",
        "progress_note": "Reported on Monday as agreed.", "progress_on": on.isoformat(),
    }, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["version"]) == ("in_progress", bobs.version + 1)
    assert response["ETag"] == f'"{bobs.version + 1}"'
    assert body["progress"][0]["note"] == "Reported on Monday as agreed."
    entry = ActionProgress.objects.get()
    assert (entry.action_id, entry.on, entry.status, entry.recorded_by_id) == (
        bobs.pk, on, ActionStatus.IN_PROGRESS, practitioner.pk)
    stored = PlanAction.objects.get(pk=bobs.pk)
    assert (stored.status, stored.version) == (ActionStatus.IN_PROGRESS, bobs.version + 1)
    assert AuditEvent.objects.filter(action=Verb.CREATE,
                                     object_type="plans.actionprogress").exists()


def test_done_records_the_completion_date_and_the_date_defaults_to_today(practitioner, bobs):
    response = api(practitioner).patch(detail(bobs), {
        "progress_note": "Reporting condition met in full.", "status": "done",
    }, format="json", HTTP_IF_MATCH=f'"{bobs.version}"')
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["completed_on"]) == (
        "done", today().isoformat())
    assert ActionProgress.objects.get().on == today()


def test_anyone_of_the_owning_agency_logs_progress_without_changing_the_status(
        practitioner, overdue):
    response = api(practitioner).patch(detail(overdue), {
        "version": overdue.version, "progress_note": "Installer booked for Friday."},
        format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "open"
    assert ActionProgress.objects.get().status == ActionStatus.OPEN


def test_progress_without_the_version_answers_428(practitioner, bobs):
    response = api(practitioner).patch(detail(bobs), {
        "status": "done", "progress_note": "Done."}, format="json")
    assert response.status_code == 428
    assert not ActionProgress.objects.exists()
    assert PlanAction.objects.get(pk=bobs.pk).status == ActionStatus.OPEN


def test_a_stale_version_answers_412_and_records_nothing(practitioner, coordinator, bobs):
    action_progress_log(action=bobs, actor=coordinator, on=today(), note="Alice's entry.",
                        status=ActionStatus.IN_PROGRESS, version=bobs.version)
    response = api(practitioner).patch(detail(bobs), {
        "version": bobs.version, "status": "done", "progress_note": "Bob's entry."},
        format="json")
    assert response.status_code == 412
    body = response.json()
    assert body["version"] == bobs.version + 1
    assert body["changed"]["status"] == "in_progress"
    assert body["changed"]["progress"]["note"] == "Alice's entry."
    assert list(ActionProgress.objects.values_list("note", flat=True)) == ["Alice's entry."]
    assert PlanAction.objects.get(pk=bobs.pk).status == ActionStatus.IN_PROGRESS


def test_someone_of_another_agency_on_the_case_reads_but_may_not_log_progress(
        coordinator, nominal, bobs, housing):
    hazel = make_user("hazel", agency=housing)
    add_to_team(nominal, hazel, TeamRole.AGENCY_CONTACT, actor=coordinator)
    client = api(hazel)
    assert client.get(detail(bobs)).status_code == 200
    response = client.patch(detail(bobs), {
        "version": bobs.version, "status": "done", "progress_note": "Done."}, format="json")
    assert response.status_code == 403
    assert not ActionProgress.objects.exists()


def test_what_the_plan_agreed_cannot_be_changed_here(practitioner, bobs):
    response = api(practitioner).patch(detail(bobs), {
        "version": bobs.version, "progress_note": "Moved.", "due_date": "2099-01-01",
        "description": "Something easier"}, format="json")
    assert response.status_code == 400
    assert {"due_date", "description"} <= response.json().keys()
    stored = PlanAction.objects.get(pk=bobs.pk)
    assert (stored.description, stored.version) == (bobs.description, bobs.version)


@pytest.mark.parametrize("body, field", [
    ({"status": "finished", "progress_note": "x"}, "status"),
    ({"status": "done"}, "progress_note"),
    ({"status": "done", "progress_note": "   "}, "progress_note"),
    ({"progress_note": "x", "progress_on": "last week"}, "progress_on"),
    ({"progress_note": "x", "progress_on": "2099-01-01"}, "progress_on"),
    ({"progress_note": ["x"]}, "progress_note"),
    ({"progress_note": "x", "version": "latest"}, "version"),
])
def test_bad_progress_answers_400_with_field_errors(practitioner, bobs, body, field):
    response = api(practitioner).patch(detail(bobs), {"version": bobs.version, **body},
                                       format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not ActionProgress.objects.exists()


@pytest.mark.parametrize("body", [[1, 2], 7, "done"])
def test_a_body_that_is_not_an_object_answers_400(practitioner, bobs, body):
    response = api(practitioner).patch(detail(bobs), body, format="json")
    assert response.status_code == 400
