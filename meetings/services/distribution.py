"""Final minutes distributed to the SPOC of each invited agency, and shared beyond them only
with the Chair's recorded consent (§10.12). One transaction each, with its audit event."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jmappa import access
from jmappa.audit.services import audit_create

from .. import notify
from ..models import Distribution, Minutes, MinutesStatus, SharingConsent
from .minutes import _blank, _check_is_chair, _locked


@dataclass
class DistributionResult:
    sent: list[Distribution] = field(default_factory=list)
    already_sent: list = field(default_factory=list)   # agencies
    without_spoc: list = field(default_factory=list)   # agencies


@transaction.atomic
def minutes_distribute(*, minutes: Minutes, actor) -> DistributionResult:
    """Final minutes sent to the SPOC of each invited agency: who and when are logged, and
    each SPOC is emailed a link. Agencies already sent these minutes are not sent them
    twice; agencies without a SPOC are reported."""
    current = _locked(minutes)
    meeting = current.meeting
    if not access.can_manage_meetings(actor):
        raise PermissionDenied("Only the JMAPPA Administrator or the Co-ordinator "
                               "distributes the minutes.")
    if current.status != MinutesStatus.FINAL:
        raise ValidationError("Only the final minutes can be distributed: the Chair "
                              "finalises them first.")
    agencies = {}
    for invitation in meeting.invitations.filter(withdrawn_at__isnull=True) \
            .select_related("agency__spoc").order_by("agency__name"):
        agencies.setdefault(invitation.agency_id, invitation.agency)
    done = set(current.distribution.values_list("agency_id", flat=True))
    result = DistributionResult()
    now = timezone.now()
    for agency in agencies.values():
        if agency.pk in done:
            result.already_sent.append(agency)
            continue
        spoc = agency.spoc
        if spoc is None or not spoc.is_active:
            result.without_spoc.append(agency)
            continue
        row = Distribution.objects.create(minutes=current, agency=agency, recipient=spoc,
                                          sent_at=now, sent_by=actor)
        audit_create(actor=actor, obj=row, case_id=meeting.nominal_id)
        # The SPOC receives the minutes for the agency (§10.12) and reads them through this
        # row (access.restrict_minutes_meetings): the minutes, not the whole case (§4.2).
        result.sent.append(row)
    notify.minutes_distributed(current, [row.recipient.email for row in result.sent])
    return result


THIRD_PARTY_MESSAGE = (
    "A full copy of the minutes is never given to a court, the IPCC, the Law Officers' "
    "Department, the offender or another third party (§5.5): log the request in the register "
    "of requests for minutes, and the Chair prepares the Minutes Executive Summary (§5.6).")


@transaction.atomic
def sharing_consent_record(*, minutes: Minutes, actor, recipient: str, purpose: str,
                           third_party: bool) -> SharingConsent:
    """The Chair's consent to share the final minutes beyond the invited agencies, with an
    agency working with the case (a receiving MAPPA area, an agency joining its management).
    Never with a third party who asks for them: they receive the Executive Summary."""
    current = _locked(minutes)
    meeting = current.meeting
    _check_is_chair(actor, meeting, "consent to sharing its minutes")
    if current.status != MinutesStatus.FINAL:
        raise ValidationError("Only the final minutes can be shared.")
    errors = {}
    if third_party:
        errors["third_party"] = THIRD_PARTY_MESSAGE
    if _blank(recipient):
        errors["recipient"] = "Say who the minutes will be shared with."
    if _blank(purpose):
        errors["purpose"] = "Give the purpose of sharing them."
    if errors:
        raise ValidationError(errors)
    consent = SharingConsent(minutes=current, recipient=recipient.strip(),
                             purpose=purpose.strip(), consented_by=actor,
                             consented_at=timezone.now())
    consent.full_clean()
    consent.save()
    audit_create(actor=actor, obj=consent, case_id=meeting.nominal_id)
    return consent
