"""The audit trail in words: what an event did to which record, and what it changed, said
as a reader of the case says it. A field by its verbose name, a choice by its label, a
person by their name, a date as "5 December 2026" (a moment as "5 December 2026, 14:30");
never a stored code, an id, a dict or an ISO timestamp.

`describe(events)` reads the people and other records the changes point to in one query
per kind of record, whatever the number of events, and sets on each event:
- `summary`: "Address added", "Case record changed", "Minutes viewed"...;
- `change_words`: one line per changed field, "Status changed from Draft to Final".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import dateformat, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import Truncator, capfirst

from .models import AuditEvent, Verb, current_object_type
from .services import WITHHELD

DATE_FORMAT = "j F Y"
MOMENT_FORMAT = "j F Y, H:i"
TEXT_SHOWN = 80  # a longer text is quoted up to this many characters

# The verb as it reads after the record's kind: "Address added".
PAST_TENSE = {
    Verb.VIEW: "viewed", Verb.LIST: "listed", Verb.DENY: "refused", Verb.CREATE: "added",
    Verb.CHANGE: "changed", Verb.ARCHIVE: "archived", Verb.REACTIVATE: "re-activated",
    Verb.REMOVE: "removed",
    Verb.EXPORT: "exported", Verb.PRINT: "printed", Verb.DISCLOSE: "disclosed",
    Verb.LOGIN: "signed in", Verb.LOGOUT: "signed out", Verb.LOGIN_FAILED: "sign-in failed",
}


# What only reads a record: a record's history leaves them to the audit trail.
READS = (Verb.VIEW, Verb.LIST, Verb.DENY)


def day(value: date) -> str:
    return dateformat.format(value, DATE_FORMAT)


def moment(value: datetime) -> str:
    return dateformat.format(timezone.localtime(value), MOMENT_FORMAT)


def record_model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(current_object_type(object_type))
    except (LookupError, ValueError):
        return None


def record_kind(object_type: str) -> str:
    """"Case record", "Address", "Team member": what kind of record an event is about."""
    if object_type == "cases.nominal":
        return "Case record"
    model = record_model(object_type)
    return capfirst(model._meta.verbose_name) if model is not None else "Record"


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(model, name: str) -> str:
    field = _field(model, name)
    if field is not None and getattr(field, "verbose_name", None):
        return capfirst(str(field.verbose_name))
    return capfirst(name.replace("_", " "))


# The records a change may point to that are named in words: people and agencies, read in
# one query each, always, so that a page of events costs the same whatever it holds. A
# change pointing to another kind of record says that it changed.
NAMED_RECORDS = ("accounts.User", "accounts.Agency")


def _related(events: list[AuditEvent]) -> dict:
    """{(model, pk): text} for every person and agency a change of these events points to."""
    named = [apps.get_model(label) for label in NAMED_RECORDS]
    wanted = {model: {0} for model in named}  # 0: no record; the query runs all the same
    for event in events:
        model = record_model(event.object_type)
        for name, change in (event.changes or {}).items():
            field = _field(model, name)
            if not isinstance(change, dict) or field is None or not field.is_relation:
                continue
            if field.related_model not in wanted:
                continue
            for value in (change.get("from"), change.get("to")):
                if isinstance(value, int):
                    wanted[field.related_model].add(value)
    found = {}
    for model, ids in wanted.items():
        for obj in model._base_manager.filter(pk__in=ids):
            found[(model, obj.pk)] = str(obj)
    return found


def _value(field, value, related: dict) -> str | None:
    """A stored value in words; None for an empty one."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    if field is None:
        return None if isinstance(value, dict | list) else str(value)
    if field.is_relation:
        return related.get((field.related_model, value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, models.DateTimeField):
        parsed = parse_datetime(value) if isinstance(value, str) else value
        return moment(parsed) if parsed else str(value)
    if isinstance(field, models.DateField):
        parsed = parse_date(value) if isinstance(value, str) else value
        return day(parsed) if parsed else str(value)
    if isinstance(value, dict | list):
        return None  # a structure (a plan's snapshot...): that it changed says enough
    text = " ".join(str(value).split())
    if isinstance(field, models.TextField | models.CharField) and not field.choices:
        return f"“{Truncator(text).chars(TEXT_SHOWN)}”"
    return text


def change_line(model, name: str, change, related: dict, *, hidden: bool = False) -> str:
    """One changed field in words."""
    label = field_label(model, name)
    if hidden or not isinstance(change, dict) or change == WITHHELD:
        return f"{label} changed"
    field = _field(model, name)
    before = _value(field, change.get("from"), related)
    after = _value(field, change.get("to"), related)
    structured = isinstance(change.get("from"), dict | list) or isinstance(
        change.get("to"), dict | list)
    if structured or (before is None and after is None):
        return f"{label} changed"
    if before is None:
        return f"{label} set to {after}"
    if after is None:
        return f"{label} cleared (was {before})"
    return f"{label} changed from {before} to {after}"


def describe(events: Iterable[AuditEvent], *, hidden_fields: Iterable[str] = ()) -> list:
    """The events, each with its `summary` and `change_words` (see the module's doc).
    `hidden_fields`: fields named as changed without their values."""
    events = list(events)
    hidden_fields = set(hidden_fields)
    related = _related(events)
    for event in events:
        model = record_model(event.object_type)
        event.record_kind = record_kind(event.object_type)
        event.summary = f"{event.record_kind} {PAST_TENSE.get(event.action, event.action)}"
        lines = []
        if event.action == Verb.CHANGE:
            for name, change in (event.changes or {}).items():
                lines.append(change_line(model, name, change, related,
                                         hidden=name in hidden_fields))
        event.change_words = lines
    return events
