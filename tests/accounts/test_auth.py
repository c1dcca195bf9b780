import time

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from jmappa.accounts.signals import SESSION_STARTED_KEY
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password, address="127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_pages_need_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_lands_on_the_home_page(client, practitioner):
    response = sign_in(client, "bob", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "Welcome, Bob" in client.get(reverse("home")).content.decode()


def test_wrong_password_says_so_and_keeps_the_username(client, practitioner):
    response = sign_in(client, "bob", "not-my-password")
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "The username or password is not right" in body
    assert 'value="bob"' in body


def test_account_locks_after_five_failed_sign_ins_even_with_the_right_password(client,
                                                                               practitioner):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(5):
        sign_in(client, "bob", "guess")
    response = sign_in(client, "bob", PASSWORD)
    assert response.status_code == 429
    assert "This account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account_not_per_office(client, practitioner, outsider):
    for _ in range(5):
        sign_in(client, "bob", "guess")
    # Charlie signs in from the same address: his account is not locked.
    response = sign_in(Client(), "charlie", PASSWORD)
    assert response.status_code == 302


def test_five_wrong_passwords_from_one_address_do_not_lock_the_username_from_another(
        client, practitioner):
    for _ in range(5):
        sign_in(Client(), "bob", "guess", address="203.0.113.9")
    assert sign_in(Client(), "bob", PASSWORD, address="203.0.113.9").status_code == 429
    # Bob, at his own desk, still signs in.
    response = sign_in(client, "bob", PASSWORD, address="10.1.2.3")
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_spraying_twenty_usernames_from_one_address_locks_that_address(client, practitioner):
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 20
    for number in range(19):
        sign_in(Client(), f"someone{number}", "Winter2026!", address="203.0.113.9")
    assert sign_in(Client(), "bob", "Winter2026!", address="203.0.113.9").status_code == 429
    # The address is locked, for Bob's right password too; elsewhere Bob is not.
    assert sign_in(client, "bob", PASSWORD, address="203.0.113.9").status_code == 429
    assert "_auth_user_id" not in client.session
    assert sign_in(Client(), "bob", PASSWORD, address="10.1.2.3").status_code == 302


def test_signing_in_to_one_account_does_not_clear_an_address_spraying_others(practitioner):
    for number in range(19):
        sign_in(Client(), f"someone{number}", "Winter2026!", address="203.0.113.9")
    assert sign_in(Client(), "bob", PASSWORD, address="203.0.113.9").status_code == 302
    assert sign_in(Client(), "someone20", "guess", address="203.0.113.9").status_code == 429


def test_session_expires_after_thirty_idle_minutes_and_is_renewed_by_activity(
    practitioner_client,
):
    practitioner_client.get(reverse("home"))
    assert practitioner_client.session.get_expiry_age() == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request pushes the expiry back


def test_session_ends_twelve_hours_after_sign_in_however_active(practitioner_client):
    session = practitioner_client.session
    session[SESSION_STARTED_KEY] = time.time() - 12 * 60 * 60 - 1
    session.save()
    response = practitioner_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    # Signed out for good: the next request does not get in either.
    assert practitioner_client.get(reverse("home")).status_code == 302


def test_session_within_twelve_hours_stays_signed_in(practitioner_client):
    session = practitioner_client.session
    session[SESSION_STARTED_KEY] = time.time() - 11 * 60 * 60
    session.save()
    assert practitioner_client.get(reverse("home")).status_code == 200


def test_sign_in_form_is_protected_by_csrf(practitioner):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 403


def test_sign_out_needs_post_and_ends_the_session(practitioner_client):
    assert practitioner_client.get(reverse("logout")).status_code == 405
    practitioner_client.post(reverse("logout"))
    assert practitioner_client.get(reverse("home")).status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, practitioner):
    practitioner.email = "bob@example.je"
    practitioner.save()
    client.post(reverse("password_reset"), {"email": "bob@example.je"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "a-brand-new-passphrase",
                                      "new_password2": "a-brand-new-passphrase"})
    assert response.status_code == 302
    assert sign_in(Client(), "bob", "a-brand-new-passphrase").status_code == 302


def test_password_change_with_mismatch_shows_errors_beside_fields(practitioner_client):
    response = practitioner_client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "first-new-passphrase",
        "new_password2": "second-new-passphrase",
    })
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'href="#id_new_password2"' in body
    assert 'aria-invalid="true"' in body
