"""Dates as the application says them, and today's date in Jersey."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import dateformat, timezone


def today() -> date:
    return timezone.localdate()


def long_day(value: date) -> str:
    """"Monday 7 December 2026": how emails and messages name a day."""
    return dateformat.format(value, "l j F Y")


def long_moment(value: datetime) -> str:
    """"Monday 7 December 2026 at 14:30", in local time."""
    return dateformat.format(timezone.localtime(value), "l j F Y \\a\\t H:i")
