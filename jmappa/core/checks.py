"""The checks every section's services make alike before they write, in the users' words:
the errors gathered by field, then raised together, so that a form shows them all beside
their fields and loses nothing typed."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

FUTURE = "The date cannot be in the future."


def text(value) -> str:
    return (value or "").strip()


def stripped(fields: dict) -> dict:
    """The values as typed, without the spaces around the text."""
    return {name: value.strip() if isinstance(value, str) else value
            for name, value in fields.items()}


def required(errors: dict, name: str, value, message: str) -> None:
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        errors.setdefault(name, message)


def not_future(errors: dict, name: str, day: date | None) -> None:
    if day is not None and day > timezone.localdate():
        errors.setdefault(name, FUTURE)


def raise_errors(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)
