"""The retention review's outcome (§13.3): an archived record due at the 100th anniversary
of birth is kept (why, and the next review date: the alert clears and comes back that day)
or removed for good (cases/retention.py), by the Co-ordinator alone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert, Rule
from alerts.sweep import sweep
from cases import retention
from cases.models import Nominal, RetentionReview
from cases.services import address_add, nominal_archive
from jmappa.audit.models import AuditEvent, Verb
from jmappa.audit.services import WITHHELD, erase_removed_case
from tests.core.test_runtime_role import as_runtime_role, runtime_role  # noqa: F401
from tests.factories import add_to_team, make_nominal

pytestmark = pytest.mark.django_db

REASON = "Reviewed at 100: no further need to keep the record"


def today() -> date:
    return timezone.localdate()


def years_ago(years: int) -> date:
    return today().replace(year=today().year - years, day=1)


@pytest.fixture
def centenarian(coordinator):
    """An archived record whose subject turned 100 last year: due for its review."""
    nominal = make_nominal(actor=coordinator, given_names="Elsie", family_name="Quennevais",
                           date_of_birth=years_ago(101), pnc_number="11/123456Q")
    address_add(nominal=nominal, actor=coordinator, address="4 Rue des Mielles\nSt Brelade",
                postcode="JE3 8QQ", is_current=True)
    nominal_archive(nominal=nominal, reason="Order ended", actor=coordinator)
    return Nominal.objects.get(pk=nominal.pk)


def open_alerts(nominal, day: date) -> list[date]:
    sweep(day, rules=[Rule.RETENTION_REVIEW], nominal_ids=[nominal.pk])
    return list(Alert.objects.open().filter(nominal=nominal, rule=Rule.RETENTION_REVIEW)
                .values_list("due_on", flat=True))


def remove(nominal, actor, **overrides):
    fields = {"reason": REASON, "confirm_reference": nominal.reference, **overrides}
    return retention.nominal_remove(nominal=nominal, actor=actor, **fields)


# -- keeping the record ---------------------------------------------------------------------


def test_a_kept_record_clears_its_alert_until_the_next_review_date_then_it_returns(
        centenarian, coordinator):
    assert open_alerts(centenarian, today()) == [centenarian.retention_review_date]
    next_review = today() + timedelta(days=365)
    retention.retention_keep(nominal=centenarian, reason="Family court proceedings pending",
                             next_review_on=next_review, actor=coordinator)
    assert open_alerts(centenarian, today()) == []
    assert open_alerts(centenarian, next_review - timedelta(days=1)) == []
    assert open_alerts(centenarian, next_review) == [next_review]
    assert Alert.objects.get(nominal=centenarian, due_on=centenarian.retention_review_date
                             ).resolved_at is not None


def test_a_kept_record_leaves_the_review_list_until_its_next_review_date(
        centenarian, coordinator):
    from cases.selectors import retention_review

    next_review = today() + timedelta(days=30)
    retention.retention_keep(nominal=centenarian, reason="Appeal pending",
                             next_review_on=next_review, actor=coordinator)
    assert list(retention_review(coordinator)) == []
    assert list(retention_review(coordinator, on=next_review - timedelta(days=1))) == []
    [listed] = retention_review(coordinator, on=next_review)
    assert listed == centenarian and listed.review_due == next_review


def test_keeping_needs_the_reason_and_a_next_review_in_the_future(centenarian, coordinator):
    with pytest.raises(ValidationError) as refused:
        retention.retention_keep(nominal=centenarian, reason=" ", next_review_on=today(),
                                 actor=coordinator)
    assert refused.value.message_dict == {
        "reason": ["Give the reason the record is kept."],
        "next_review_on": ["The next review must be in the future."]}
    assert not RetentionReview.objects.exists()


def test_a_record_not_due_is_neither_kept_nor_removed(coordinator):
    active = make_nominal(actor=coordinator, date_of_birth=years_ago(101))
    young = make_nominal(actor=coordinator, date_of_birth=years_ago(99))
    nominal_archive(nominal=young, reason="Order ended", actor=coordinator)
    for nominal in (active, Nominal.objects.get(pk=young.pk)):
        with pytest.raises(ValidationError, match="not due for its retention review"):
            retention.retention_keep(nominal=nominal, reason="x", actor=coordinator,
                                     next_review_on=today() + timedelta(days=9))
        with pytest.raises(ValidationError, match="not due for its retention review"):
            remove(nominal, coordinator)
    assert Nominal.objects.filter(pk__in=[active.pk, young.pk]).count() == 2


def test_a_kept_record_is_not_removed_before_its_next_review(centenarian, coordinator):
    retention.retention_keep(nominal=centenarian, reason="Appeal pending", actor=coordinator,
                             next_review_on=today() + timedelta(days=1))
    with pytest.raises(ValidationError, match="not due"):
        remove(Nominal.objects.get(pk=centenarian.pk), coordinator)


# -- removing it ----------------------------------------------------------------------------


def test_removal_asks_the_case_reference_typed_and_a_reason_that_names_nobody(
        centenarian, coordinator):
    for reason in ("Elsie has died", "Born " + centenarian.date_of_birth.isoformat(),
                   "PNC 11/123456Q", "Moved from JE3 8QQ"):
        with pytest.raises(ValidationError) as refused:
            remove(centenarian, coordinator, reason=reason)
        assert refused.value.message_dict == {"reason": [retention.REASON_NAMES_PERSON]}
    with pytest.raises(ValidationError) as refused:
        remove(centenarian, coordinator, confirm_reference="J999999", reason="")
    assert refused.value.message_dict == {
        "reason": ["Give the reason the record is removed."],
        "confirm_reference": [f"Type the case reference, {centenarian.reference}, to confirm "
                              "the removal."]}
    assert Nominal.objects.filter(pk=centenarian.pk).exists()


def test_removal_writes_one_audit_entry_by_reference_without_personal_data(
        centenarian, coordinator):
    remove(centenarian, coordinator, confirm_reference=centenarian.reference.lower())
    [entry] = AuditEvent.objects.filter(action=Verb.REMOVE)
    assert (entry.actor, entry.case_id, entry.object_type, entry.object_id) == (
        coordinator, centenarian.pk, "cases.nominal", str(centenarian.pk))
    assert entry.object_repr == centenarian.reference
    assert entry.detail == REASON
    assert entry.changes == {"removed": {"Address": 1, "Status change": 1}}
    text = f"{entry.object_repr} {entry.detail} {entry.changes}"
    for personal in ("Elsie", "Quennevais", "Mielles", "JE3 8QQ", "11/123456Q",
                     centenarian.date_of_birth.isoformat()):
        assert personal.lower() not in text.lower()


def test_the_trail_of_a_removed_case_keeps_who_and_when_but_not_what(
        centenarian, coordinator):
    before = list(AuditEvent.objects.filter(case_id=centenarian.pk).order_by("id").values(
        "id", "occurred_at", "actor_id", "action", "object_type", "object_id"))
    created = AuditEvent.objects.get(action=Verb.CREATE, object_type="cases.nominal",
                                     object_id=str(centenarian.pk))
    assert created.changes["family_name"] == {"from": None, "to": "Quennevais"}
    remove(centenarian, coordinator)
    after = AuditEvent.objects.filter(case_id=centenarian.pk).exclude(action=Verb.REMOVE)
    assert list(after.order_by("id").values(
        "id", "occurred_at", "actor_id", "action", "object_type", "object_id")) == before
    created.refresh_from_db()
    assert created.changes["family_name"] == WITHHELD
    assert created.object_repr == "Removed at the retention review (§13.3)"


def test_the_photo_file_is_deleted_once_the_removal_is_committed(
        centenarian, coordinator, django_capture_on_commit_callbacks):
    centenarian.photo.save("elsie.png", ContentFile(b"not really a picture"))
    stored, storage = centenarian.photo.name, centenarian.photo.storage
    assert storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        remove(centenarian, coordinator)
    assert not storage.exists(stored)


def test_a_row_of_another_case_found_under_the_case_stops_the_removal(
        centenarian, coordinator, police):
    from plans.models import ActionType, PlanAction

    def action(nominal, **fields):
        return PlanAction.objects.create(
            nominal=nominal, description="Weekly reporting", action_type=ActionType.MONITORING,
            owner_agency=police, due_date=today(), created_by=coordinator, **fields)

    # An action of another case carried from one of this case's: a link that should not be.
    action(make_nominal(actor=coordinator), carried_from=action(centenarian))
    with pytest.raises(retention.RemovalRefused, match="belongs to case"):
        remove(centenarian, coordinator)
    assert Nominal.objects.filter(pk=centenarian.pk).exists()


def test_the_database_erases_the_trail_only_of_a_case_that_no_longer_exists(
        centenarian, as_runtime_role):  # noqa: F811
    with pytest.raises(DatabaseError, match="still exists"), transaction.atomic():
        erase_removed_case(case_id=centenarian.pk, records=[], terms=[])
    with pytest.raises(DatabaseError, match="append-only|permission denied"), \
            transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET detail = '' WHERE case_id = %s",
                       [centenarian.pk])


def test_the_runtime_role_removes_a_record_and_erases_its_trail(
        centenarian, coordinator, as_runtime_role):  # noqa: F811
    remove(centenarian, coordinator)
    assert not Nominal.objects.filter(pk=centenarian.pk).exists()
    assert not AuditEvent.objects.filter(case_id=centenarian.pk,
                                         object_repr__icontains="Quennevais").exists()


# -- the pages ----------------------------------------------------------------------------


def test_the_coordinator_keeps_the_record_from_the_case_page(centenarian, coordinator_client):
    page = coordinator_client.get(reverse("cases:detail", args=[centenarian.pk])).content.decode()
    assert "due for its retention review" in page
    keep = reverse("cases:retention_keep", args=[centenarian.pk])
    assert keep in page and reverse("cases:retention_remove", args=[centenarian.pk]) in page
    next_review = today() + timedelta(days=200)
    response = coordinator_client.post(keep, {"reason": "Appeal pending",
                                              "next_review_on": next_review.isoformat()})
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[centenarian.pk])
    page = coordinator_client.get(reverse("cases:history", args=[centenarian.pk])
                                  ).content.decode()
    assert "Appeal pending" in page and "it is next reviewed on" in page
    assert keep not in page


def test_a_refused_keep_says_why_and_keeps_what_was_typed(centenarian, coordinator_client):
    response = coordinator_client.post(
        reverse("cases:retention_keep", args=[centenarian.pk]),
        {"reason": "Appeal pending", "next_review_on": today().isoformat()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The next review must be in the future." in page and "Appeal pending" in page
    assert not RetentionReview.objects.exists()


def test_the_removal_page_says_what_goes_and_asks_the_reference_typed(
        centenarian, coordinator_client):
    url = reverse("cases:retention_remove", args=[centenarian.pk])
    page = coordinator_client.get(url).content.decode()
    assert "What is removed" in page and "Address" in page and "cannot be undone" in page
    response = coordinator_client.post(url, {"reason": REASON, "confirm_reference": "J1"})
    assert response.status_code == 200
    assert f"Type the case reference, {centenarian.reference}" in response.content.decode()
    assert REASON in response.content.decode()
    assert Nominal.objects.filter(pk=centenarian.pk).exists()
    response = coordinator_client.post(url, {"reason": REASON,
                                             "confirm_reference": centenarian.reference})
    assert response.status_code == 302 and response.url == reverse("cases:retention")
    for name in ("cases:detail", "cases:history", "cases:retention_keep",
                 "cases:retention_remove"):
        assert coordinator_client.get(reverse(name, args=[centenarian.pk])).status_code == 404


def test_a_record_not_due_shows_no_form_and_a_post_changes_nothing(coordinator,
                                                                    coordinator_client):
    young = make_nominal(actor=coordinator, date_of_birth=years_ago(60))
    nominal_archive(nominal=young, reason="Order ended", actor=coordinator)
    url = reverse("cases:retention_remove", args=[young.pk])
    page = coordinator_client.get(url).content.decode()
    assert "not due for its retention review" in page and "confirm_reference" not in page
    coordinator_client.post(url, {"reason": REASON, "confirm_reference": young.reference})
    assert Nominal.objects.filter(pk=young.pk).exists()


@pytest.mark.parametrize("name", ["cases:retention_keep", "cases:retention_remove"])
def test_only_the_coordinator_decides_others_on_the_case_are_refused_outsiders_see_nothing(
        name, centenarian, coordinator, practitioner, outsider, client):
    from tests.helpers import sign_in

    add_to_team(centenarian, practitioner, actor=coordinator)
    url = reverse(name, args=[centenarian.pk])
    data = {"reason": REASON, "confirm_reference": centenarian.reference,
            "next_review_on": (today() + timedelta(days=9)).isoformat()}
    sign_in(client, practitioner)
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    page = client.get(reverse("cases:detail", args=[centenarian.pk])).content.decode()
    assert url not in page
    sign_in(client, outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    assert Nominal.objects.filter(pk=centenarian.pk).exists()
    assert not RetentionReview.objects.exists()
