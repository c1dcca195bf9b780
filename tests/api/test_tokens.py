from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from jmappa.accounts.models import ApiToken
from jmappa.accounts.services import api_token_issue, api_token_revoke
from jmappa.audit.models import AuditEvent, Channel, Verb
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def token_client(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def test_api_token_command_prints_a_token_that_authenticates_as_that_user(practitioner,
                                                                          capsys):
    call_command("api_token", "bob")
    raw = capsys.readouterr().out.strip()
    response = token_client(raw).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "bob"


def test_api_token_is_stored_only_as_a_digest(practitioner):
    raw = api_token_issue(user=practitioner, actor=None)
    token = ApiToken.objects.get()
    assert raw not in {token.digest, token.prefix}
    assert token.digest == ApiToken.digest_of(raw)
    assert not ApiToken.objects.filter(digest=raw).exists()


def test_api_token_expires_after_ninety_days_by_default(practitioner):
    api_token_issue(user=practitioner, actor=None)
    lifetime = ApiToken.objects.get().expires_at - timezone.now()
    assert timedelta(days=89, hours=23) < lifetime <= timedelta(days=90)


def test_expired_token_gets_401(practitioner):
    raw = api_token_issue(user=practitioner, actor=None)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = token_client(raw).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has expired."


def test_revoked_token_gets_401(practitioner, coordinator):
    raw = api_token_issue(user=practitioner, actor=None)
    api_token_revoke(token=ApiToken.objects.get(), actor=coordinator)
    response = token_client(raw).get("/api/v1/me/")
    assert response.status_code == 401
    revoke = AuditEvent.objects.filter(action=Verb.CHANGE, object_type="accounts.apitoken")
    assert revoke.get().actor == coordinator


def test_token_of_a_deactivated_user_gets_401(practitioner):
    raw = api_token_issue(user=practitioner, actor=None)
    practitioner.is_active = False
    practitioner.save()
    assert token_client(raw).get("/api/v1/me/").status_code == 401


def test_revoking_a_token_in_the_admin(client, practitioner, police):
    from tests.factories import make_user

    raw = api_token_issue(user=practitioner, actor=None)
    sign_in(client, make_user("root", agency=police, is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:accounts_apitoken_changelist"), {
        "action": "revoke", "_selected_action": [ApiToken.objects.get().pk],
    })
    assert response.status_code == 302
    assert token_client(raw).get("/api/v1/me/").status_code == 401


def test_unknown_token_and_no_credentials_get_401(db):
    assert token_client("not-a-token").get("/api/v1/me/").status_code == 401
    response = APIClient().get("/api/v1/agencies/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_token_works_on_every_api_v1_endpoint(practitioner, police):
    client = token_client(api_token_issue(user=practitioner, actor=None))
    assert client.get("/api/v1/agencies/").status_code == 200
    assert client.get(f"/api/v1/agencies/{police.pk}/").status_code == 200


def test_api_read_of_an_object_writes_one_audit_event_on_the_api_channel(practitioner,
                                                                         police):
    client = token_client(api_token_issue(user=practitioner, actor=None))
    before = AuditEvent.objects.count()
    client.get(f"/api/v1/agencies/{police.pk}/")
    event = AuditEvent.objects.order_by("id")[before:].get()
    assert (event.action, event.channel, event.actor) == (Verb.VIEW, Channel.API,
                                                          practitioner)
    assert event.object_id == str(police.pk)


def test_api_answers_404_without_saying_more(practitioner):
    client = token_client(api_token_issue(user=practitioner, actor=None))
    response = client.get("/api/v1/agencies/999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_api_token_command_refuses_an_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no user called 'nobody'"):
        call_command("api_token", "nobody")
