"""The disclosure step of a meeting's minutes (§5.2): every meeting, at every level, decides
no disclosure (with the reasons), disclose (which opens a disclosure), or defer to a named
later date with what is awaited. The decision and its reasons are the minutes' own fields;
a deferral's date and what is awaited are kept here, and finalising asks for them."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jmappa import access
from jmappa.audit.services import audit_change, audit_create, snapshot
from meetings.models import DisclosureDecision, Minutes, MinutesStatus

from ..models import Deferral

DEFERRAL_MESSAGE = (
    "The disclosure decision is deferred: name the date it will be taken by and what is "
    "awaited, on the minutes' disclosure step (§5.2)."
)
DEFER_DATE_MESSAGE = "The decision must be deferred to a date after the meeting."
AWAITED_MESSAGE = "Say what is awaited before the decision can be taken."


def finalise_problems(minutes: Minutes) -> dict[str, list[str]]:
    """What finalising these minutes still needs from the disclosure step."""
    if minutes.disclosure_decision == DisclosureDecision.DEFER and not Deferral.objects.filter(
            minutes=minutes).exists():
        return {"disclosure_decision": [DEFERRAL_MESSAGE]}
    return {}


@transaction.atomic
def deferral_record(*, minutes: Minutes, actor, decide_by: date | None,
                    awaited: str) -> Deferral:
    """The date a deferred decision will be taken by, and what is awaited; recorded while
    the minutes are a draft, by whoever drafts them."""
    meeting = minutes.meeting
    if not access.can_draft_minutes(actor, meeting):
        raise PermissionDenied("Only the Administrator or the meeting's Chair records the "
                               "minutes' disclosure decision.")
    if minutes.status != MinutesStatus.DRAFT:
        raise ValidationError("These minutes are final and locked: they cannot be changed.")
    errors = {}
    if decide_by is None or decide_by <= meeting.date:
        errors["decide_by"] = DEFER_DATE_MESSAGE
    if not (awaited or "").strip():
        errors["awaited"] = AWAITED_MESSAGE
    if errors:
        raise ValidationError(errors)
    existing = Deferral.objects.select_for_update().filter(minutes=minutes).first()
    if existing:
        before = snapshot(existing, ["decide_by", "awaited"])
        existing.decide_by, existing.awaited = decide_by, awaited.strip()
        existing.save(update_fields=["decide_by", "awaited"])
        audit_change(actor=actor, obj=existing, before=before, case_id=meeting.nominal_id)
        return existing
    deferral = Deferral.objects.create(nominal_id=meeting.nominal_id, minutes=minutes,
                                       decide_by=decide_by, awaited=awaited.strip(),
                                       created_by=actor)
    audit_create(actor=actor, obj=deferral, case_id=meeting.nominal_id)
    return deferral
