"""Panel dates (§10.6): the set monthly dates for level 2 and level 3 meetings. One
transaction each, with its audit event."""

from __future__ import annotations

import calendar
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import dateformat, timezone

from jmappa.audit.services import audit_change, audit_create, snapshot
from jmappa.core import dates
from jmappa.core.dates import long_day, long_moment
from jmappa.workdays import add_months, is_working_day

from ..models import MeetingStatus, PanelDate, PanelLevel
from .common import _require_manager, _required

MAX_SERIES_MONTHS = 24


def _check_panel(level: str, starts_at: datetime) -> None:
    if level not in PanelLevel.values:
        raise ValidationError({"level": "Choose level 2 or level 3."})
    day = timezone.localtime(starts_at).date()
    if not is_working_day(day):
        raise ValidationError({"starts_at": f"{long_day(day)} is not a working day in Jersey (a "
                                            "weekend or a bank holiday): choose another day."})
    if PanelDate.objects.filter(level=level, starts_at=starts_at).exists():
        raise ValidationError({"starts_at": f"There is already a level {level} panel on "
                                            f"{long_moment(starts_at)}."})


@transaction.atomic
def panel_date_add(*, level: str, starts_at: datetime, actor, location: str = "",
                   notes: str = "") -> PanelDate:
    """One set date for level 2 or level 3 meetings. A past date may be entered, to record
    the panels held before the system was in use; the page offers future ones only."""
    _require_manager(actor)
    _check_panel(level, starts_at)
    panel = PanelDate.objects.create(level=level, starts_at=starts_at,
                                     location=(location or "").strip(),
                                     notes=(notes or "").strip(), created_by=actor)
    audit_create(actor=actor, obj=panel)
    return panel


def monthly_dates(first: datetime, months: int) -> list[datetime]:
    """The same weekday each month from `first`: the same one of the month (the second
    Thursday...), or the month's last where `first` is the fifth of its month."""
    local = timezone.localtime(first)
    day, clock = local.date(), local.time().replace(tzinfo=None)
    nth = (day.day - 1) // 7 + 1
    weekday = day.weekday()
    dates = []
    for offset in range(months):
        month = add_months(day.replace(day=1), offset)
        last = calendar.monthrange(month.year, month.month)[1]
        first_same = 1 + (weekday - month.weekday()) % 7
        number = first_same + 7 * (nth - 1)
        if nth >= 5:
            number = first_same + 7 * ((last - first_same) // 7)
        dates.append(timezone.make_aware(datetime.combine(month.replace(day=number), clock)))
    return dates


@transaction.atomic
def panel_dates_add_monthly(*, level: str, first: datetime, months: int, actor,
                            location: str = "") -> tuple[list[PanelDate], list[str]]:
    """The same weekday each month for `months` months. A month whose date is a bank
    holiday, or already has that panel, is skipped and said why: (created, skipped)."""
    _require_manager(actor)
    if not 1 <= months <= MAX_SERIES_MONTHS:
        raise ValidationError({"months": f"Choose between 1 and {MAX_SERIES_MONTHS} months."})
    if level not in PanelLevel.values:
        raise ValidationError({"level": "Choose level 2 or level 3."})
    created, skipped = [], []
    for starts_at in monthly_dates(first, months):
        try:
            with transaction.atomic():
                created.append(panel_date_add(level=level, starts_at=starts_at, actor=actor,
                                              location=location))
        except ValidationError as error:
            skipped.append(" ".join(error.messages))
    return created, skipped


@transaction.atomic
def panel_date_cancel(*, panel: PanelDate, reason: str, actor) -> PanelDate:
    """A set date withdrawn, with the reason. The meetings booked on it move first."""
    _require_manager(actor)
    reason = _required(reason, "reason", "Give the reason for cancelling the panel date.")
    current = PanelDate.objects.select_for_update().get(pk=panel.pk)
    if current.cancelled:
        raise ValidationError("This panel date is already cancelled.")
    booked = current.meetings.filter(status=MeetingStatus.SCHEDULED).count()
    if booked:
        raise ValidationError(
            f"{booked} meeting{'s are' if booked > 1 else ' is'} booked on this date: cancel "
            f"{'them' if booked > 1 else 'it'} (and arrange {'them' if booked > 1 else 'it'} "
            "on another date) first.")
    before = snapshot(current, ["cancelled", "notes"])
    current.cancelled = True
    note = f"Cancelled on {dateformat.format(dates.today(), 'j M Y')} by {actor}: {reason}"
    current.notes = f"{current.notes}\n{note}".strip()
    current.save(update_fields=["cancelled", "notes"])
    audit_change(actor=actor, obj=current, before=before)
    return current
