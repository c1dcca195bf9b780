import csv
import io
from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jmappa.audit.models import AuditEvent, Channel, Verb
from jmappa.audit.services import audit_change, audit_log, snapshot
from tests.factories import make_user
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def test_audit_trail_refuses_update_in_the_database(coordinator):
    event = audit_log(actor=coordinator, action=Verb.VIEW, object_type="accounts.agency",
                      object_id=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action=Verb.CHANGE)
    event.refresh_from_db()
    assert event.action == Verb.VIEW


def test_audit_trail_refuses_delete_in_the_database(coordinator):
    event = audit_log(actor=coordinator, action=Verb.VIEW, object_type="accounts.agency",
                      object_id=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_reading_an_agency_page_writes_one_audit_event(practitioner_client, practitioner, police):
    before = AuditEvent.objects.count()
    response = practitioner_client.get(reverse("accounts:agency_detail", args=[police.pk]))
    assert response.status_code == 200
    events = AuditEvent.objects.order_by("id")[before:]
    assert len(events) == 1
    event = events[0]
    assert (event.actor, event.action, event.channel) == (practitioner, Verb.VIEW, Channel.WEB)
    assert (event.object_type, event.object_id) == ("accounts.agency", str(police.pk))
    assert event.actor_agency == police.name
    assert event.ip_address == "127.0.0.1"


def test_change_records_field_names_and_values_but_not_sensitive_values(coordinator, police):
    before = snapshot(police, ["phone", "address"])
    police.phone = "01534 612612"
    police.save()
    event = audit_change(actor=coordinator, obj=police, before=before)
    assert event.changes == {"phone": {"from": "", "to": "01534 612612"}}

    before = snapshot(coordinator, ["password", "job_title"])
    coordinator.set_password("another-long-password")
    coordinator.job_title = "Co-ordinator"
    coordinator.save()
    event = audit_change(actor=coordinator, obj=coordinator, before=before)
    assert event.changes["password"] == "(changed)"
    assert event.changes["job_title"] == {"from": "", "to": "Co-ordinator"}
    assert "pbkdf2" not in str(event.changes) and "md5" not in str(event.changes)


def test_admin_change_is_audited_with_changed_fields(client, police):
    staff = make_user("staffer", agency=police, is_staff=True, is_superuser=True)
    sign_in(client, staff)
    url = reverse("admin:accounts_agency_change", args=[police.pk])
    response = client.post(url, {
        "name": police.name, "kind": police.kind, "duty_to_cooperate": "on",
        "address": "Route du Fort", "phone": "", "secure_email": "", "spoc": "",
        "is_active": "on",
    })
    assert response.status_code == 302, response.content
    event = AuditEvent.objects.filter(action=Verb.CHANGE, object_type="accounts.agency").get()
    assert event.changes == {"address": {"from": "", "to": "Route du Fort"}}
    assert event.actor == staff


def test_sign_in_and_failed_sign_in_are_audited(client, practitioner):
    client.post(reverse("login"), {"username": "bob", "password": "wrong"})
    client.post(reverse("login"), {"username": "bob", "password": "correct-horse-battery-staple"})
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor_username"))
    assert actions == [(Verb.LOGIN_FAILED, "bob"), (Verb.LOGIN, "bob")]


def test_audit_trail_page_is_for_the_coordinator_only(practitioner_client):
    assert practitioner_client.get(reverse("audit:list")).status_code == 403
    assert practitioner_client.get(reverse("audit:export")).status_code == 403


def test_audit_trail_page_needs_sign_in(client):
    response = client.get(reverse("audit:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_audit_trail_filters_by_user_case_action_and_dates(coordinator_client, coordinator,
                                                         practitioner):
    audit_log(actor=practitioner, action=Verb.VIEW, object_type="cases.nominal",
              object_id=7, case_id=7)
    audit_log(actor=practitioner, action=Verb.CHANGE, object_type="cases.nominal",
              object_id=8, case_id=8)
    audit_log(actor=coordinator, action=Verb.VIEW, object_type="cases.nominal",
              object_id=7, case_id=7)
    url = reverse("audit:list")

    def shown(**params):
        events = coordinator_client.get(url, params).context["events"]
        return sorted((e.actor_username, e.action, e.case_id) for e in events)

    assert shown(user=practitioner.pk) == [("bob", "change", 8), ("bob", "view", 7)]
    assert shown(case=7) == [("alice", "view", 7), ("bob", "view", 7)]
    assert shown(action="change") == [("bob", "change", 8)]
    today = timezone.localdate()
    assert len(shown(date_from=today.isoformat(), date_to=today.isoformat(), case=8)) == 1
    assert shown(date_from=(today + timedelta(days=1)).isoformat()) == []


def test_audit_filter_with_end_before_start_says_so_keeps_the_dates_and_shows_nothing(
    coordinator_client, coordinator
):
    audit_log(actor=coordinator, action=Verb.VIEW, object_type="x", object_id=1)
    response = coordinator_client.get(reverse("audit:list"),
                                      {"date_from": "2026-03-10", "date_to": "2026-03-01"})
    body = response.content.decode()
    assert "The end date must be on or after the start date." in body
    assert 'value="2026-03-10"' in body and 'value="2026-03-01"' in body
    assert list(response.context["events"]) == []


def test_audit_csv_export_neutralises_formulas_and_is_itself_audited(coordinator_client,
                                                                     coordinator):
    audit_log(actor=coordinator, action=Verb.VIEW, object_type="cases.nominal", object_id=1,
              object_repr="=HYPERLINK(\"http://evil\")", case_id=1)
    response = coordinator_client.get(reverse("audit:export"), {"case": 1})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "When"
    assert rows[1][7] == "'=HYPERLINK(\"http://evil\")"
    export = AuditEvent.objects.filter(action=Verb.EXPORT).get()
    assert export.actor == coordinator and "case=1" in export.detail


def test_audit_trail_page_query_count_does_not_grow_with_rows(coordinator_client, coordinator,
                                                              practitioner):
    url = reverse("audit:list")

    def count_queries():
        with CaptureQueriesContext(transaction.get_connection()) as ctx:
            assert coordinator_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    audit_log(actor=practitioner, action=Verb.VIEW, object_type="x", object_id=1)
    few = count_queries()
    for i in range(30):
        audit_log(actor=practitioner if i % 2 else coordinator, action=Verb.VIEW,
                  object_type="x", object_id=i)
    assert count_queries() == few


def test_audit_records_the_address_the_proxy_forwards_when_behind_one(
    practitioner_client, police, settings
):
    settings.USE_X_FORWARDED_FOR = True
    practitioner_client.get(reverse("accounts:agency_detail", args=[police.pk]),
                            HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3")
    assert AuditEvent.objects.get(action=Verb.VIEW).ip_address == "10.1.2.3"
