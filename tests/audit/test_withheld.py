"""Victim details are never copied into the audit trail: an event says what changed, never
the values (audit_sensitive_fields), and values written before this rule are withheld."""

import importlib

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from cases.models import Victim
from cases.services import victim_record
from jmappa.audit.models import EVERY_FIELD, AuditEvent, Verb
from jmappa.audit.services import WITHHELD, audit_log
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db

SECRET = "Do not approach: lives at 3 Rue des Prés, St Helier"


def test_recording_a_victim_writes_which_fields_were_set_but_none_of_their_values(
        coordinator):
    case = make_nominal(actor=coordinator)
    victim = victim_record(nominal=case, actor=coordinator, relationship="Former partner",
                           contact_restrictions=SECRET, notes="Moved to Guernsey")
    event = AuditEvent.objects.get(object_type="cases.victim", object_id=str(victim.pk))
    assert event.action == Verb.CREATE
    assert {"relationship", "contact_restrictions", "notes"} <= set(event.changes)
    assert set(event.changes.values()) == {WITHHELD}
    stored = f"{event.changes} {event.object_repr} {event.detail}"
    for value in (SECRET, "Former partner", "Guernsey"):
        assert value not in stored
    assert event.change_lines() == [f"{name} {WITHHELD}" for name in event.changes]


def test_every_field_of_a_victim_is_sensitive():
    assert Victim.audit_sensitive_fields is EVERY_FIELD
    assert "contact_restrictions" in EVERY_FIELD and "a field added later" in EVERY_FIELD


def test_victim_values_already_in_the_trail_are_withheld_by_the_migration(coordinator):
    case = make_nominal(actor=coordinator)
    old = audit_log(actor=coordinator, action=Verb.CREATE, object_type="cases.victim",
                    object_id=1, object_repr="Victim: Former partner", case_id=case.pk,
                    changes={"contact_restrictions": {"from": None, "to": SECRET},
                             "relationship": {"from": None, "to": "Former partner"}})
    other = audit_log(actor=coordinator, action=Verb.CHANGE, object_type="cases.alias",
                      object_id=1, case_id=case.pk,
                      changes={"name": {"from": "A", "to": "B"}})
    migration = importlib.import_module("jmappa.audit.migrations.0003_withhold_victim_values")
    with connection.schema_editor(atomic=False) as editor:
        migration.withhold_sensitive_values(apps, editor)
    old.refresh_from_db()
    other.refresh_from_db()
    assert old.changes == {"contact_restrictions": WITHHELD, "relationship": WITHHELD}
    assert old.object_repr == "Victim"
    assert other.changes == {"name": {"from": "A", "to": "B"}}
    # The trail is append-only again once the values are withheld.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=old.pk).update(detail="rewritten")
