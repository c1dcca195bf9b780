"""The second factor (TOTP with recovery codes), who must use it, and the ways around it that
are closed: the admin, the API's session, API token issue, password reset; and a password
change that ends the user's API tokens."""

from datetime import datetime, timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from jmappa import access
from jmappa.accounts.models import ApiToken, Role
from jmappa.accounts.services import api_token_issue
from jmappa.audit.models import AuditEvent, Verb
from tests.factories import PASSWORD, add_to_team, make_nominal, make_user
from tests.helpers import second_factor_device, sign_in, totp_code

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/verify/"
ENROL = "/accounts/second-factor/set-up/"


def password_only(client, user):
    """Signed in with the password, the second factor not yet given."""
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


def next_code(device) -> str:
    """The code of the next 30-second step: django-otp refuses a code already used."""
    device.refresh_from_db()
    return totp_code(device, at=(device.last_t + 1) * device.step + device.t0
                     if device.last_t >= 0 else None)


@pytest.fixture
def administrator(police):
    return make_user("dora", roles=[Role.ADMINISTRATOR], agency=police, is_staff=True)


# -- who must use it ------------------------------------------------------------------------


def test_must_use_mfa_the_coordinator_administrators_and_victim_permission_holders(
    coordinator, administrator, practitioner, outsider
):
    nominal = make_nominal()
    add_to_team(nominal, outsider, sees_victims=True)
    assert access.must_use_mfa(coordinator)
    assert access.must_use_mfa(administrator)
    assert access.must_use_mfa(outsider)
    assert not access.must_use_mfa(practitioner)


def test_coordinator_without_second_factor_is_redirected_from_a_case_page_admin_and_api(
    client, coordinator
):
    second_factor_device(coordinator)
    nominal = make_nominal()
    password_only(client, coordinator)

    case_page = client.get(f"/cases/{nominal.pk}/")
    assert case_page.status_code == 302
    assert case_page.url == f"{VERIFY}?next=/cases/{nominal.pk}/"
    admin = client.get("/admin/")
    assert admin.status_code == 302 and admin.url.startswith(VERIFY)
    api = client.get("/api/v1/offenders/")
    assert api.status_code == 403
    assert "second factor" in api.json()["detail"]


def test_api_session_of_an_unverified_coordinator_is_refused_with_any_client(coordinator):
    second_factor_device(coordinator)
    client = password_only(APIClient(), coordinator)
    assert client.get("/api/v1/me/").status_code == 403
    sign_in(client, coordinator)
    assert client.get("/api/v1/me/").status_code == 200


def test_coordinator_with_no_device_yet_is_sent_to_set_one_up(client, coordinator):
    password_only(client, coordinator)
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(ENROL)


def test_victim_permission_holder_must_use_mfa(client, outsider):
    add_to_team(make_nominal(), outsider, sees_victims=True)
    password_only(client, outsider)
    assert client.get("/").url.startswith(ENROL)


def test_practitioner_may_go_without_a_second_factor_but_once_set_up_it_is_asked(
    client, practitioner
):
    password_only(client, practitioner)
    assert client.get("/").status_code == 200
    second_factor_device(practitioner)
    assert client.get("/").url.startswith(VERIFY)


def test_admin_site_asks_a_second_factor_even_of_staff_who_need_none_elsewhere(client, police):
    staff = make_user("ed", roles=[Role.PRACTITIONER], agency=police, is_staff=True)
    password_only(client, staff)
    assert client.get("/").status_code == 200
    assert client.get("/admin/").url.startswith(ENROL)


def test_signing_in_at_the_admin_login_still_asks_the_second_factor(client, police):
    root = make_user("root", agency=police, is_staff=True, is_superuser=True)
    second_factor_device(root)
    client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    assert "_auth_user_id" in client.session
    assert client.get("/admin/").url.startswith(VERIFY)
    assert client.get("/admin/accounts/user/").url.startswith(VERIFY)


# -- verifying ------------------------------------------------------------------------------


def test_verify_with_a_good_code_lets_the_user_in_and_renews_the_session(client, coordinator):
    device = second_factor_device(coordinator)
    password_only(client, coordinator)
    before = client.session.session_key

    response = client.post(VERIFY, {"code": totp_code(device), "next": "/cases/"})

    assert response.status_code == 302 and response.url == "/cases/"
    assert is_verified(client)
    assert client.session.session_key != before
    assert client.get("/cases/").status_code == 200
    assert AuditEvent.objects.filter(action=Verb.LOGIN, actor=coordinator,
                                     detail__contains="Second factor").exists()


def test_verify_refuses_an_offsite_next(client, coordinator):
    device = second_factor_device(coordinator)
    password_only(client, coordinator)
    response = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/"})
    assert response.url == "/"


def test_verify_with_a_bad_code_is_refused_and_counted_as_a_failed_sign_in(client, coordinator):
    device = second_factor_device(coordinator)
    password_only(client, coordinator)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(VERIFY, {"code": wrong})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not is_verified(client)
    assert client.get("/").url.startswith(VERIFY)
    assert AccessAttempt.objects.get(username="alice").failures_since_start == 1
    assert AuditEvent.objects.filter(action=Verb.LOGIN_FAILED, actor_username="alice").count() == 1
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_repeated_bad_codes_lock_the_account_and_sign_out(client, coordinator, settings):
    device = second_factor_device(coordinator)
    password_only(client, coordinator)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(VERIFY, {"code": "000000" if totp_code(device) != "000000"
                                         else "111111"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Locked: the right password no longer signs in either.
    again = Client().post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert again.status_code == 429


def test_recovery_code_works_once(client, coordinator):
    second_factor_device(coordinator)
    password_only(client, coordinator)
    response = client.post(ENROL.replace("set-up", "recovery-codes"))
    assert response.status_code == 302  # new codes need a verified session
    sign_in(client, coordinator)
    codes = client.post(reverse("second_factor:recovery_codes")).context["codes"]
    assert len(codes) == 10

    first = Client()
    password_only(first, coordinator)
    assert first.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert is_verified(first)

    second = Client()
    password_only(second, coordinator)
    assert second.post(VERIFY, {"code": codes[0]}).status_code == 200
    assert not is_verified(second)
    assert StaticToken.objects.filter(device__user=coordinator).count() == 9


# -- setting it up --------------------------------------------------------------------------


def test_enrolment_shows_the_secret_as_qr_code_and_text_and_confirms_with_a_code(
    client, coordinator
):
    password_only(client, coordinator)
    page = client.get(ENROL)
    body = page.content.decode()
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert "<svg" in body and page.context["secret"].replace(" ", "") in device.config_url
    assert "http" not in body.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", "")
    # The same secret on a second visit, until confirmed.
    assert client.get(ENROL).context["secret"] == page.context["secret"]

    assert client.post(ENROL, {"code": "12345"}).status_code == 200
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()  # as a second later: django-otp slows tries after a wrong code
    response = client.post(ENROL, {"code": next_code(device), "next": "/cases/"})

    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    assert TOTPDevice.objects.get(user=coordinator).confirmed
    assert is_verified(client)
    assert client.get("/cases/").status_code == 200


def test_enrolment_cannot_replace_a_device_without_proving_it_first(client, coordinator):
    second_factor_device(coordinator)
    password_only(client, coordinator)
    response = client.get(ENROL)
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert client.post(ENROL, {"code": "123456"}).url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1


def test_manage_page_shows_codes_left_and_cannot_turn_off_a_required_factor(client,
                                                                            coordinator):
    sign_in(client, coordinator)
    page = client.get(reverse("second_factor:manage"))
    assert page.status_code == 200
    assert "cannot be turned off" in page.content.decode()
    assert client.post(reverse("second_factor:remove")).status_code == 403
    assert TOTPDevice.objects.filter(user=coordinator).exists()


def test_practitioner_may_turn_off_their_optional_second_factor(client, practitioner):
    sign_in(client, practitioner)
    assert client.post(reverse("second_factor:remove")).status_code == 302
    assert not TOTPDevice.objects.filter(user=practitioner).exists()
    assert client.get("/").status_code == 200


def test_second_factor_pages_need_sign_in(client):
    for name in ("verify", "enrol", "manage"):
        response = client.get(reverse(f"second_factor:{name}"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


# -- API tokens -----------------------------------------------------------------------------


def test_token_issue_refused_without_verification(rf, coordinator, practitioner):
    request = rf.get("/")
    request.session = Client().session
    request.user = coordinator
    from django_otp.middleware import OTPMiddleware

    OTPMiddleware(lambda r: None)(request)
    with pytest.raises(PermissionDenied):
        api_token_issue(user=practitioner, actor=request.user)
    assert not ApiToken.objects.exists()

    import django_otp

    django_otp.login(request, second_factor_device(coordinator))
    assert api_token_issue(user=practitioner, actor=request.user)


def test_password_change_revokes_the_users_api_tokens(practitioner, outsider):
    raw = api_token_issue(user=practitioner, actor=None)
    other = api_token_issue(user=outsider, actor=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert client.get("/api/v1/me/").status_code == 200

    practitioner.first_name = "Robert"
    practitioner.save()
    assert client.get("/api/v1/me/").status_code == 200  # not a password change

    practitioner.set_password("a-quite-new-passphrase")
    practitioner.save()

    assert client.get("/api/v1/me/").status_code == 401
    assert ApiToken.objects.get(user=practitioner).revoked_at is not None
    assert ApiToken.objects.get(user=outsider).revoked_at is None
    other_client = APIClient()
    other_client.credentials(HTTP_AUTHORIZATION=f"Token {other}")
    assert other_client.get("/api/v1/me/").status_code == 200


def test_password_change_page_revokes_the_users_api_tokens(client, practitioner):
    api_token_issue(user=practitioner, actor=None)
    sign_in(client, practitioner)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "a-quite-new-passphrase",
        "new_password2": "a-quite-new-passphrase"})
    assert response.status_code == 302
    assert not ApiToken.objects.usable().exists()


# -- password reset -------------------------------------------------------------------------


def reset_path(user, token=None) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/accounts/reset/{uid}/{token or default_token_generator.make_token(user)}/"


def test_password_reset_link_older_than_an_hour_is_refused(client, practitioner, monkeypatch):
    issued = datetime.now()
    monkeypatch.setattr(default_token_generator, "_now", lambda: issued)
    token = default_token_generator.make_token(practitioner)

    monkeypatch.setattr(default_token_generator, "_now",
                        lambda: issued + timedelta(minutes=59))
    assert client.get(reset_path(practitioner, token), follow=True).context["validlink"]

    monkeypatch.setattr(default_token_generator, "_now",
                        lambda: issued + timedelta(minutes=61))
    page = Client().get(reset_path(practitioner, token), follow=True)
    assert page.context["validlink"] is False


def test_password_reset_signs_nobody_in_and_the_second_factor_is_still_asked(
    client, coordinator
):
    second_factor_device(coordinator)
    coordinator.email = "alice@example.je"
    coordinator.save()
    api_token_issue(user=coordinator, actor=None)
    client.post(reverse("password_reset"), {"email": "alice@example.je"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    form_url = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True
                          ).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "a-brand-new-passphrase",
                                      "new_password2": "a-brand-new-passphrase"})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/").url.startswith(reverse("login"))
    assert not ApiToken.objects.usable().exists()

    client.post(reverse("login"), {"username": "alice", "password": "a-brand-new-passphrase"})
    assert client.get("/").url.startswith(VERIFY)


def test_password_set_in_the_admin_revokes_the_users_api_tokens(client, police, practitioner):
    api_token_issue(user=practitioner, actor=None)
    sign_in(client, make_user("root", agency=police, is_staff=True, is_superuser=True))
    response = client.post(f"/admin/accounts/user/{practitioner.pk}/password/", {
        "password1": "a-quite-new-passphrase", "password2": "a-quite-new-passphrase",
        "usable_password": "true"})
    assert response.status_code == 302
    assert not ApiToken.objects.usable().exists()
