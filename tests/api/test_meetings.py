"""The partner-agency API on meetings and minutes: /api/v1/meetings/ (meetings/api.py)."""

from datetime import datetime, time, timedelta

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import Level, RiskLevel
from jmappa.accounts.models import Role
from jmappa.accounts.services import api_token_issue
from jmappa.audit.models import AuditEvent, Verb
from meetings import rules
from meetings.models import MeetingKind, Minutes, MinutesStatus
from meetings.services import minutes as minutes_services
from meetings.services.attendance import meeting_record_attendance
from meetings.services.scheduling import meeting_schedule
from plans.models import ActionType
from plans.services import action_add
from tests.factories import make_nominal, make_user

pytestmark = pytest.mark.django_db

LIST = "/api/v1/meetings/"


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user, actor=None)}")
    return client


def detail(meeting, verb=""):
    return f"{LIST}{meeting.pk}/" + (f"{verb}/" if verb else "")


def listed(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def at(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def today():
    return timezone.localdate()


def held_meeting(nominal, *, chair, actor, kind=MeetingKind.EMERGENCY_2, day=None, agency):
    """A meeting of the case held on `day` (today unless given), its case manager attending
    in person for `agency`."""
    meeting = meeting_schedule(nominal=nominal, kind=kind, actor=actor, chair=chair,
                               starts_at=at(day or today()))
    rows = [{"agency": agency, "mode": "in_person", "attendee": nominal.case_manager}]
    return meeting_record_attendance(meeting=meeting, rows=rows, actor=actor)


COMPLETE = {
    "confidentiality_read": True,
    "rosh_overall": RiskLevel.HIGH,
    "who_is_at_risk": "His former partner.",
    "nature_of_risk": "Serious violence.",
    "imminence": "Imminent on any contact.",
    "discharge_considered": True,
    "discharge_notes": "Too early: the threats continue.",
    "level_decision": Level.TWO,
    "ongoing_at_this_level": True,
    "ongoing_reasons": "Police and Probation must act together on the threats.",
    "disclosure_considered": True,
    "disclosure_decision": "not_disclose",
    "disclosure_reasons": "The former partner already knows; nobody else is at risk.",
}


@pytest.fixture
def administrator(police):
    return make_user("ada", roles=[Role.ADMINISTRATOR], agency=police, first_name="Ada",
                     last_name="Administrator")


@pytest.fixture
def nominal(coordinator, practitioner):
    """Bob's case (he is its case manager); Charlie is not on it."""
    return make_nominal(actor=coordinator, case_manager=practitioner, level=Level.TWO,
                        level_reason="Accepted at level 2")


@pytest.fixture
def meeting(nominal, coordinator, police):
    """An emergency level 2 meeting held today, Alice in the chair, Bob attending."""
    return held_meeting(nominal, chair=coordinator, actor=coordinator, agency=police)


@pytest.fixture
def draft(meeting, administrator):
    return minutes_services.minutes_start(meeting=meeting, actor=administrator)


def add_plan(meeting, actor, agency):
    for action_type in (ActionType.VICTIM_PROTECTION, ActionType.CONTINGENCY):
        action_add(nominal=meeting.nominal, meeting=meeting, actor=actor,
                   description=f"A {action_type} action agreed at the meeting",
                   action_type=action_type, owner_agency=agency,
                   due_date=today() + timedelta(days=28))


# -- the meeting -------------------------------------------------------------------------------


def test_a_meeting_answers_its_case_level_date_chair_deadlines_and_minutes(
        practitioner, coordinator, nominal, meeting, draft, police):
    response = api(practitioner).get(detail(meeting))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == meeting.pk
    assert body["case"] == nominal.pk
    assert body["case_reference"] == nominal.reference
    assert body["level"] == 2 and isinstance(body["level"], int)
    assert body["kind"] == "emergency_2"
    assert body["is_emergency"] is True
    assert body["date"] == today().isoformat()
    assert body["starts_at"].startswith(today().isoformat())
    assert body["chair"] == {"id": coordinator.pk, "name": "Alice Coordinator"}
    assert body["status"] == "held"
    assert body["minutes_due_by"] == rules.minutes_due_by(today(), "2").isoformat()
    assert body["next_review_by"] is None
    assert body["minutes_status"] == "draft"
    bob = meeting.invitations.get(user=practitioner)
    assert {"id": bob.pk, "agency": {"id": police.pk, "name": police.name},
            "name": "Bob Practitioner", "reason": "case_team", "response": "pending",
            "responded_at": None, "sent_at": None} in body["invitations"]
    assert {row["id"] for row in body["invitations"]} == set(
        meeting.invitations.values_list("pk", flat=True))
    assert body["attendance"] == [{
        "id": meeting.attendance.get().pk, "agency": {"id": police.pk, "name": police.name},
        "attendee_name": "Bob Practitioner", "mode": "in_person", "grade": practitioner.grade,
        "meets_seniority": None,
    }]


def test_reading_a_meeting_is_audited_against_its_case(practitioner, meeting):
    api(practitioner).get(detail(meeting))
    event = AuditEvent.objects.filter(action=Verb.VIEW, object_type="meetings.meeting").get()
    assert event.object_id == str(meeting.pk)
    assert event.case_id == meeting.nominal_id


def test_minutes_status_is_null_before_minutes_and_final_once_finalised(
        coordinator, administrator, meeting, police):
    client = api(coordinator)
    assert client.get(detail(meeting)).json()["minutes_status"] is None
    minutes = minutes_services.minutes_start(meeting=meeting, actor=administrator)
    minutes = minutes_services.minutes_update(minutes=minutes, actor=administrator,
                                              version=minutes.version, **COMPLETE)
    add_plan(meeting, coordinator, police)
    minutes_services.minutes_finalise(minutes=minutes, actor=coordinator)
    row = client.get(LIST).json()["results"][0]
    assert (row["id"], row["minutes_status"]) == (meeting.pk, "final")
    assert row["next_review_by"] == minutes.next_review_by.isoformat()


def test_someone_not_on_the_case_gets_404_for_the_meeting_and_its_minutes(
        outsider, meeting, draft):
    client = api(outsider)
    assert client.get(detail(meeting)).status_code == 404
    assert client.get(detail(meeting, "minutes")).status_code == 404
    assert client.patch(detail(meeting, "minutes"), {"version": draft.version,
                                                     "who_is_at_risk": "x"},
                        format="json").status_code == 404
    assert client.post(detail(meeting, "minutes/finalise")).status_code == 404
    assert listed(client.get(LIST)) == set()
    assert listed(client.get(LIST, {"status": "held"})) == set()
    assert Minutes.objects.get().who_is_at_risk == ""


def test_a_404_says_nothing_of_whether_the_meeting_exists(outsider, meeting):
    hidden = api(outsider).get(detail(meeting))
    missing = api(outsider).get(f"{LIST}999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


# -- the list ----------------------------------------------------------------------------------


@pytest.fixture
def three_meetings(nominal, coordinator, police, meeting):
    """Today's level 2 meeting (held); a level 1 discussion held 40 days ago; another case's
    level 3 emergency meeting still to come, in 10 days."""
    earlier = held_meeting(nominal, chair=None, actor=coordinator, kind=MeetingKind.LEVEL_1,
                           day=today() - timedelta(days=40), agency=police)
    other = make_nominal(actor=coordinator, case_manager=coordinator, level=Level.THREE,
                         level_reason="Accepted at level 3")
    coming = meeting_schedule(nominal=other, kind=MeetingKind.EMERGENCY_3, actor=coordinator,
                              chair=coordinator, starts_at=at(today() + timedelta(days=10)))
    return meeting, earlier, coming


def test_the_list_filters_by_case_level_dates_and_status(coordinator, nominal, three_meetings):
    current, earlier, coming = three_meetings
    client = api(coordinator)
    body = client.get(LIST).json()
    assert [row["id"] for row in body["results"]] == [coming.pk, current.pk, earlier.pk]
    assert [row["level"] for row in body["results"]] == [3, 2, 1]
    assert listed(client.get(LIST, {"case": nominal.pk})) == {current.pk, earlier.pk}
    assert listed(client.get(LIST, {"level": "1"})) == {earlier.pk}
    assert listed(client.get(LIST, {"level": 3})) == {coming.pk}
    assert listed(client.get(LIST, {"status": "scheduled"})) == {coming.pk}
    assert listed(client.get(LIST, {"status": "held", "level": "2"})) == {current.pk}
    assert listed(client.get(LIST, {"kind": "level_1"})) == {earlier.pk}
    assert listed(client.get(LIST, {"from": today().isoformat()})) == {current.pk, coming.pk}
    assert listed(client.get(LIST, {"to": today().isoformat()})) == {current.pk, earlier.pk}
    assert listed(client.get(LIST, {
        "from": (today() - timedelta(days=40)).isoformat(),
        "to": (today() - timedelta(days=1)).isoformat()})) == {earlier.pk}


def test_a_partner_lists_only_the_meetings_of_cases_they_are_on(practitioner, nominal,
                                                                three_meetings):
    current, earlier, coming = three_meetings
    assert listed(api(practitioner).get(LIST)) == {current.pk, earlier.pk}
    assert api(practitioner).get(detail(coming)).status_code == 404


@pytest.mark.parametrize("params, field", [
    ({"level": "4"}, "level"),
    ({"level": "two"}, "level"),
    ({"status": "finished"}, "status"),
    ({"kind": "level_4"}, "kind"),
    ({"from": "next tuesday"}, "from"),
    ({"to": "2025-02-30"}, "to"),
    ({"from": "2025-03-02", "to": "2025-03-01"}, "to"),
    ({"case": "abc"}, "case"),
    ({"case": "999999"}, "case"),
])
def test_a_bad_filter_answers_400_with_field_errors(practitioner, meeting, params, field):
    response = api(practitioner).get(LIST, params)
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_filtering_by_a_case_one_may_not_see_reads_as_no_such_case(outsider, meeting):
    hidden = api(outsider).get(LIST, {"case": meeting.nominal_id})
    assert hidden.status_code == 400
    assert "none of them has id" in hidden.json()["case"][0]


def test_list_query_count_does_not_grow_with_meetings(coordinator, practitioner, police,
                                                      administrator):
    clients = {"coordinator": api(coordinator), "case manager": api(practitioner)}
    for client in clients.values():
        client.get(LIST)  # the token's first use is recorded once

    def add_meeting():
        nominal = make_nominal(actor=coordinator, case_manager=practitioner,
                               level=Level.TWO, level_reason="Accepted at level 2")
        meeting = held_meeting(nominal, chair=coordinator, actor=coordinator, agency=police)
        minutes_services.minutes_start(meeting=meeting, actor=administrator)

    def count_queries(client):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.json()["results"])

    for _ in range(2):
        add_meeting()
    few = {name: count_queries(client) for name, client in clients.items()}
    for _ in range(6):
        add_meeting()
    many = {name: count_queries(client) for name, client in clients.items()}
    assert {name: rows for name, (_, rows) in few.items()} == dict.fromkeys(clients, 2)
    assert {name: rows for name, (_, rows) in many.items()} == dict.fromkeys(clients, 8)
    assert {name: queries for name, (queries, _) in many.items()} == {
        name: queries for name, (queries, _) in few.items()}


# -- reading the minutes -----------------------------------------------------------------------


def test_the_drafters_read_the_draft_with_its_plan_and_what_finalising_needs(
        administrator, meeting, draft, police, coordinator):
    add_plan(meeting, coordinator, police)
    response = api(administrator).get(detail(meeting, "minutes"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert response["ETag"] == f'"{draft.version}"'
    assert (body["id"], body["meeting"], body["status"], body["number"]) == (
        draft.pk, meeting.pk, "draft", 1)
    assert body["version"] == draft.version
    assert body["drafted_by"] == {"id": administrator.pk, "name": "Ada Administrator"}
    assert body["next_review_by"] == rules.latest_review_date(today(), "2").isoformat()
    assert body["confidentiality_statement"].startswith("The information discussed")
    assert {row["type"] for row in body["plan"]} == {"victim_protection", "contingency"}
    assert {"confidentiality_read", "disclosure_decision"} <= body["finalise_problems"].keys()
    assert "plan" not in body["finalise_problems"]
    event = AuditEvent.objects.filter(action=Verb.VIEW, object_type="meetings.minutes").get()
    assert (event.object_id, event.case_id) == (str(draft.pk), meeting.nominal_id)


def test_a_meeting_without_minutes_answers_404(coordinator, meeting):
    assert api(coordinator).get(detail(meeting, "minutes")).status_code == 404


def test_others_on_the_case_read_the_final_minutes_not_the_draft(
        practitioner, coordinator, administrator, meeting, draft, police):
    client = api(practitioner)
    assert client.get(detail(meeting, "minutes")).status_code == 404
    minutes = minutes_services.minutes_update(minutes=draft, actor=administrator,
                                              version=draft.version, **COMPLETE)
    add_plan(meeting, coordinator, police)
    minutes_services.minutes_finalise(minutes=minutes, actor=coordinator)
    body = client.get(detail(meeting, "minutes")).json()
    assert (body["status"], body["finalised_by"]["id"]) == ("final", coordinator.pk)
    assert body["finalise_problems"] == {}
    assert {row["type"] for row in body["plan"]} == {"victim_protection", "contingency"}


# -- changing the draft ------------------------------------------------------------------------


def test_a_drafter_changes_the_draft_with_the_version(administrator, meeting, draft, police,
                                                      housing):
    response = api(administrator).patch(detail(meeting, "minutes"), {
        "version": draft.version, "who_is_at_risk": "Risk to his former partner.",
        "rosh_overall": "high", "ongoing_at_this_level": True,
        "information": [{"agency": police.pk, "information": "Two call-outs in May."},
                        {"agency": housing.pk, "information": "Rent arrears."}],
    }, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == draft.version + 1
    assert response["ETag"] == f'"{draft.version + 1}"'
    assert (body["who_is_at_risk"], body["rosh_overall"], body["ongoing_at_this_level"]) == (
        "Risk to his former partner.", "high", True)
    assert [(row["agency"], row["agency_name"], row["information"])
            for row in body["information"]] == [
        (housing.pk, "Housing", "Rent arrears."),
        (police.pk, police.name, "Two call-outs in May.")]
    stored = Minutes.objects.get()
    assert (stored.who_is_at_risk, stored.version) == ("Risk to his former partner.",
                                                     draft.version + 1)
    assert AuditEvent.objects.filter(action=Verb.CHANGE,
                                     object_type="meetings.minutes").exists()


def test_the_version_may_come_as_an_if_match_header(coordinator, meeting, draft):
    response = api(coordinator).patch(detail(meeting, "minutes"), {"who_is_at_risk": "x"},
                                      format="json", HTTP_IF_MATCH=f'"{draft.version}"')
    assert response.status_code == 200, response.content
    assert Minutes.objects.get().who_is_at_risk == "x"


def test_a_change_without_the_version_answers_428(administrator, meeting, draft):
    response = api(administrator).patch(detail(meeting, "minutes"), {"who_is_at_risk": "x"},
                                        format="json")
    assert response.status_code == 428
    assert "version" in response.json()["detail"]
    assert Minutes.objects.get().who_is_at_risk == ""


def test_a_stale_version_answers_412_with_what_changed_and_overwrites_nothing(
        administrator, coordinator, meeting, draft):
    first = api(administrator).patch(detail(meeting, "minutes"), {
        "version": draft.version, "who_is_at_risk": "Ada's summary."}, format="json")
    assert first.status_code == 200
    second = api(coordinator).patch(detail(meeting, "minutes"), {
        "version": draft.version, "who_is_at_risk": "Alice's summary.",
        "discharge_notes": "Too early."}, format="json")
    assert second.status_code == 412
    body = second.json()
    assert body["version"] == draft.version + 1
    # Of the fields sent, those whose stored value differs, with the stored value.
    assert body["changed"] == {"who_is_at_risk": "Ada's summary.", "discharge_notes": ""}
    assert second["ETag"] == f'"{draft.version + 1}"'
    stored = Minutes.objects.get()
    assert (stored.who_is_at_risk, stored.discharge_notes, stored.version) == (
        "Ada's summary.", "", draft.version + 1)


def test_someone_on_the_case_who_does_not_draft_minutes_gets_403(practitioner, meeting,
                                                                 draft):
    response = api(practitioner).patch(detail(meeting, "minutes"), {
        "version": draft.version, "who_is_at_risk": "x"}, format="json")
    assert response.status_code == 403
    assert Minutes.objects.get().who_is_at_risk == ""


@pytest.mark.parametrize("body, field", [
    ({"rosh_overall": "purple"}, "rosh_overall"),
    ({"next_review_by": "soon"}, "next_review_by"),
    ({"ongoing_at_this_level": "perhaps"}, "ongoing_at_this_level"),
    ({"confidentiality_read": [1]}, "confidentiality_read"),
    ({"information": "Two call-outs"}, "information"),
    ({"information": [{"agency": 999999, "information": "x"}]}, "information"),
    ({"information": [{"agency": "police", "information": "x"}]}, "information"),
    ({"information": [{"information": "Two call-outs"}]}, "information"),
    ({"information": [None]}, "information"),
    ({"version": "latest"}, "version"),
    ({"level_decision": "4"}, "level_decision"),
])
def test_bad_input_answers_400_with_field_errors(administrator, meeting, draft, body, field):
    response = api(administrator).patch(detail(meeting, "minutes"),
                                        {"version": draft.version, **body}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Minutes.objects.get().version == draft.version


def test_an_incomplete_information_row_is_refused_not_dropped(administrator, meeting, draft,
                                                              police):
    client = api(administrator)
    saved = client.patch(detail(meeting, "minutes"), {
        "version": draft.version,
        "information": [{"agency": police.pk, "information": "Two call-outs in May."}],
    }, format="json")
    assert saved.status_code == 200
    for rows in ([{"agency": police.pk}], [{"information": "Rent arrears."}]):
        response = client.patch(detail(meeting, "minutes"), {
            "version": saved.json()["version"], "information": rows}, format="json")
        assert response.status_code == 400, response.content
        assert "information" in response.json()
    assert [row.information for row in Minutes.objects.get().information.all()] == [
        "Two call-outs in May."]


def test_a_body_that_is_not_an_object_answers_400(administrator, meeting, draft):
    response = api(administrator).patch(detail(meeting, "minutes"), [1, 2], format="json")
    assert response.status_code == 400


# -- finalising --------------------------------------------------------------------------------


def test_finalising_is_refused_with_every_reason_then_done_once_complete(
        coordinator, administrator, meeting, draft, police):
    client = api(coordinator)
    refused = client.post(detail(meeting, "minutes/finalise"))
    assert refused.status_code == 400, refused.content
    reasons = refused.json()
    assert {"plan", "disclosure_decision", "confidentiality_read", "who_is_at_risk"} <= \
        reasons.keys()
    plan = " ".join(reasons["plan"])
    assert "victim protection" in plan and "contingency" in plan
    assert Minutes.objects.get().status == MinutesStatus.DRAFT

    minutes = minutes_services.minutes_update(minutes=draft, actor=administrator,
                                              version=draft.version, **COMPLETE)
    add_plan(meeting, coordinator, police)
    done = client.post(detail(meeting, "minutes/finalise"), {"version": minutes.version},
                       format="json")
    assert done.status_code == 200, done.content
    body = done.json()
    assert (body["status"], body["finalised_by"]["id"]) == ("final", coordinator.pk)
    assert body["version"] == minutes.version + 1
    assert Minutes.objects.get().status == MinutesStatus.FINAL
    assert client.get(detail(meeting)).json()["minutes_status"] == "final"


def test_final_minutes_are_locked(coordinator, administrator, meeting, draft, police):
    minutes = minutes_services.minutes_update(minutes=draft, actor=administrator,
                                              version=draft.version, **COMPLETE)
    add_plan(meeting, coordinator, police)
    minutes = minutes_services.minutes_finalise(minutes=minutes, actor=coordinator)
    client = api(coordinator)
    change = client.patch(detail(meeting, "minutes"), {"version": minutes.version,
                                                       "who_is_at_risk": "x"}, format="json")
    assert change.status_code == 400
    assert "locked" in change.json()["non_field_errors"][0]
    again = client.post(detail(meeting, "minutes/finalise"))
    assert again.status_code == 400
    assert Minutes.objects.get().who_is_at_risk == COMPLETE["who_is_at_risk"]


def test_only_the_meetings_chair_finalises(administrator, practitioner, meeting, draft):
    for user in (administrator, practitioner):
        response = api(user).post(detail(meeting, "minutes/finalise"))
        assert response.status_code == 403, user
    assert Minutes.objects.get().status == MinutesStatus.DRAFT


def test_finalising_a_draft_changed_since_it_was_read_answers_412(coordinator, meeting,
                                                                   draft, administrator):
    minutes_services.minutes_update(minutes=draft, actor=administrator,
                                    version=draft.version, who_is_at_risk="Changed.")
    response = api(coordinator).post(detail(meeting, "minutes/finalise"),
                                     HTTP_IF_MATCH=f'"{draft.version}"')
    assert response.status_code == 412
    assert response.json()["version"] == draft.version + 1
    assert Minutes.objects.get().status == MinutesStatus.DRAFT


def test_finalising_a_meeting_without_minutes_answers_404(coordinator, meeting):
    assert api(coordinator).post(detail(meeting, "minutes/finalise")).status_code == 404
    assert not Minutes.objects.exists()


# -- the schema --------------------------------------------------------------------------------


def test_the_schema_describes_meetings_and_minutes_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    paths = schema["paths"]
    parameters = {p["name"] for p in paths["/api/v1/meetings/"]["get"]["parameters"]}
    assert {"case", "level", "from", "to", "status"} <= parameters
    minutes = paths["/api/v1/meetings/{id}/minutes/"]
    assert {"412", "428", "403"} <= minutes["patch"]["responses"].keys()
    assert "400" in paths["/api/v1/meetings/{id}/minutes/finalise/"]["post"]["responses"]
    level = schema["components"]["schemas"]["Meeting"]["properties"]["level"]
    assert level["type"] == "integer"
