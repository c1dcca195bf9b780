"""Writing the audit trail. Every service that reads or writes a record calls these."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from .context import current
from .models import EVERY_FIELD, AuditEvent, Verb

# What the trail stores instead of a sensitive value: that it changed, never what it was.
WITHHELD = "(withheld)"


def _object_type(obj: models.Model) -> str:
    return obj._meta.label_lower


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The values of an object's concrete fields, to diff after a change."""
    names = fields or [f.name for f in obj._meta.concrete_fields]
    values = {}
    for name in names:
        field = obj._meta.get_field(name)
        values[name] = getattr(obj, field.attname) if field.concrete else getattr(obj, name)
    return values


def diff(before: dict[str, Any], after: dict[str, Any], sensitive: Iterable[str] = ()) -> dict:
    """{field: {"from": old, "to": new}} for fields that changed; sensitive values withheld
    (`sensitive` a model's `audit_sensitive_fields`: names, or EVERY_FIELD)."""
    sensitive = sensitive if sensitive is EVERY_FIELD else set(sensitive)
    changes = {}
    for name, new in after.items():
        old = before.get(name)
        if old == new:
            continue
        if name in sensitive:
            changes[name] = WITHHELD
        else:
            changes[name] = {"from": old, "to": new}
    return changes


def audit_log(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    case_id: int | None = None,
    changes: dict | None = None,
    detail: str = "",
    channel: str | None = None,
    username: str = "",
) -> AuditEvent:
    context = current()
    if obj is not None:
        object_type = object_type or _object_type(obj)
        object_id = object_id or obj.pk
        if getattr(obj, "audit_sensitive_fields", ()) is EVERY_FIELD:
            # Its text is made of its fields: named by its kind only.
            object_repr = str(obj._meta.verbose_name).capitalize()
        object_repr = object_repr or str(obj)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    agency = getattr(actor, "agency", None) if is_user else None
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_username=actor.get_username() if is_user else username,
        actor_agency=agency.name if agency else "",
        channel=channel or context.channel,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_repr=object_repr[:255],
        case_id=case_id,
        changes=changes or {},
        detail=detail,
        ip_address=context.ip_address,
    )


def audit_read(*, actor, obj: models.Model, case_id: int | None = None) -> AuditEvent:
    return audit_log(actor=actor, action=Verb.VIEW, obj=obj, case_id=case_id)


def audit_list(*, actor, model, ids: Iterable, detail: str = "") -> AuditEvent:
    """One page of a list read (a page, an API list): the ids of the `model` records it
    showed, in their order; `detail` the address read, its filters with it."""
    label = model if isinstance(model, str) else model._meta.label_lower
    return audit_log(actor=actor, action=Verb.LIST, object_type=label,
                     changes={"ids": list(ids)}, detail=detail)


def audit_denied(*, actor, model, object_id, case_id: int | None = None,
                 detail: str = "") -> AuditEvent:
    """A record asked for and refused (answered 404 or 403): a denied read. Only the kind
    and the id asked are kept, nothing of the record, which may not exist."""
    label = model if isinstance(model, str) else model._meta.label_lower
    return audit_log(actor=actor, action=Verb.DENY, object_type=label,
                     object_id=str(object_id or "")[:64], case_id=case_id, detail=detail)


def audit_change(
    *, actor, obj: models.Model, before: dict[str, Any], case_id: int | None = None,
    detail: str = "",
) -> AuditEvent | None:
    """Record a change of `obj` against its `snapshot` taken before; nothing if nothing changed.
    `detail`: why, in words ("Agreed at the level 3 meeting of 5 December 2026")."""
    after = snapshot(obj, before.keys())
    changes = diff(before, after, getattr(obj, "audit_sensitive_fields", ()))
    if not changes:
        return None
    return audit_log(actor=actor, action=Verb.CHANGE, obj=obj, case_id=case_id, changes=changes,
                     detail=detail)


def audit_create(*, actor, obj: models.Model, case_id: int | None = None) -> AuditEvent:
    sensitive = getattr(obj, "audit_sensitive_fields", ())
    values = {k: v for k, v in snapshot(obj).items() if k != "id"}
    changes = diff({}, values, sensitive)
    return audit_log(actor=actor, action=Verb.CREATE, obj=obj, case_id=case_id, changes=changes)


# What an entry about a removed case says of its record instead of its text.
REMOVED_NOTE = "Removed at the retention review (§13.3)"


def _word_pattern(term: str) -> str:
    """`term` as a whole word, case-insensitively, in PostgreSQL's regular expressions."""
    escaped = "".join(ch if ch.isalnum() else "\\" + ch for ch in term)
    return rf"\m{escaped}\M"


def erase_removed_case(*, case_id: int, records: Iterable[str], terms: Iterable[str]) -> int:
    """The one change the append-only trail allows (migration 0005): once case `case_id` is
    removed (§13.3), in the same transaction, every entry about it or about one of
    `records` (its removed records, as "app.model:id") keeps who, when, through what, the
    kind of record and its id, but no longer its text, the values it changed nor its
    detail; and the lists, searches and exports that showed the case or asked for one of
    `terms` (its names and numbers) no longer say what was asked. The database refuses it
    while the case exists. How many entries were erased."""
    from django.db import connection

    patterns = sorted({_word_pattern(term) for term in terms if term})
    with connection.cursor() as cursor:
        cursor.execute("SELECT audit_event_erase_removed_case(%s, %s, %s, %s, %s)",
                       [case_id, sorted(set(records)), patterns, REMOVED_NOTE, WITHHELD])
        return cursor.fetchone()[0]
