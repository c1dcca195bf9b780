"""What the services of arranging and holding meetings share: who may arrange them, a
required reason, and the island's clock."""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone

from jmappa import access
from jmappa.core import dates


def _require_manager(actor) -> None:
    if not access.can_manage_meetings(actor):
        raise ValidationError("Only the JMAPPA Co-ordinator or an Administrator arranges "
                              "meetings.")


def _required(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def local_datetime(day: date, clock: time) -> datetime:
    """A date and time as the island's clock reads them."""
    return timezone.make_aware(datetime.combine(day, clock))


def upcoming_from() -> datetime:
    """The start of today: "upcoming" includes today's meetings."""
    return local_datetime(dates.today(), time.min)
