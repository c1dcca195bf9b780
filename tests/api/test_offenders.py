"""The partner-agency API on the case register: /api/v1/offenders/ (cases/api.py)."""

from datetime import date, timedelta

import pytest
import yaml
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import Alias, Category, Nominal, RiskLevel, TeamRole, Victim
from cases.services import (
    exclusion_add,
    nominal_archive,
    nominal_restrict,
    nominal_update,
    rosh_record,
    victim_record,
)
from jmappa.accounts.models import Role
from jmappa.accounts.services import api_token_issue
from jmappa.audit.models import AuditEvent, Channel, Verb
from tests.factories import add_to_team, make_nominal, make_user

pytestmark = pytest.mark.django_db

LIST = "/api/v1/offenders/"


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user, actor=None)}")
    return client


def detail(nominal):
    return f"{LIST}{nominal.pk}/"


def listed(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def team_case(coordinator, practitioner, police):
    case = make_nominal(actor=coordinator, family_name="Teamcase", lead_agency=police)
    add_to_team(case, practitioner, TeamRole.AGENCY_CONTACT, actor=coordinator)
    return case


@pytest.fixture
def other_case(coordinator):
    return make_nominal(actor=coordinator, family_name="Othercase")


@pytest.fixture
def managed_case(coordinator, practitioner, police):
    """A case Bob manages: he may change it and see its victims."""
    return make_nominal(actor=coordinator, family_name="Managed", lead_agency=police,
                        case_manager=practitioner)


def new_offender(**fields):
    body = {
        "given_names": "Reginald", "family_name": "Quayle", "date_of_birth": "1975-03-14",
        "eligibility": "eligible", "category": "2", "gender": "male",
    }
    body.update(fields)
    return body


# -- who sees what -------------------------------------------------------------------------


def test_list_shows_each_user_exactly_the_cases_they_may_see(coordinator, practitioner,
                                                             outsider, police, team_case,
                                                             other_case):
    smb = make_user("dora", roles=[Role.SMB_MEMBER], agency=police)
    assert listed(api(coordinator).get(LIST)) == {team_case.pk, other_case.pk}
    assert listed(api(practitioner).get(LIST)) == {team_case.pk}
    assert listed(api(outsider).get(LIST)) == set()
    assert listed(api(smb).get(LIST)) == set()


def test_list_leaves_out_a_case_from_which_the_user_is_excluded(coordinator, practitioner,
                                                                 team_case):
    exclusion_add(nominal=team_case, user=practitioner, reason="Knows the victim",
                  actor=coordinator)
    assert listed(api(practitioner).get(LIST)) == set()


def test_retrieve_answers_404_to_an_outsider_and_to_an_excluded_user(coordinator,
                                                                     practitioner, outsider,
                                                                     team_case):
    assert api(outsider).get(detail(team_case)).status_code == 404
    exclusion_add(nominal=team_case, user=practitioner, reason="Neighbour of the victim",
                  actor=coordinator)
    response = api(practitioner).get(detail(team_case))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_restricted_case_answers_404_to_a_team_member_not_named_on_it(coordinator,
                                                                        practitioner,
                                                                        team_case):
    nominal_restrict(nominal=team_case, reason="High-profile case", named_users=[],
                     actor=coordinator)
    assert api(practitioner).get(detail(team_case)).status_code == 404


def test_retrieve_writes_one_audit_event_on_the_api_channel_with_the_case(practitioner,
                                                                         team_case):
    client = api(practitioner)
    before = AuditEvent.objects.count()
    assert client.get(detail(team_case)).status_code == 200
    event = AuditEvent.objects.order_by("id")[before:].get()
    assert (event.action, event.channel, event.actor) == (Verb.VIEW, Channel.API,
                                                          practitioner)
    assert (event.object_type, event.object_id, event.case_id) == (
        "cases.nominal", str(team_case.pk), team_case.pk)


def test_record_carries_its_version_and_etag_and_nothing_of_victims_or_access(
    coordinator, practitioner, team_case
):
    victim_record(nominal=team_case, actor=coordinator, relationship="Former partner")
    exclusion_add(nominal=team_case, user=make_user(), reason="Relative", actor=coordinator)
    response = api(practitioner).get(detail(team_case))
    body = response.json()
    assert response["ETag"] == f'"{team_case.version}"'
    assert body["version"] == team_case.version
    assert body["reference"] == team_case.reference
    assert body["lead_agency"] == team_case.lead_agency_id
    for secret in ("victims", "exclusions", "named_access", "restricted", "restricted_reason",
                   "archive_reason", "photo"):
        assert secret not in body
    assert "Former partner" not in response.content.decode()


def test_record_shows_level_and_rosh_history(coordinator, practitioner, team_case):
    nominal_update(nominal=team_case, actor=coordinator, category=Category.ONE)
    from cases.services import nominal_set_level

    nominal_set_level(nominal=team_case, level="2", reason="Agreed at meeting",
                      actor=coordinator)
    rosh_record(nominal=team_case, actor=coordinator, assessed_on=date(2024, 5, 1),
                overall=RiskLevel.HIGH, community_children=RiskLevel.VERY_HIGH,
                who_is_at_risk="Children", nature_of_risk="Sexual harm", imminence="Not")
    body = api(practitioner).get(detail(team_case)).json()
    assert [(h["level"], h["reason"]) for h in body["level_history"]] == [
        ("2", "Agreed at meeting")]
    assert body["rosh"] == "high"
    assert body["rosh_history"][0]["overall"] == "high"
    assert body["rosh_history"][0]["community_children"] == "very_high"


# -- create --------------------------------------------------------------------------------


def test_coordinator_creates_an_offender_with_aliases_and_addresses(coordinator, police):
    response = api(coordinator).post(LIST, new_offender(
        lead_agency=police.pk, level="2", level_reason="Screened at referral",
        aliases=[{"name": "Reggie Q", "kind": "nickname"}],
        addresses=[{"address": "1 Rue de la Mer\nSt Helier", "postcode": "JE2 3AB",
                    "date_from": "2020-01-01", "is_current": True}],
    ), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    nominal = Nominal.objects.get(pk=body["id"])
    assert response["Location"].endswith(f"/api/v1/offenders/{nominal.pk}/")
    assert response["ETag"] == f'"{nominal.version}"'
    assert [(a["name"], a["kind"]) for a in body["aliases"]] == [("Reggie Q", "nickname")]
    assert body["addresses"][0]["is_current"] is True
    assert nominal.addresses.get().postcode == "JE2 3AB"
    assert nominal.level == "2"
    assert nominal.level_history.get().reason == "Screened at referral"
    created = AuditEvent.objects.get(action=Verb.CREATE, object_type="cases.nominal")
    assert (created.actor, created.channel, created.case_id) == (coordinator, Channel.API,
                                                                  nominal.pk)


def test_practitioner_may_not_create_an_offender(practitioner):
    response = api(practitioner).post(LIST, new_offender(), format="json")
    assert response.status_code == 403
    assert not Nominal.objects.exists()


@pytest.mark.parametrize("fields, field", [
    ({"date_of_birth": (timezone.localdate() + timedelta(days=1)).isoformat()},
     "date_of_birth"),
    ({"date_of_birth": "14/03/1975"}, "date_of_birth"),
    ({"category": "3", "cat3_disposal": "conviction"}, "cat3_capacity_for_serious_harm"),
    ({"category": "3", "cat3_capacity_for_serious_harm": True,
      "cat3_needs_multi_agency_management": True}, "cat3_disposal"),
    ({"category": "pdp", "cat3_disposal": "caution"}, "cat3_disposal"),
    ({"lead_agency": 999999}, "lead_agency"),
    ({"lead_agency": "police"}, "lead_agency"),
    ({"case_manager": 999999}, "case_manager"),
    ({"order_start": "2024-06-01", "order_end": "2024-01-01"}, "order_end"),
    ({"category": "7"}, "category"),
    ({"addresses": [{"address": "A", "is_current": True},
                    {"address": "B", "is_current": True}]}, "addresses"),
    ({"given_names": ""}, "given_names"),
    # Names with a hidden right-to-left override or zero-width space, and text too long.
    ({"given_names": "Pe\u202eret"}, "given_names"),
    ({"family_name": "Exa\u200bmple"}, "family_name"),
    ({"aliases": [{"name": "Reg\u2066gie", "kind": "nickname"}]}, "aliases"),
    ({"index_offence": "x" * 10_001}, "index_offence"),
    ({"diversity_needs": "x" * 10_001}, "diversity_needs"),
])
def test_bad_input_answers_400_with_field_errors_and_saves_nothing(coordinator, fields,
                                                                   field):
    response = api(coordinator).post(LIST, new_offender(**fields), format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors
    assert all(isinstance(message, str) and message for message in errors[field])
    assert not Nominal.objects.exists()


def test_category3_cannot_be_saved_without_the_two_tests(coordinator):
    response = api(coordinator).post(LIST, new_offender(category="3"), format="json")
    assert response.status_code == 400
    assert {"cat3_capacity_for_serious_harm", "cat3_needs_multi_agency_management",
            "cat3_disposal"} <= response.json().keys()
    response = api(coordinator).post(LIST, new_offender(
        category="3", cat3_capacity_for_serious_harm=True,
        cat3_needs_multi_agency_management=True, cat3_disposal="caution",
    ), format="json")
    assert response.status_code == 201, response.content


def test_possible_duplicate_answers_409_with_references_then_201_when_confirmed(
    coordinator, team_case
):
    client = api(coordinator)
    body = new_offender(given_names=team_case.given_names, family_name=team_case.family_name,
                        date_of_birth=team_case.date_of_birth.isoformat())
    response = client.post(LIST, body, format="json")
    assert response.status_code == 409
    duplicates = response.json()["duplicates"]
    assert duplicates == [{"reference": team_case.reference,
                           "url": f"http://testserver{detail(team_case)}"}]
    assert response.json()["hidden_match"] is False
    assert Nominal.objects.count() == 1
    response = client.post(LIST, {**body, "confirm_not_duplicate": True}, format="json")
    assert response.status_code == 201, response.content
    assert Nominal.objects.count() == 2


def test_a_duplicate_the_user_may_not_see_is_not_named_and_the_coordinator_is_told(
        coordinator, police, django_capture_on_commit_callbacks):
    coordinator.email = "alice@police.example"
    coordinator.save()
    administrator = make_user("erin", roles=[Role.ADMINISTRATOR], agency=police)
    hidden = make_nominal(actor=coordinator, given_names="Reginald", family_name="Quayle",
                          date_of_birth=date(1975, 3, 14), pnc_number="12/345678X")
    exclusion_add(nominal=hidden, user=administrator, reason="Relative", actor=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(administrator).post(LIST, new_offender(given_names="Reg",
                                                              pnc_number="12/345678x"),
                                           format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["duplicates"] == [] and body["hidden_match"] is True
    assert "the JMAPPA Co-ordinator has been told" in body["detail"]
    content = response.content.decode()
    assert hidden.reference not in content and hidden.family_name not in content
    assert f"/{hidden.pk}/" not in content
    (told,) = mail.outbox
    assert told.to == ["alice@police.example"] and hidden.reference in told.body
    assert AuditEvent.objects.filter(case_id=hidden.pk, actor=administrator,
                                     action=Verb.VIEW).count() == 1
    response = api(administrator).post(LIST, new_offender(
        given_names="Reg", pnc_number="12/345678x", confirm_not_duplicate=True),
        format="json")
    assert response.status_code == 201, response.content


def test_an_alias_can_reveal_a_duplicate(coordinator, other_case):
    Alias.objects.create(nominal=other_case, name="Reginald Quayle")
    response = api(coordinator).post(LIST, new_offender(
        given_names="Ronald", family_name="Smith",
        date_of_birth=other_case.date_of_birth.isoformat(),
    ), format="json")
    assert response.status_code == 201, response.content
    response = api(coordinator).post(LIST, new_offender(
        date_of_birth=other_case.date_of_birth.isoformat()), format="json")
    assert response.status_code == 409
    assert [d["reference"] for d in response.json()["duplicates"]] == [other_case.reference]


# -- change --------------------------------------------------------------------------------


def test_case_manager_changes_the_record_with_the_version_read(practitioner, managed_case):
    client = api(practitioner)
    etag = client.get(detail(managed_case))["ETag"]
    response = client.patch(detail(managed_case), {"ethnicity": "White British"},
                            format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    managed_case.refresh_from_db()
    assert managed_case.ethnicity == "White British"
    assert response.json()["version"] == managed_case.version == 2
    assert response["ETag"] == '"2"'
    change = AuditEvent.objects.get(action=Verb.CHANGE, object_type="cases.nominal")
    assert (change.actor, change.channel, change.case_id) == (practitioner, Channel.API,
                                                              managed_case.pk)


def test_withholding_from_the_offender_is_not_set_through_the_api(coordinator, practitioner,
                                                                   managed_case):
    # §3.6: agreed at a meeting and recorded from its minutes; the API answers why.
    message = "Withholding from the offender is agreed at a meeting"
    client = api(practitioner)
    etag = client.get(detail(managed_case))["ETag"]
    response = client.patch(detail(managed_case), {"withhold_from_offender": True,
                                                   "withhold_reason": "Alone"},
                            format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    assert response.json()["withhold_from_offender"][0].startswith(message)
    response = api(coordinator).post(LIST, new_offender(withhold_from_offender=True),
                                     format="json")
    assert response.status_code == 400
    managed_case.refresh_from_db()
    assert not managed_case.withhold_from_offender
    assert not Nominal.objects.filter(withhold_from_offender=True).exists()


def test_patch_with_a_stale_version_answers_412_and_saves_nothing(coordinator, practitioner,
                                                                  managed_case):
    nominal_update(nominal=managed_case, actor=coordinator, version=1,
                   ethnicity="Portuguese")
    response = api(practitioner).patch(detail(managed_case),
                                       {"version": 1, "ethnicity": "White British",
                                        "sentence": ""}, format="json")
    assert response.status_code == 412
    body = response.json()
    assert body["version"] == 2
    assert body["changed"] == {"ethnicity": "Portuguese"}
    assert response["ETag"] == '"2"'
    managed_case.refresh_from_db()
    assert (managed_case.ethnicity, managed_case.version) == ("Portuguese", 2)


def test_patch_with_a_stale_if_match_header_answers_412(coordinator, practitioner,
                                                        managed_case):
    nominal_update(nominal=managed_case, actor=coordinator, ethnicity="Portuguese")
    response = api(practitioner).patch(detail(managed_case), {"ethnicity": "Irish"},
                                       format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 412


def test_patch_without_a_version_is_refused_rather_than_risk_overwriting(practitioner,
                                                                         managed_case):
    response = api(practitioner).patch(detail(managed_case), {"ethnicity": "Irish"},
                                       format="json")
    assert response.status_code == 428
    response = api(practitioner).patch(detail(managed_case), {"ethnicity": "Irish"},
                                       format="json", HTTP_IF_MATCH="yesterday")
    assert response.status_code == 400
    assert "version" in response.json()
    managed_case.refresh_from_db()
    assert managed_case.ethnicity == ""


def test_handing_the_case_to_another_manager_answers_204_without_the_record(
    practitioner, outsider, housing, managed_case
):
    response = api(practitioner).patch(
        detail(managed_case),
        {"version": 1, "lead_agency": housing.pk, "case_manager": outsider.pk},
        format="json",
    )
    assert response.status_code == 204
    assert not response.content
    managed_case.refresh_from_db()
    assert managed_case.case_manager == outsider
    assert api(practitioner).get(detail(managed_case)).status_code == 404


def test_case_manager_from_another_agency_than_the_lead_is_refused(practitioner, outsider,
                                                                   managed_case):
    response = api(practitioner).patch(detail(managed_case),
                                       {"version": 1, "case_manager": outsider.pk},
                                       format="json")
    assert response.status_code == 400
    assert response.json()["case_manager"] == ["The case manager must work for the lead agency."]


def test_a_visor_manager_excluded_from_the_case_is_refused(coordinator, police,
                                                          managed_case):
    visor = make_user("vic", agency=police)
    exclusion_add(nominal=managed_case, user=visor, reason="Knows the victim",
                  actor=coordinator)
    response = api(coordinator).patch(detail(managed_case),
                                      {"version": 1, "visor_manager": visor.pk},
                                      format="json")
    assert response.status_code == 400
    assert "excluded from this case" in response.json()["visor_manager"][0]
    managed_case.refresh_from_db()
    assert managed_case.visor_manager is None


def test_a_case_manager_not_named_on_a_restricted_case_is_refused(coordinator, police,
                                                                managed_case):
    other = make_user("nia", agency=police)
    nominal_restrict(nominal=managed_case, reason="High profile", named_users=[],
                     actor=coordinator)
    response = api(coordinator).patch(detail(managed_case),
                                      {"version": 1, "case_manager": other.pk},
                                      format="json")
    assert response.status_code == 400
    assert "This case is restricted" in response.json()["case_manager"][0]
    nominal_restrict(nominal=managed_case, reason="High profile", named_users=[other],
                     actor=coordinator)
    response = api(coordinator).patch(detail(managed_case),
                                      {"version": 1, "case_manager": other.pk},
                                      format="json")
    assert response.status_code == 200, response.content


def test_an_smb_member_cannot_be_made_case_manager_or_visor_manager(coordinator, police,
                                                                    managed_case):
    member = make_user("sally", roles=[Role.SMB_MEMBER], agency=police)
    response = api(coordinator).patch(detail(managed_case),
                                      {"version": 1, "visor_manager": member.pk},
                                      format="json")
    assert response.status_code == 400
    assert "An SMB member, as such" in response.json()["visor_manager"][0]
    response = api(coordinator).post(LIST, new_offender(
        lead_agency=police.pk, case_manager=member.pk, confirm_not_duplicate=True),
        format="json")
    assert response.status_code == 400
    assert "An SMB member, as such" in response.json()["case_manager"][0]


def test_patch_by_a_read_only_team_member_answers_404(practitioner, team_case):
    response = api(practitioner).patch(detail(team_case), {"version": 1, "ethnicity": "X"},
                                       format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_patch_by_an_outsider_answers_404(outsider, managed_case):
    response = api(outsider).patch(detail(managed_case), {"version": 1, "ethnicity": "X"},
                                   format="json")
    assert response.status_code == 404


def test_patch_bad_input_answers_400_with_field_errors(practitioner, managed_case):
    client = api(practitioner)
    response = client.patch(detail(managed_case), {"version": 1, "category": "3"},
                            format="json")
    assert response.status_code == 400
    assert "cat3_capacity_for_serious_harm" in response.json()
    response = client.patch(detail(managed_case), {"version": 1, "order_end": "01-02-2024"},
                            format="json")
    assert response.status_code == 400
    assert "order_end" in response.json()


def test_nested_lists_and_level_are_read_only_on_patch(practitioner, managed_case):
    response = api(practitioner).patch(detail(managed_case), {
        "version": 1, "aliases": [{"name": "New name", "kind": "alias"}], "level": "3",
    }, format="json")
    assert response.status_code == 400
    assert {"aliases", "level"} <= response.json().keys()
    assert not managed_case.aliases.exists()


# -- victims -------------------------------------------------------------------------------


def test_victims_answer_404_without_the_victim_permission(practitioner, outsider, team_case,
                                                          coordinator):
    victim_record(nominal=team_case, actor=coordinator, relationship="Neighbour")
    url = f"{detail(team_case)}victims/"
    for user in (practitioner, outsider):
        assert api(user).get(url).status_code == 404
        response = api(user).post(url, {"relationship": "Sister"}, format="json")
        assert response.status_code == 404
    assert Victim.objects.count() == 1
    assert not AuditEvent.objects.filter(object_type="cases.victim",
                                         action=Verb.VIEW).exists()


def test_victims_are_listed_and_recorded_with_the_victim_permission(practitioner,
                                                                    coordinator,
                                                                    managed_case):
    victim_record(nominal=managed_case, actor=coordinator, relationship="Neighbour")
    url = f"{detail(managed_case)}victims/"
    client = api(practitioner)
    response = client.get(url)
    assert response.status_code == 200
    assert [v["relationship"] for v in response.json()["results"]] == ["Neighbour"]
    read = AuditEvent.objects.get(action=Verb.VIEW, object_type="cases.victim")
    assert (read.actor, read.channel, read.case_id) == (practitioner, Channel.API,
                                                        managed_case.pk)
    response = client.post(url, {"relationship": "Sister", "age_band": "12-17"},
                           format="json")
    assert response.status_code == 201, response.content
    assert response.json()["recorded_by"] == practitioner.pk
    assert managed_case.victims.count() == 2
    response = client.post(url, {"relationship": "", "age_band": "old"}, format="json")
    assert response.status_code == 400
    assert {"relationship", "age_band"} <= response.json().keys()


def test_victim_permission_given_on_the_team_opens_the_victims(practitioner, coordinator,
                                                               other_case):
    add_to_team(other_case, practitioner, TeamRole.AGENCY_CONTACT, actor=coordinator,
                sees_victims=True)
    assert api(practitioner).get(f"{detail(other_case)}victims/").status_code == 200


# -- filters -------------------------------------------------------------------------------


def test_filter_by_category(coordinator, team_case, other_case):
    nominal_update(nominal=other_case, actor=coordinator, category=Category.ONE)
    assert listed(api(coordinator).get(LIST, {"category": "1"})) == {other_case.pk}
    assert listed(api(coordinator).get(LIST, {"category": ""})) == {team_case.pk,
                                                                    other_case.pk}


def test_search_finds_a_case_by_an_alias_spelt_differently(coordinator, team_case,
                                                           other_case):
    Alias.objects.create(nominal=other_case, name="Jonathan Smithers")
    response = api(coordinator).get(LIST, {"q": "Jonathon Smithers"})
    assert listed(response) == {other_case.pk}


def test_search_finds_a_case_by_its_pnc_number(coordinator, team_case, other_case):
    nominal_update(nominal=team_case, actor=coordinator, pnc_number="12/345678X")
    assert listed(api(coordinator).get(LIST, {"q": "12/345678x"})) == {team_case.pk}


def test_archived_cases_are_listed_only_when_asked_for(coordinator, team_case, other_case):
    nominal_archive(nominal=other_case, reason="No longer needs management",
                    actor=coordinator)
    client = api(coordinator)
    assert listed(client.get(LIST)) == {team_case.pk}
    assert listed(client.get(LIST, {"status": "archived"})) == {other_case.pk}
    assert listed(client.get(LIST, {"status": "all"})) == {team_case.pk, other_case.pk}


@pytest.mark.parametrize("params, field", [
    ({"category": "9"}, "category"),
    ({"date_of_birth": "last tuesday"}, "date_of_birth"),
    ({"lead_agency": "999999"}, "lead_agency"),
    ({"sort": "password"}, "sort"),
])
def test_bad_filter_value_answers_400_with_field_errors(coordinator, team_case, params,
                                                        field):
    response = api(coordinator).get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()


def test_list_query_count_does_not_grow_with_rows(coordinator, police):
    client = api(coordinator)
    client.get(LIST)  # the token's first use is recorded once

    def add_case(i):
        nominal = make_nominal(actor=coordinator, lead_agency=police, case_manager=coordinator,
                               level="2", aliases=[{"name": f"Alias {i}", "kind": "alias"}],
                               addresses=[{"address": f"{i} Main Street", "is_current": True}])
        rosh_record(nominal=nominal, actor=coordinator, assessed_on=date(2024, 1, 1),
                    overall=RiskLevel.MEDIUM, who_is_at_risk="Public", nature_of_risk="Harm",
                    imminence="Not imminent")

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.json()["results"])

    add_case(0)
    few, rows = count_queries()
    for i in range(1, 8):
        add_case(i)
    many, more_rows = count_queries()
    assert (rows, more_rows) == (1, 8)
    assert many == few


# -- the schema ----------------------------------------------------------------------------


def test_openapi_schema_validates_without_warnings_and_describes_offenders(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    paths = schema["paths"]
    assert {"/api/v1/offenders/", "/api/v1/offenders/{id}/",
            "/api/v1/offenders/{id}/victims/"} <= paths.keys()
    assert {"409", "201"} <= paths["/api/v1/offenders/"]["post"]["responses"].keys()
    assert "412" in paths["/api/v1/offenders/{id}/"]["patch"]["responses"]
    assert "put" not in paths["/api/v1/offenders/{id}/"]
    parameters = {p["name"] for p in paths["/api/v1/offenders/"]["get"]["parameters"]}
    assert {"q", "date_of_birth", "category", "level", "rosh", "lead_agency", "status",
            "custody_status", "sort"} <= parameters


def test_schema_view_lists_the_offenders_endpoint(practitioner_client):
    response = practitioner_client.get(reverse("api-schema"))
    assert response.status_code == 200
    assert "/api/v1/offenders/" in yaml.safe_load(response.content)["paths"]
