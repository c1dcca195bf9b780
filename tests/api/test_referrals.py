"""The partner-agency API on referrals: /api/v1/referrals/ (referrals/api.py)."""

from datetime import date, timedelta

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import Category, Nominal, TeamRole
from jmappa import access
from jmappa.accounts.services import api_token_issue
from jmappa.audit.models import AuditEvent, Channel, Verb
from referrals import rules
from referrals.models import SEX_OFFENDER_MESSAGE, Referral, ReferralStatus
from referrals.services import (
    referral_accept,
    referral_request_info,
    referral_submit,
    referral_update,
)
from tests.factories import add_to_team, make_nominal, make_referral, make_user

pytestmark = pytest.mark.django_db

LIST = "/api/v1/referrals/"
VICTIMS = "Former partner, now living in St Brelade."


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user, actor=None)}")
    return client


def detail(referral, verb=""):
    return f"{LIST}{referral.pk}/" + (f"{verb}/" if verb else "")


def listed(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def new_referral(police, **fields):
    """The Appendix A form as a partner agency's system sends it: complete enough to submit."""
    body = {
        "given_names": "Reginald", "family_name": "Quayle", "date_of_birth": "1975-03-14",
        "conviction": "Wounding with intent (2024)",
        "reasons": "Threats to a former partner since release.",
        "why_not_level_1": "Police, Probation and Housing must act together.",
        "victims": VICTIMS,
        "level_proposed": "2", "category_proposed": "2",
        "contact_name": "Pat Referrer", "contact_telephone": "01534 000000",
        "agencies": [{"agency": police.pk, "contact_name": "Sam Contact",
                      "contact_email": "sam.contact@example.je"}],
    }
    body.update(fields)
    return body


@pytest.fixture
def submitted(practitioner):
    """Bob's referral, waiting for the Co-ordinator."""
    return make_referral(practitioner, family_name="Submitted")


@pytest.fixture
def draft(practitioner):
    return make_referral(practitioner, submit=False, family_name="Drafted")


@pytest.fixture
def accepted(coordinator, practitioner):
    """Bob's referral accepted at level 2: its case exists, Bob is on its team."""
    referral = make_referral(practitioner, family_name="Accepted")
    return referral_accept(referral=referral, actor=coordinator, level="2", category="2")


# -- create --------------------------------------------------------------------------------


def test_practitioner_of_any_agency_makes_a_draft_referral(practitioner, police, housing):
    response = api(practitioner).post(LIST, new_referral(police, agencies=[
        {"agency": police.pk, "contact_name": "Sam Contact", "contact_email": "s@example.je"},
        {"agency": housing.pk, "contact_name": "Hal Housing", "contact_telephone": "01534 1"},
    ]), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    referral = Referral.objects.get(pk=body["id"])
    assert response["Location"].endswith(f"{LIST}{referral.pk}/")
    assert response["ETag"] == '"1"'
    assert (body["status"], body["reference"], body["version"]) == ("draft",
                                                                    referral.reference, 1)
    assert (body["referred_by"], body["referring_agency"], body["lead_agency"]) == (
        practitioner.pk, police.pk, police.pk)
    assert [(row["agency"], row["contact_name"]) for row in body["agencies"]] == [
        (police.pk, "Sam Contact"), (housing.pk, "Hal Housing")]
    assert body["victims"] == VICTIMS
    assert (body["received_on"], body["meeting_due_by"], body["is_overdue"]) == (None, None,
                                                                                 False)
    created = AuditEvent.objects.get(action=Verb.CREATE, object_type="referrals.referral")
    assert (created.actor, created.channel) == (practitioner, Channel.API)


def test_a_user_of_no_agency_may_not_refer(police):
    response = api(make_user("nobody", agency=None)).post(LIST, new_referral(police),
                                                          format="json")
    assert response.status_code == 403
    assert not Referral.objects.exists()


def test_a_draft_may_be_saved_incomplete(practitioner):
    response = api(practitioner).post(LIST, {"given_names": "Reginald",
                                             "family_name": "Quayle"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["agencies"] == []


@pytest.mark.parametrize("fields, field", [
    ({"date_of_birth": "14/03/1975"}, "date_of_birth"),
    ({"date_of_birth": (timezone.localdate() + timedelta(days=1)).isoformat()},
     "date_of_birth"),
    ({"sexual_offence": "perhaps"}, "sexual_offence"),
    ({"given_names": ""}, "given_names"),
    ({"given_names": ["Reginald"]}, "given_names"),
    ({"urgency": "soon"}, "urgency"),
    ({"level_proposed": "1"}, "level_proposed"),
    ({"category_proposed": "7"}, "category_proposed"),
    ({"contact_email": "not an address"}, "contact_email"),
    ({"lead_agency": 999999}, "lead_agency"),
    ({"lead_agency": "police"}, "lead_agency"),
    ({"supervision_start": "2024-06-01", "supervision_end": "2024-01-01"}, "supervision_end"),
    ({"earliest_release_date": "next spring"}, "earliest_release_date"),
    ({"agencies": "Housing"}, "agencies"),
    ({"agencies": [{"agency": 999999, "contact_name": "Sam"}]}, "agencies"),
    ({"agencies": [{"agency": "housing", "contact_name": "Sam"}]}, "agencies"),
    ({"agencies": [{"contact_name": "Sam"}]}, "agencies"),
    ({"nominal": "R000001"}, "nominal"),
    ({"nominal": 999999}, "nominal"),
])
def test_bad_input_answers_400_with_field_errors_and_saves_nothing(practitioner, police,
                                                                   fields, field):
    response = api(practitioner).post(LIST, new_referral(police, **fields), format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors
    assert errors[field]
    assert not Referral.objects.exists()


def test_referrer_may_name_their_own_case_but_not_another(coordinator, practitioner, police):
    own = make_nominal(actor=coordinator, lead_agency=police, case_manager=practitioner)
    other = make_nominal(actor=coordinator)
    client = api(practitioner)
    response = client.post(LIST, new_referral(police, nominal=own.pk), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["nominal"] == own.pk
    hidden = client.post(LIST, new_referral(police, nominal=other.pk), format="json")
    missing = client.post(LIST, new_referral(police, nominal=other.pk + 1000), format="json")
    assert hidden.status_code == missing.status_code == 400
    # The answer is the same whether the case exists or not.
    assert hidden.json()["nominal"] == [
        missing.json()["nominal"][0].replace(str(other.pk + 1000), str(other.pk))]
    assert Referral.objects.count() == 1


# -- submit and the meeting-due date -------------------------------------------------------


def test_submit_stores_receipt_today_and_the_meeting_due_date(practitioner, draft):
    response = api(practitioner).post(detail(draft, "submit"), {"note": "Urgent housing"},
                                      format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    today = timezone.localdate()
    expected = rules.meeting_due_by(received_on=today, urgency="next_meeting",
                                    custody_status="community")
    assert body["status"] == "submitted"
    assert body["received_on"] == today.isoformat()
    assert body["meeting_due_by"] == expected.isoformat()
    assert expected > today + timedelta(days=15)  # 15 working days, weekends left out
    assert (body["is_overdue"], body["is_emergency"]) == (False, False)
    assert [(step["status"], step["note"], step["actor"]) for step in body["steps"]] == [
        ("submitted", "Urgent housing", practitioner.pk)]
    assert body["version"] == 2 and response["ETag"] == '"2"'


def test_an_emergency_referral_is_due_on_the_day_it_arrives(practitioner, police):
    client = api(practitioner)
    created = client.post(LIST, new_referral(police, urgency="emergency"), format="json")
    response = client.post(f"{LIST}{created.json()['id']}/submit/", format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["is_emergency"] is True
    assert body["meeting_due_by"] == body["received_on"] == timezone.localdate().isoformat()


def test_a_case_in_custody_is_due_six_months_before_temporary_release(practitioner, police):
    release = timezone.localdate() + timedelta(days=400)
    client = api(practitioner)
    created = client.post(LIST, new_referral(
        police, custody_status="custody", temporary_release_date=release.isoformat(),
        institution_contact="Offender Supervisor, HMP La Moye, 01534 111111",
    ), format="json")
    assert created.status_code == 201, created.content
    response = client.post(f"{LIST}{created.json()['id']}/submit/", format="json")
    assert response.status_code == 200, response.content
    assert response.json()["meeting_due_by"] == rules.months_before(release, 6).isoformat()


def test_a_referral_whose_meeting_date_has_passed_shows_as_overdue(practitioner, coordinator):
    referral = make_referral(practitioner, submit=False)
    referral_submit(referral=referral, actor=practitioner, on=date(2025, 4, 17))
    body = api(coordinator).get(detail(referral)).json()
    assert body["received_on"] == "2025-04-17"
    assert body["meeting_due_by"] == "2025-05-14"  # Easter and Liberation Day left out
    assert body["is_overdue"] is True


def test_an_incomplete_referral_cannot_be_submitted(practitioner, police):
    client = api(practitioner)
    created = client.post(LIST, new_referral(police, reasons="", agencies=[]), format="json")
    referral = Referral.objects.get(pk=created.json()["id"])
    response = client.post(detail(referral, "submit"), format="json")
    assert response.status_code == 400
    errors = response.json()
    assert {"reasons", "agencies"} <= errors.keys()
    assert all(isinstance(message, str) and message for message in errors["agencies"])
    referral.refresh_from_db()
    assert (referral.status, referral.received_on) == (ReferralStatus.DRAFT, None)


def test_an_agency_row_without_a_way_to_reach_the_person_cannot_be_submitted(practitioner,
                                                                              housing, police):
    client = api(practitioner)
    created = client.post(LIST, new_referral(police, agencies=[
        {"agency": housing.pk, "contact_name": "Hal Housing"}]), format="json")
    response = client.post(f"{LIST}{created.json()['id']}/submit/", format="json")
    assert response.status_code == 400
    assert "Hal Housing" in response.json()["agencies"][0]


def test_a_submitted_referral_is_not_submitted_again_nor_changed(practitioner, submitted):
    client = api(practitioner)
    assert client.post(detail(submitted, "submit"), format="json").status_code == 400
    response = client.patch(detail(submitted), {"version": submitted.version,
                                                "reasons": "Changed"}, format="json")
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.reasons != "Changed"


def test_submit_with_a_stale_version_answers_412(practitioner, draft):
    referral_update(referral=draft, actor=practitioner, version=1, address="Elsewhere")
    response = api(practitioner).post(detail(draft, "submit"), format="json",
                                      HTTP_IF_MATCH='"1"')
    assert response.status_code == 412
    assert response.json()["version"] == 2
    draft.refresh_from_db()
    assert draft.status == ReferralStatus.DRAFT


def test_only_the_referrer_submits(coordinator, practitioner, police, draft):
    colleague = make_user("dora", agency=police)
    police.spoc = colleague
    police.save()
    response = api(colleague).post(detail(draft, "submit"), format="json")
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == ReferralStatus.DRAFT


# -- change --------------------------------------------------------------------------------


def test_referrer_changes_the_draft_with_the_version_read(practitioner, housing, draft):
    client = api(practitioner)
    etag = client.get(detail(draft))["ETag"]
    response = client.patch(detail(draft), {
        "address": "3 Rue du Pont", "victims": None,
        "agencies": [{"agency": housing.pk, "contact_name": "Hal Housing",
                      "contact_telephone": "01534 2"}],
    }, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["address"], body["victims"], body["version"]) == ("3 Rue du Pont", "", 2)
    assert [row["agency"] for row in body["agencies"]] == [housing.pk]
    assert response["ETag"] == '"2"'
    draft.refresh_from_db()
    assert (draft.address, draft.version) == ("3 Rue du Pont", 2)
    change = AuditEvent.objects.get(action=Verb.CHANGE, object_type="referrals.referral")
    assert (change.actor, change.channel) == (practitioner, Channel.API)


def test_patch_with_a_stale_version_answers_412_and_saves_nothing(practitioner, draft):
    referral_update(referral=draft, actor=practitioner, version=1, address="Elsewhere")
    response = api(practitioner).patch(detail(draft), {
        "version": 1, "address": "Mine", "reasons": draft.reasons}, format="json")
    assert response.status_code == 412
    body = response.json()
    assert body["version"] == 2
    assert body["changed"] == {"address": "Elsewhere"}
    assert response["ETag"] == '"2"'
    draft.refresh_from_db()
    assert (draft.address, draft.version) == ("Elsewhere", 2)


def test_patch_without_a_version_is_refused_rather_than_risk_overwriting(practitioner,
                                                                         draft):
    client = api(practitioner)
    assert client.patch(detail(draft), {"address": "Mine"}, format="json").status_code == 428
    response = client.patch(detail(draft), {"address": "Mine"}, format="json",
                            HTTP_IF_MATCH="yesterday")
    assert response.status_code == 400
    assert "version" in response.json()
    response = client.patch(detail(draft), {"address": "Mine", "version": 2}, format="json",
                            HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.address != "Mine"


@pytest.mark.parametrize("fields, field", [
    ({"date_of_birth": "1975-13-01"}, "date_of_birth"),
    ({"sexual_offence": "sometimes"}, "sexual_offence"),
    ({"agencies": [{"agency": 999999, "contact_name": "Sam"}]}, "agencies"),
    ({"supervision_start": "2024-06-01", "supervision_end": "2024-01-01"}, "supervision_end"),
    ({"nominal": None}, "nominal"),
    ({"version": "latest"}, "version"),
])
def test_patch_bad_input_answers_400_with_field_errors(practitioner, draft, fields, field):
    response = api(practitioner).patch(detail(draft), {"version": 1, **fields}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    draft.refresh_from_db()
    assert draft.version == 1


def test_only_the_referrer_changes_the_referral(coordinator, submitted):
    response = api(coordinator).patch(detail(submitted), {"version": submitted.version,
                                                          "reasons": "Mine"}, format="json")
    assert response.status_code == 403


def test_a_referral_sent_back_must_stay_complete(coordinator, practitioner, submitted):
    referral_request_info(referral=submitted, actor=coordinator, note="Which address?")
    submitted.refresh_from_db()
    client = api(practitioner)
    response = client.patch(detail(submitted), {"version": submitted.version, "reasons": ""},
                            format="json")
    assert response.status_code == 400
    assert "reasons" in response.json()
    response = client.patch(detail(submitted), {"version": submitted.version,
                                                "address": "4 Rue du Pont"}, format="json")
    assert response.status_code == 200, response.content
    received_on = submitted.received_on
    response = client.post(detail(submitted, "submit"), format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    assert response.json()["received_on"] == received_on.isoformat()


# -- screening -----------------------------------------------------------------------------


def test_coordinator_accepts_at_level_2_and_a_record_is_created(coordinator, practitioner,
                                                                submitted):
    response = api(coordinator).post(detail(submitted, "accept"), {
        "level": "2", "category": "2", "note": "Meeting on the 12th"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["level_agreed"], body["category_agreed"]) == (
        "accepted", "2", "2")
    assert (body["screened_by"], body["decision_reason"]) == (coordinator.pk,
                                                             "Meeting on the 12th")
    nominal = Nominal.objects.get(pk=body["nominal"])
    assert (nominal.family_name, nominal.level) == ("Submitted", "2")
    assert access.can_view_nominal(practitioner, nominal)
    assert [step["status"] for step in body["steps"]] == ["submitted", "accepted"]


def test_accept_of_a_possible_duplicate_asks_which_record(coordinator, practitioner):
    existing = make_nominal(actor=coordinator, given_names="Reginald", family_name="Quayle",
                            date_of_birth=date(1975, 3, 14))
    referral = make_referral(practitioner, given_names="Reginald", family_name="Quayle",
                             date_of_birth=date(1975, 3, 14))
    client = api(coordinator)
    response = client.post(detail(referral, "accept"), {"level": "2", "category": "2"},
                           format="json")
    assert response.status_code == 400
    assert existing.reference in response.json()["nominal"][0]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED
    response = client.post(detail(referral, "accept"), {"level": "2", "category": "2",
                                                        "nominal": existing.pk},
                           format="json")
    assert response.status_code == 200, response.content
    assert response.json()["nominal"] == existing.pk
    assert Nominal.objects.count() == 1


def test_accept_may_create_a_new_record_despite_possible_duplicates(coordinator,
                                                                    practitioner):
    make_nominal(actor=coordinator, given_names="Reginald", family_name="Quayle",
                 date_of_birth=date(1975, 3, 14))
    referral = make_referral(practitioner, given_names="Reginald", family_name="Quayle",
                             date_of_birth=date(1975, 3, 14))
    response = api(coordinator).post(detail(referral, "accept"), {
        "level": "3", "category": "2", "create_new": True}, format="json")
    assert response.status_code == 200, response.content
    assert Nominal.objects.count() == 2


def test_accept_at_category_3_needs_the_two_tests(coordinator, submitted):
    client = api(coordinator)
    response = client.post(detail(submitted, "accept"), {"level": "2", "category": "3"},
                           format="json")
    assert response.status_code == 400
    assert "§3.9" in str(response.json())
    submitted.refresh_from_db()
    assert submitted.status == ReferralStatus.SUBMITTED
    response = client.post(detail(submitted, "accept"), {
        "level": "2", "category": "3", "cat3_capacity_for_serious_harm": True,
        "cat3_needs_multi_agency_management": True, "cat3_disposal": "conviction",
    }, format="json")
    assert response.status_code == 200, response.content
    assert Nominal.objects.get(pk=response.json()["nominal"]).category == Category.THREE


@pytest.mark.parametrize("fields, field", [
    ({"level": "1"}, "level"),
    ({"level": "9"}, "level"),
    ({"level": 2.5}, "level"),
    ({"category": "unknown"}, "category"),
    ({"category": None}, "category"),
    ({"create_new": "maybe"}, "create_new"),
    ({"nominal": 999999}, "nominal"),
    ({"nominal": "Quayle"}, "nominal"),
    ({"cat3_disposal": "fine"}, "cat3_disposal"),
])
def test_accept_bad_input_answers_400_with_field_errors(coordinator, submitted, fields,
                                                        field):
    response = api(coordinator).post(detail(submitted, "accept"),
                                     {"level": "2", "category": "2", **fields}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    submitted.refresh_from_db()
    assert submitted.status == ReferralStatus.SUBMITTED


def test_rejected_referral_tells_the_referring_agency_why(coordinator, practitioner,
                                                          submitted):
    client = api(coordinator)
    for body in ({}, {"reason": "   "}):
        response = client.post(detail(submitted, "reject"), body, format="json")
        assert response.status_code == 400
        assert "reason" in response.json()
    response = client.post(detail(submitted, "reject"),
                           {"reason": "No risk of serious harm identified"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rejected"
    seen = api(practitioner).get(detail(submitted)).json()
    assert (seen["status_display"], seen["decision_reason"]) == (
        "Rejected", "No risk of serious harm identified")


def test_request_info_sends_the_referral_back_with_the_note(coordinator, practitioner,
                                                            submitted):
    client = api(coordinator)
    response = client.post(detail(submitted, "request-info"), {"note": ""}, format="json")
    assert response.status_code == 400
    assert "note" in response.json()
    response = client.post(detail(submitted, "request-info"),
                           {"note": "Which prison is he in?"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "info_requested"
    assert response.json()["steps"][-1]["note"] == "Which prison is he in?"


def test_confirm_level_1_records_the_case_at_level_1(coordinator, submitted):
    client = api(coordinator)
    response = client.post(detail(submitted, "confirm-level-1"), {"category": "3"},
                           format="json")
    assert response.status_code == 400
    assert "category" in response.json()
    response = client.post(detail(submitted, "confirm-level-1"),
                           {"category": "2", "note": "Lead agency arranges a discussion"},
                           format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["level_agreed"]) == ("level_1", "1")
    assert Nominal.objects.get(pk=body["nominal"]).level == "1"


def test_a_sex_offender_cannot_be_closed_without_a_meeting(coordinator, practitioner):
    sexual = make_referral(practitioner, sexual_offence=True)
    category_1 = make_referral(practitioner, category_proposed=Category.ONE)
    client = api(coordinator)
    response = client.post(detail(sexual, "reject"), {"reason": "Not eligible"},
                           format="json")
    assert response.status_code == 400
    assert response.json()["reason"] == [SEX_OFFENDER_MESSAGE]
    for referral, category in ((sexual, "2"), (category_1, "2"), (sexual, "1")):
        response = client.post(detail(referral, "confirm-level-1"), {"category": category},
                               format="json")
        assert response.status_code == 400
        assert SEX_OFFENDER_MESSAGE in str(response.json())
    assert set(Referral.objects.values_list("status", flat=True)) == {"submitted"}
    response = client.post(detail(sexual, "accept"), {"level": "2", "category": "1"},
                           format="json")
    assert response.status_code == 200, response.content


def test_a_screened_referral_is_not_screened_again(coordinator, accepted):
    response = api(coordinator).post(detail(accepted, "reject"), {"reason": "Changed mind"},
                                     format="json")
    assert response.status_code == 400
    assert "already been screened" in str(response.json())


@pytest.mark.parametrize("verb, body", [
    ("accept", {"level": "2", "category": "2"}),
    ("reject", {"reason": "No"}),
    ("request-info", {"note": "More"}),
    ("confirm-level-1", {"category": "2"}),
])
def test_a_practitioner_who_sees_the_referral_may_not_screen_it(practitioner, submitted,
                                                                verb, body):
    response = api(practitioner).post(detail(submitted, verb), body, format="json")
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ReferralStatus.SUBMITTED


# -- who sees what -------------------------------------------------------------------------


def test_another_agency_not_on_the_case_gets_404_and_an_empty_list(outsider, practitioner,
                                                                   submitted, accepted, draft):
    client = api(outsider)
    for referral in (submitted, accepted, draft):
        assert client.get(detail(referral)).json() == {"detail": "Not found."}
        assert client.get(detail(referral)).status_code == 404
        assert client.post(detail(referral, "submit"), format="json").status_code == 404
        assert client.post(detail(referral, "accept"), {"level": "2", "category": "2"},
                           format="json").status_code == 404
        assert client.patch(detail(referral), {"version": 1, "address": "X"},
                            format="json").status_code == 404
    assert listed(client.get(LIST)) == set()
    assert listed(api(practitioner).get(LIST)) == {submitted.pk, accepted.pk, draft.pk}


def test_the_coordinator_sees_submitted_referrals_but_not_drafts(coordinator, submitted,
                                                                 draft):
    assert listed(api(coordinator).get(LIST)) == {submitted.pk}
    assert api(coordinator).get(detail(draft)).status_code == 404


def test_the_spoc_sees_their_agencys_referrals(practitioner, police, housing, submitted,
                                               draft):
    spoc = make_user("dora", agency=police)
    police.spoc = spoc
    police.save()
    other_spoc = make_user("hugh", agency=housing)
    housing.spoc = other_spoc
    housing.save()
    assert listed(api(spoc).get(LIST)) == {submitted.pk, draft.pk}
    assert api(spoc).get(detail(submitted)).json()["status"] == "submitted"
    assert listed(api(other_spoc).get(LIST)) == set()


def test_retrieve_writes_one_audit_event_on_the_api_channel_with_the_case(practitioner,
                                                                         accepted):
    client = api(practitioner)
    before = AuditEvent.objects.count()
    response = client.get(detail(accepted))
    assert response.status_code == 200
    assert response["ETag"] == f'"{accepted.version}"'
    event = AuditEvent.objects.order_by("id")[before:].get()
    assert (event.action, event.channel, event.actor) == (Verb.VIEW, Channel.API,
                                                          practitioner)
    assert (event.object_type, event.object_id, event.case_id) == (
        "referrals.referral", str(accepted.pk), accepted.nominal_id)


def test_victims_are_null_for_someone_on_the_case_without_the_victim_permission(
    coordinator, accepted, housing
):
    reader = make_user("hazel", agency=housing)
    add_to_team(accepted.nominal, reader, TeamRole.AGENCY_CONTACT, actor=coordinator)
    body = api(reader).get(detail(accepted)).json()
    assert body["victims"] is None
    assert body["reasons"]
    assert VICTIMS not in str(api(reader).get(LIST).json())
    assert [row["victims"] for row in api(reader).get(LIST).json()["results"]] == [None]
    for user in (coordinator, accepted.referred_by):
        assert api(user).get(detail(accepted)).json()["victims"] == VICTIMS


def test_the_victim_permission_on_the_case_opens_the_referrals_victims(coordinator, accepted,
                                                                       housing):
    reader = make_user("hazel", agency=housing)
    add_to_team(accepted.nominal, reader, TeamRole.AGENCY_CONTACT, actor=coordinator,
                sees_victims=True)
    assert api(reader).get(detail(accepted)).json()["victims"] == VICTIMS
    assert api(reader).get(LIST).json()["results"][0]["victims"] == VICTIMS


def test_a_page_of_victims_is_decided_as_for_one_referral(coordinator, practitioner, police,
                                                          housing, accepted, submitted,
                                                          draft):
    other = make_referral(make_user(agency=housing), family_name="Other")
    other = referral_accept(referral=other, actor=coordinator, level="2", category="2",
                            create_new=True)
    with_permission, without = make_user(agency=housing), make_user(agency=police)
    add_to_team(other.nominal, with_permission, actor=coordinator, sees_victims=True)
    add_to_team(accepted.nominal, without, actor=coordinator)
    add_to_team(other.nominal, without, actor=coordinator)
    referrals = list(Referral.objects.select_related("nominal"))
    for user in (coordinator, practitioner, with_permission, without):
        expected = {r.pk for r in referrals if access.can_view_referral_victims(user, r)}
        assert access.referrals_with_visible_victims(user, referrals) == expected


# -- list ----------------------------------------------------------------------------------


def test_list_filters_by_status_and_open(coordinator, practitioner, submitted, accepted,
                                         draft):
    client = api(practitioner)
    assert listed(client.get(LIST, {"status": "draft"})) == {draft.pk}
    assert listed(client.get(LIST, {"open": "true"})) == {submitted.pk}
    assert listed(client.get(LIST, {"open": "false"})) == {submitted.pk, accepted.pk,
                                                           draft.pk}
    body = client.get(LIST).json()
    assert [row["id"] for row in body["results"]] == [submitted.pk, draft.pk, accepted.pk]


@pytest.mark.parametrize("params, field", [
    ({"status": "pending"}, "status"),
    ({"open": "perhaps"}, "open"),
])
def test_bad_filter_value_answers_400_with_field_errors(practitioner, params, field):
    response = api(practitioner).get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()


def test_list_query_count_does_not_grow_with_rows(coordinator, practitioner, police, housing):
    reader = make_user("hazel", agency=housing)
    clients = {"coordinator": api(coordinator), "referrer": api(practitioner),
               "team member": api(reader)}
    for client in clients.values():
        client.get(LIST)  # the token's first use is recorded once

    def add_referral():
        referral = make_referral(practitioner, agencies=[
            {"agency": police, "contact_name": "Sam", "contact_email": "s@example.je"},
            {"agency": housing, "contact_name": "Hal", "contact_telephone": "01534 1"}])
        referral = referral_accept(referral=referral, actor=coordinator, level="2",
                                   category="2", create_new=True)
        add_to_team(referral.nominal, reader, actor=coordinator)

    def count_queries(client):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.json()["results"])

    for _ in range(2):
        add_referral()
    few = {name: count_queries(client) for name, client in clients.items()}
    for _ in range(6):
        add_referral()
    many = {name: count_queries(client) for name, client in clients.items()}
    assert {name: rows for name, (_, rows) in few.items()} == dict.fromkeys(clients, 2)
    assert {name: rows for name, (_, rows) in many.items()} == dict.fromkeys(clients, 8)
    assert {name: queries for name, (queries, _) in many.items()} == {
        name: queries for name, (queries, _) in few.items()}


# -- the schema ----------------------------------------------------------------------------


def test_openapi_schema_validates_without_warnings_and_describes_referrals(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    paths = schema["paths"]
    for verb in ("submit", "accept", "reject", "request-info", "confirm-level-1"):
        assert "400" in paths[f"/api/v1/referrals/{{id}}/{verb}/"]["post"]["responses"]
    assert {"412", "428"} <= paths["/api/v1/referrals/{id}/"]["patch"]["responses"].keys()
    assert "put" not in paths["/api/v1/referrals/{id}/"]
    parameters = {p["name"] for p in paths["/api/v1/referrals/"]["get"]["parameters"]}
    assert {"status", "open"} <= parameters
    victims = schema["components"]["schemas"]["Referral"]["properties"]["victims"]
    assert victims["nullable"] is True
    assert "Null when you may not read them" in victims["description"]
