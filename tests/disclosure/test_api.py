"""/api/v1/disclosures/ and /api/v1/minutes-requests/: the same access rules as the pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from rest_framework.test import APIClient

from disclosure.models import Disclosure, MinutesRequest
from disclosure.services import requests

from .conftest import agreed_fields

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(nominal, senior_officer, **overrides) -> dict:
    fields = agreed_fields(**overrides)
    fields["planned_by"] = fields["planned_by"].isoformat()
    return {"case": nominal.pk, "endorser": senior_officer.pk, **fields}


def test_a_chair_records_a_disclosure_through_the_api(nominal, meeting, coordinator,
                                                      senior_officer):
    answer = api(coordinator).post("/api/v1/disclosures/",
                                   {**_body(nominal, senior_officer), "meeting": meeting.pk},
                                   format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["status"] == "agreed" and answer.json()["meeting"] == meeting.pk


def test_the_offender_not_told_rule_answers_400_with_the_field(nominal, coordinator,
                                                              senior_officer):
    answer = api(coordinator).post("/api/v1/disclosures/",
                                   _body(nominal, senior_officer, offender_told=False),
                                   format="json")
    assert answer.status_code == 400
    assert "recipient_told_offender_unaware" in answer.json()
    assert not Disclosure.objects.exists()


def test_an_endorser_below_chief_officer_grade_answers_400(nominal, coordinator,
                                                          superintendent):
    answer = api(coordinator).post("/api/v1/disclosures/", _body(nominal, superintendent),
                                   format="json")
    assert answer.status_code == 400 and "endorser" in answer.json()


def test_another_agencys_disclosure_is_404_and_absent_from_the_list(agreed, outsider, police,
                                                                    nominal):
    from tests.factories import add_to_team, make_user

    colleague = make_user("dave", agency=police)
    add_to_team(nominal, colleague)
    for user in (outsider, colleague):
        client = api(user)
        assert client.get(f"/api/v1/disclosures/{agreed.pk}/").status_code == 404
        assert client.get("/api/v1/disclosures/").json()["results"] == []


def test_the_permission_holder_reads_the_disclosure(agreed, practitioner):
    answer = api(practitioner).get(f"/api/v1/disclosures/{agreed.pk}/")
    assert answer.status_code == 200 and answer.json()["recipient_name"] == "Gerald Pallot"


def test_an_outsider_cannot_record_a_disclosure_on_a_case_they_do_not_see(
        nominal, outsider, senior_officer):
    answer = api(outsider).post("/api/v1/disclosures/", _body(nominal, senior_officer),
                                format="json")
    assert answer.status_code == 400 and "case" in answer.json()


def test_a_request_for_minutes_is_logged_and_listed(nominal, practitioner, coordinator):
    answer = api(practitioner).post("/api/v1/minutes-requests/", {
        "case": nominal.pk, "requester_kind": "court", "requester_name": "The Royal Court",
        "received_on": date.today().isoformat(), "chair": coordinator.pk,
        "what_is_sought": "The minutes."}, format="json")
    assert answer.status_code == 201, answer.json()
    listed = api(coordinator).get("/api/v1/minutes-requests/?outcome=open").json()
    assert [row["id"] for row in listed["results"]] == [answer.json()["id"]]


def test_a_request_outside_is_404(nominal, coordinator, outsider):
    item = requests.minutes_request_log(
        nominal=nominal, actor=coordinator, requester_kind="court", requester_name="Court",
        received_on=date.today() - timedelta(days=1), chair=coordinator,
        what_is_sought="x")
    assert api(outsider).get(f"/api/v1/minutes-requests/{item.pk}/").status_code == 404
    assert api(outsider).get("/api/v1/minutes-requests/").json()["results"] == []
    assert MinutesRequest.objects.count() == 1


def test_a_request_with_a_bad_filter_answers_400(coordinator):
    assert api(coordinator).get("/api/v1/minutes-requests/?outcome=nonsense").status_code \
        == 400
