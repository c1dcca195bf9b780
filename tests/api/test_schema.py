import pytest
import yaml
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_openapi_schema_describes_the_api_for_signed_in_users(practitioner_client):
    response = practitioner_client.get(reverse("api-schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/agencies/{id}/" in schema["paths"]
    assert "/api/v1/me/" in schema["paths"]


def test_api_docs_are_served_from_the_projects_own_static_files(practitioner_client):
    response = practitioner_client.get(reverse("api-docs"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "swagger-ui" in body and "cdn.jsdelivr" not in body


def test_schema_is_not_public(client):
    assert client.get(reverse("api-schema")).status_code in (401, 403)


def test_reject_declares_its_reason_required():
    from tests.helpers import api_schema

    schema = api_schema()
    body = schema["paths"]["/api/v1/referrals/{id}/reject/"]["post"]["requestBody"]
    reject = body["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert "reason" in schema["components"]["schemas"][reject].get("required", [])
    assert body.get("required") is True


def test_every_paginated_list_documents_its_answer_to_a_page_beyond_the_last(
        coordinator_client, coordinator):
    from tests.factories import make_nominal
    from tests.helpers import api_schema

    make_nominal(actor=coordinator, case_manager=coordinator)
    schema = api_schema()
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if not get or "{" in path or not any(p["name"] == "page"
                                             for p in get.get("parameters", [])):
            continue
        response = coordinator_client.get(path, {"page": 999})
        assert str(response.status_code) in get["responses"], (path, response.status_code)


def test_a_refusal_is_logged_in_one_line_without_a_traceback(practitioner_client, caplog):
    with caplog.at_level("WARNING"):
        response = practitioner_client.get(reverse("audit:list"))
    assert response.status_code == 403
    refusals = [record for record in caplog.records if record.name == "django.request"]
    assert refusals and all(record.exc_info is None for record in refusals)
    assert "Traceback" not in caplog.text
