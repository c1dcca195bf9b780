import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from disclosure.demo import SENIOR_OFFICER
from jmappa.accounts.models import Agency, Role, User
from kpi.demo import SEATS
from tests.helpers import totp_code

pytestmark = pytest.mark.django_db

PERSONAS = ["coordinator", "admin.officer", "police.inspector", "probation.officer",
            "housing.officer", "smb.member"]
# The people the demo's cases and Board need beside the personas: the senior officer who
# endorses disclosures and the Board's other members.
SUPPORTING = [SENIOR_OFFICER] + [member[0] for *_, member in SEATS]


def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = (list(Agency.objects.values_list("name", "spoc__username")),
             list(User.objects.values_list("username", "roles", "password")))
    call_command("seed_demo")
    second = (list(Agency.objects.values_list("name", "spoc__username")),
              list(User.objects.values_list("username", "roles", "password")))
    assert first == second
    assert Agency.objects.count() == 9
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(
        set(PERSONAS) | set(SUPPORTING))


def test_seed_demo_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run"):
        call_command("seed_demo")
    assert not User.objects.exists()
    call_command("seed_demo", "--force")
    assert User.objects.filter(username="coordinator").exists()


def test_each_demo_persona_signs_in_with_the_demo_password(settings):
    settings.DEBUG = True
    settings.JMAPPA_DEMO_PASSWORD = "demo-password-for-test"
    call_command("seed_demo", verbosity=0)
    for username in PERSONAS:
        client = Client()
        response = client.post(reverse("login"), {"username": username,
                                                  "password": "demo-password-for-test"})
        assert response.status_code == 302, username
        # The second factor, from the demo secret README gives (any authenticator app).
        assert client.get(reverse("home")).url.startswith(reverse("second_factor:verify"))
        client.post(reverse("second_factor:verify"), {"code": demo_code(username)})
        assert client.get(reverse("home")).status_code == 200, username


def demo_code(username: str) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username)
    assert device.config_url.split("secret=")[1].startswith("JMAPPADEMOSECRETJMAPPADEMOSECRET")
    return totp_code(device)


def test_demo_second_factor_only_with_debug_on(settings):
    """With DEBUG off (--force), the known demo secret is not given: each persona sets up
    their own authenticator at first sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.DEBUG = False
    call_command("seed_demo", "--force", verbosity=0)
    assert User.objects.filter(username="coordinator").exists()
    assert not TOTPDevice.objects.exists()
    client = Client()
    client.post(reverse("login"), {"username": "coordinator", "password":
                                   settings.JMAPPA_DEMO_PASSWORD})
    assert client.get(reverse("home")).url.startswith(reverse("second_factor:enrol"))


def test_demo_personas_hold_the_roles_the_readme_promises(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    roles = dict(User.objects.values_list("username", "roles"))
    assert Role.COORDINATOR in roles["coordinator"]
    assert Role.ADMINISTRATOR in roles["admin.officer"]
    assert roles["smb.member"] == [Role.SMB_MEMBER]
    assert User.objects.get(username="police.inspector").job_title == "Inspector"


def test_no_demo_persona_is_staff_or_holds_admin_model_permissions(settings):
    # The Django admin is for superusers; the Administrator works in the application.
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    for user in User.objects.all():
        assert not user.is_staff and not user.is_superuser, user.username
        assert not user.user_permissions.exists(), user.username
