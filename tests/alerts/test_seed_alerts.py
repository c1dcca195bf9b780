"""The demonstration shows every time rule at work: after `manage.py seed_demo` and the
first sweep (which `make run` starts with), each of the ten rules has an open alert, on the
home page of the persona who must act and in the Co-ordinator's count of every case."""

import re
from html import unescape

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from alerts import selectors
from alerts.models import Alert, Rule
from alerts.sweep import sweep
from jmappa.accounts.models import User
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

# Every persona who works on cases, and the SMB member (who chairs the Board in the demo),
# whose alerts are the Board's own and name no case.
PERSONAS = ["coordinator", "admin.officer", "police.inspector", "probation.officer",
            "housing.officer", "smb.member"]


@pytest.fixture(scope="module")
def swept(django_db_setup, django_db_blocker):
    """seed_demo, then one sweep on today, a rule at a time (as the sweep itself goes) so
    that a rule that fails is named by the tests of that rule; {rule: error} of those that
    failed. Rolled back at the end of the module."""
    failed = {}
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(DEBUG=True):
            call_command("seed_demo", verbosity=0)
        for rule in Rule.values:
            try:
                with transaction.atomic():
                    sweep(timezone.localdate(), rules=[rule])
            except Exception as exc:  # noqa: BLE001 - reported by the rule's own test
                failed[rule] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        yield failed
        transaction.set_rollback(True)


def home_page(username: str) -> str:
    client = Client()
    sign_in(client, User.objects.get(username=username))
    response = client.get(reverse("home"), secure=True)
    assert response.status_code == 200
    # The page's text, tags left out.
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.mark.parametrize("rule", Rule.values)
def test_the_first_sweep_on_the_demo_data_raises_an_open_alert_of_every_rule(swept, rule):
    assert rule not in swept, f"the sweep of {rule} failed: {swept[rule]}"
    assert Alert.objects.open().filter(rule=rule).exists(), (
        f"seed_demo has no case that {rule} answers today")


@pytest.mark.parametrize("rule", Rule.values)
def test_every_rule_is_on_the_home_page_of_a_persona_who_must_act(swept, rule):
    today = timezone.localdate()
    acting = []
    for username in PERSONAS:
        mine = selectors.alerts_for(User.objects.get(username=username), mine=True,
                                    rule=rule, today=today)
        if mine.exists():
            acting.append(username)
    assert acting, f"no demo persona has a {rule} alert to act on"
    # The persona's home page counts it among theirs ("N open alerts for you to act on").
    page = home_page(acting[0])
    assert re.search(r"\d+ open alerts? for you to act on", page)


def test_the_coordinators_home_page_counts_every_rule_across_every_case(swept):
    page = home_page("coordinator")
    table = page.split("Every case, by rule", 1)[1]
    for label in Rule.labels:
        assert re.search(rf"{re.escape(label)} [1-9]\d* \d+ ", table), (
            f"{label} missing from the Co-ordinator's home page")


def test_every_practitioner_persona_has_something_due_on_their_home_page(swept):
    for username in ["police.inspector", "probation.officer", "housing.officer"]:
        assert re.search(r"\d+ open alerts? for you to act on", home_page(username)), username


def test_a_second_sweep_on_the_demo_data_changes_nothing(swept):
    assert not swept, f"the first sweep failed: {swept}"
    again = sweep(timezone.localdate())
    assert (again.total("raised"), again.total("reopened"), again.total("resolved"),
            again.total("notified")) == (0, 0, 0, 0)
