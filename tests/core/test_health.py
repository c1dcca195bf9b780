import socket

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_database_and_redis_answer(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok"}


def test_healthz_answers_503_naming_redis_when_redis_is_down(client, settings):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "unavailable"}


def test_healthz_needs_no_sign_in(client):
    assert client.get(reverse("healthz")).status_code == 200
