"""The partner-agency API on alerts: /api/v1/alerts/ (alerts/api.py): the alerts the
sweep keeps, under the case's access rule."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from alerts.models import Alert, Rule
from cases.models import TeamRole
from jmappa.accounts.models import Role
from jmappa.accounts.services import api_token_issue
from jmappa.audit.models import AuditEvent, Verb
from tests.factories import add_to_team, make_nominal

pytestmark = pytest.mark.django_db

LIST = "/api/v1/alerts/"
_subject = itertools.count(5000)


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user, actor=None)}")
    return client


def make_alert(nominal, rule=Rule.REVIEW_DUE, *, days=0, subject_type="meetings.meeting",
               subject_id=None, assigned_to=None, assigned_role="", resolved=False):
    """An alert as the sweep leaves it, due `days` from today (negative: overdue)."""
    now = timezone.now()
    return Alert.objects.create(
        rule=rule, subject_type=subject_type, subject_id=subject_id or next(_subject),
        nominal=nominal, due_on=timezone.localdate() + timedelta(days=days),
        assigned_to=assigned_to, assigned_role=assigned_role,
        raised_at=now - timedelta(days=1), resolved_at=now if resolved else None)


def listed(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def case(coordinator, practitioner, police):
    nominal = make_nominal(actor=coordinator, lead_agency=police)
    add_to_team(nominal, practitioner, TeamRole.CASE_MANAGER, actor=coordinator)
    return nominal


@pytest.fixture
def housing_case(coordinator, outsider, housing):
    nominal = make_nominal(actor=coordinator, lead_agency=housing)
    add_to_team(nominal, outsider, actor=coordinator)
    return nominal


def test_an_alert_answers_its_rule_case_subject_due_date_and_who_acts(practitioner, case):
    alert = make_alert(case, Rule.ACTION_OVERDUE, subject_type="cases.planaction",
                       subject_id=42, assigned_to=practitioner, days=-2)
    body = api(practitioner).get(f"{LIST}{alert.pk}/").json()
    assert body == {
        "id": alert.pk, "rule": "action_overdue", "rule_display": Rule.ACTION_OVERDUE.label,
        "case": case.pk, "subject": {"type": "cases.planaction", "id": 42},
        "due_on": alert.due_on.isoformat(), "overdue": True,
        "assigned_to": practitioner.pk, "assigned_role": "", "resolved": False,
        "raised_at": body["raised_at"], "resolved_at": None,
    }
    assert body["raised_at"]


def test_another_agencys_alert_is_absent_from_lists_and_answers_404(outsider, case,
                                                                    housing_case):
    theirs = make_alert(case, assigned_to=outsider, days=-1)
    resolved = make_alert(case, resolved=True)
    mine = make_alert(housing_case)
    client = api(outsider)
    assert listed(client.get(LIST)) == [mine.pk]
    assert listed(client.get(LIST, {"resolved": "true"})) == []
    assert listed(client.get(LIST, {"case": case.pk})) == []
    for alert in (theirs, resolved):
        response = client.get(f"{LIST}{alert.pk}/")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_the_coordinator_sees_every_alert(coordinator, case, housing_case):
    a, b = make_alert(case, days=-1), make_alert(housing_case, days=1)
    client = api(coordinator)
    assert listed(client.get(LIST)) == [a.pk, b.pk]
    assert client.get(f"{LIST}{b.pk}/").status_code == 200


def test_reading_an_alert_is_audited_against_its_case(practitioner, case):
    alert = make_alert(case)
    api(practitioner).get(f"{LIST}{alert.pk}/")
    event = AuditEvent.objects.filter(action=Verb.VIEW, object_type="alerts.alert").get()
    assert (event.object_id, event.case_id, event.actor_id) == (str(alert.pk), case.pk,
                                                                practitioner.pk)


def test_open_alerts_by_default_overdue_first(coordinator, case):
    soon = make_alert(case, days=4)
    overdue = make_alert(case, days=-4)
    resolved = make_alert(case, days=-9, resolved=True)
    client = api(coordinator)
    assert listed(client.get(LIST)) == [overdue.pk, soon.pk]
    assert listed(client.get(LIST, {"resolved": "false"})) == [overdue.pk, soon.pk]
    assert listed(client.get(LIST, {"resolved": "true"})) == [resolved.pk]
    assert client.get(f"{LIST}{resolved.pk}/").json()["resolved"] is True
    assert client.get(f"{LIST}{resolved.pk}/").json()["overdue"] is False


def test_filters_by_rule_case_and_overdue(coordinator, case, housing_case):
    review = make_alert(case, days=-1)
    minutes = make_alert(case, Rule.MINUTES_DUE, days=2, assigned_role=Role.ADMINISTRATOR)
    visit = make_alert(housing_case, Rule.HOME_VISIT_DUE, subject_type="cases.nominal",
                       subject_id=housing_case.pk, days=0)
    client = api(coordinator)
    assert listed(client.get(LIST, {"rule": "minutes_due"})) == [minutes.pk]
    assert listed(client.get(LIST, {"case": housing_case.pk})) == [visit.pk]
    assert listed(client.get(LIST, {"overdue": "true"})) == [review.pk]
    assert listed(client.get(LIST, {"overdue": "false"})) == [visit.pk, minutes.pk]
    assert listed(client.get(LIST, {"case": case.pk, "overdue": "false"})) == [minutes.pk]


@pytest.mark.parametrize("query, field", [
    ({"rule": "nonsense"}, "rule"),
    ({"case": "abc"}, "case"),
    ({"case": "0"}, "case"),
    ({"overdue": "maybe"}, "overdue"),
    ({"resolved": "perhaps"}, "resolved"),
])
def test_a_filter_value_that_is_not_valid_answers_400(practitioner, query, field):
    response = api(practitioner).get(LIST, query)
    assert response.status_code == 400
    assert field in response.json()


def test_alerts_are_read_only(coordinator, case):
    alert = make_alert(case)
    client = api(coordinator)
    assert client.post(LIST, {}, format="json").status_code == 405
    assert client.delete(f"{LIST}{alert.pk}/").status_code == 405


def test_the_list_query_count_does_not_grow_with_alerts(coordinator, practitioner, case):
    clients = {"coordinator": api(coordinator), "case manager": api(practitioner)}
    for client in clients.values():
        client.get(LIST)  # the token's first use is recorded once

    def counts():
        result = {}
        for name, client in clients.items():
            with CaptureQueriesContext(connection) as queries:
                rows = listed(client.get(LIST))
            result[name] = (len(queries.captured_queries), len(rows))
        return result

    def add(n):
        for _ in range(n):
            make_alert(case, assigned_to=practitioner, days=-1)

    add(2)
    before = counts()
    add(8)
    after = counts()
    for name in clients:
        assert before[name][1] == 2 and after[name][1] == 10
        assert after[name][0] == before[name][0], name


def test_the_schema_describes_alerts_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert "/api/v1/alerts/" in schema["paths"]
    assert "/api/v1/alerts/{id}/" in schema["paths"]
    names = {p["name"] for p in schema["paths"]["/api/v1/alerts/"]["get"]["parameters"]}
    assert {"rule", "case", "overdue", "resolved"} <= names
    fields = schema["components"]["schemas"]["Alert"]["properties"]
    assert {"id", "rule", "case", "subject", "due_on", "overdue", "assigned_to",
            "resolved"} <= set(fields)
