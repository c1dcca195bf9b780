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
