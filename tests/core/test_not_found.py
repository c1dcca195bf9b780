"""A page not found shows the service's own 404 page, whatever DEBUG says (never Django's
debug page listing the site's URL patterns); `make run` links emails to what it serves."""

from __future__ import annotations

import pytest
from django.test import override_settings

from jmappa.run import site_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_address_shows_the_services_404_page(practitioner_client, debug):
    with override_settings(DEBUG=debug):
        response = practitioner_client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body and "govuk-heading-l" in body
    assert "URLconf" not in body and "api/v1/" not in body


@pytest.mark.parametrize("debug", [False, True])
def test_a_record_not_shared_shows_the_services_404_page(practitioner_client, debug):
    with override_settings(DEBUG=debug):
        response = practitioner_client.get("/cases/999999/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Raised by" not in response.content.decode()


def test_an_address_missing_its_final_slash_is_still_redirected(practitioner_client):
    response = practitioner_client.get("/alerts")
    assert response.status_code == 301 and response["Location"] == "/alerts/"


@pytest.mark.parametrize("address,url", [
    ("127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("0.0.0.0:8080", "http://localhost:8080"),
    ("jmappa.local:9000", "http://jmappa.local:9000"),
    ("[::1]:8000", "http://[::1]:8000"),
])
def test_make_run_links_emails_to_the_address_it_serves(address, url):
    assert site_url(address) == url
