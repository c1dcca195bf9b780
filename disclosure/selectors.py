"""Reads of the disclosure app, restricted by jmappa/access.py: a disclosure names a third
party, so only the Co-ordinator and holders of the case's disclosure permission read it."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Deferral, Disclosure


def disclosures_visible(user) -> QuerySet:
    return Disclosure.objects.visible_to(user).select_related(
        "nominal", "meeting", "action", "endorser", "officer")


def case_disclosures(user, nominal) -> QuerySet:
    return disclosures_visible(user).filter(nominal=nominal)


def minutes_deferral(minutes) -> Deferral | None:
    return Deferral.objects.filter(minutes=minutes).first()
