"""Hand-built histories for the KPI tests: cases at a level from a date, held meetings on
given days, Board seats and members."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from cases.services import nominal_set_level
from jmappa.accounts.models import Role
from meetings.models import Meeting, MeetingKind, MeetingStatus
from tests.factories import make_nominal, make_user

KIND = {"1": MeetingKind.LEVEL_1, "2": MeetingKind.LEVEL_2, "3": MeetingKind.LEVEL_3}


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def coordinator():
    return make_user(roles=[Role.COORDINATOR])


def case_at(level: str, since: date, *, actor=None, **fields):
    actor = actor or coordinator()
    nominal = make_nominal(actor=actor, **fields)
    nominal_set_level(nominal=nominal, level=level, reason="Referred", actor=actor, on=since)
    return nominal


def meeting(nominal, day: date, level: str, *, status=MeetingStatus.HELD, actor=None,
            emergency: bool = False):
    kind = {"2": MeetingKind.EMERGENCY_2, "3": MeetingKind.EMERGENCY_3}[level] \
        if emergency else KIND[level]
    return Meeting.objects.create(nominal=nominal, kind=kind, starts_at=at(day), status=status,
                                  created_by=actor or coordinator())
