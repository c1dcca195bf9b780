"""Concurrent edits: a record carries a `version`; a save from a user who opened an
older version is refused with what changed since, never silently applied.

A versioned service does, inside its transaction,

    current = lock_for_update(opened)
    ...its permission and state checks on `current`...
    check_version(opened, current, version, FIELDS)

The pages show the refusal with the other person's values beside what this user
typed (`jmappa.core.forms.stale_merge`); the API answers 412.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


class StaleEdit(Exception):
    """Someone else saved the record since this user opened it."""

    def __init__(self, current: models.Model, changed: dict):
        super().__init__("The record was changed by someone else.")
        self.current = current
        self.changed = changed


def lock_for_update(instance: models.Model) -> models.Model:
    """The stored row, locked until the transaction ends."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def _stored(instance: models.Model, name: str):
    # The id, for a foreign key: compared without a query.
    return getattr(instance, instance._meta.get_field(name).attname)


def check_version(opened: models.Model, current: models.Model, version: int | None,
                  fields: Iterable[str] = ()) -> None:
    """Raises StaleEdit when `version` (what the user opened) is not the stored one,
    with the stored values of `fields` that differ from what they opened."""
    if version is not None and version != current.version:
        raise StaleEdit(current, {name: getattr(current, name) for name in fields
                                  if _stored(opened, name) != _stored(current, name)})
