"""An offender's attendance at a place of worship (§5.4) and the behaviour contract
(§14.10), one transaction per step with its audit event: the case manager's assessment and
the discussion with the offender; the contract's terms, from the specimen, edited for the
case; the contract signed (its date and a scan), or the decision taken when he is unwilling,
recorded on ViSOR; a breach reported, which alerts the case manager at once, and the action
taken on it."""

from __future__ import annotations

from datetime import date
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Nominal
from jmappa import access
from jmappa.audit.services import audit_change, audit_create, snapshot
from jmappa.core.deadlines import deadlines_changed_on_commit
from jmappa.core.uploads import check_upload
from jmappa.core.versioning import check_version, lock_for_update

from .. import notify
from ..models import (
    ContractBreach,
    Disclosure,
    DisclosureStatus,
    RecipientKind,
    WorshipArrangement,
    WorshipStatus,
    specimen_contract,
)
from .disclosures import disclosure_access_grant

ASSESS_FIELDS = [
    "place_of_worship", "place_address", "religious_leader", "leader_contact", "concern",
    "risk_assessment", "discussed_with_offender", "discussion", "no_discussion_reason",
]
REFUSAL_FIELDS = ["licence_condition_sought", "restraining_order_sought", "refusal_decision",
                  "visor_recorded_on"]

MANAGERS_ONLY = ("The case manager, a Chair or the Co-ordinator records attendance at a place "
                 "of worship (§5.4).")
ASSESSMENT_MESSAGE = ("Record the case manager's assessment of the risk of harm attending "
                      "could present (§5.4).")
DISCUSSION_MESSAGE = ("Record the discussion with the offender about protecting children and "
                      "identified victims who may be present (§5.4).")
NO_DISCUSSION_MESSAGE = ("Say why discussing it with the offender would put a victim at "
                         "greater risk (§5.4).")
NOT_OPEN_MESSAGE = "The contract has already been signed or refused."
NOT_SIGNED_MESSAGE = "Only a signed contract can be breached."
FUTURE_MESSAGE = "The date cannot be in the future."
DISCLOSURE_MESSAGE = ("Choose a disclosure of this case to a religious leader, or leave it "
                      "empty.")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_text(fields: dict) -> dict:
    return {name: value.strip() if isinstance(value, str) else value
            for name, value in fields.items()}


def _check_manager(actor, nominal: Nominal) -> None:
    if not (access.can_view_nominal(actor, nominal)
            and access.can_manage_worship(actor, nominal)):
        raise PermissionDenied(MANAGERS_ONLY)


def _assessment_errors(fields: dict) -> dict[str, str]:
    errors = {}
    if _blank(fields.get("risk_assessment")):
        errors["risk_assessment"] = ASSESSMENT_MESSAGE
    discussed = fields.get("discussed_with_offender")
    if discussed is None:
        errors["discussed_with_offender"] = ("Say whether the need to protect children and "
                                             "victims was discussed with the offender.")
    elif discussed and _blank(fields.get("discussion")):
        errors["discussion"] = DISCUSSION_MESSAGE
    elif not discussed and _blank(fields.get("no_discussion_reason")):
        errors["no_discussion_reason"] = NO_DISCUSSION_MESSAGE
    return errors


@transaction.atomic
def worship_assess(*, nominal: Nominal, actor, **fields) -> WorshipArrangement:
    """The offender wishes to attend a place of worship: the case manager's assessment and
    the discussion with him. The contract starts from the §14.10 specimen for that place."""
    unknown = set(fields) - set(ASSESS_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set here")
    _check_manager(actor, nominal)
    fields = _clean_text(fields)
    errors = _assessment_errors(fields)
    if fields.get("discussed_with_offender"):
        fields["no_discussion_reason"] = ""
    elif fields.get("discussed_with_offender") is False:
        fields["discussion"] = ""
    arrangement = WorshipArrangement(
        nominal=nominal, created_by=actor,
        contract_terms=specimen_contract(fields.get("place_of_worship", "")), **fields)
    try:
        arrangement.full_clean(exclude=["nominal", "created_by", "disclosure"],
                               validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages[0])
    if errors:
        raise ValidationError(errors)
    arrangement.save()
    audit_create(actor=actor, obj=arrangement, case_id=nominal.pk)
    for user in {actor, nominal.case_manager}:
        if user is not None:
            disclosure_access_grant(nominal=nominal, user=user, actor=actor)
    return arrangement


@transaction.atomic
def worship_update(*, arrangement: WorshipArrangement, actor, version: int | None,
                   disclosure: Disclosure | None = None, contract_terms: str,
                   **fields) -> WorshipArrangement:
    """The assessment, the disclosure to the religious leader it goes with, and the
    contract's terms, edited until the contract is signed or refused."""
    unknown = set(fields) - set(ASSESS_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set here")
    current = lock_for_update(arrangement)
    _check_manager(actor, current.nominal)
    if current.status != WorshipStatus.ASSESSED:
        raise ValidationError(NOT_OPEN_MESSAGE)
    names = [*ASSESS_FIELDS, "disclosure", "contract_terms"]
    check_version(arrangement, current, version, names)
    fields = _clean_text(fields)
    errors = _assessment_errors({**{name: getattr(current, name) for name in ASSESS_FIELDS},
                                 **fields})
    if _blank(contract_terms):
        errors["contract_terms"] = "Write the terms of the contract."
    if disclosure is not None and (disclosure.nominal_id != current.nominal_id
                                   or disclosure.recipient_kind
                                   != RecipientKind.RELIGIOUS_LEADER):
        errors["disclosure"] = DISCLOSURE_MESSAGE
    if errors:
        raise ValidationError(errors)
    before = snapshot(current, names)
    for name, value in fields.items():
        setattr(current, name, value)
    if current.discussed_with_offender:
        current.no_discussion_reason = ""
    else:
        current.discussion = ""
    current.disclosure = disclosure
    current.contract_terms = contract_terms.replace("\r\n", "\n").strip()
    current.version += 1
    current.full_clean(exclude=["nominal", "created_by", "disclosure", "countersigned_by"],
                       validate_constraints=False)
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    return current


@transaction.atomic
def worship_disclosure_link(*, arrangement: WorshipArrangement, disclosure: Disclosure,
                            actor) -> WorshipArrangement:
    """The disclosure to the religious leader recorded from the arrangement: linked to it."""
    current = lock_for_update(arrangement)
    _check_manager(actor, current.nominal)
    if (disclosure.nominal_id != current.nominal_id
            or disclosure.recipient_kind != RecipientKind.RELIGIOUS_LEADER):
        raise ValidationError({"disclosure": DISCLOSURE_MESSAGE})
    before = snapshot(current, ["disclosure"])
    current.disclosure = disclosure
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    return current


def _past_or_today(day: date | None, errors: dict, name: str, missing: str) -> None:
    if day is None:
        errors[name] = missing
    elif day > timezone.localdate():
        errors[name] = FUTURE_MESSAGE


@transaction.atomic
def worship_contract_signed(*, arrangement: WorshipArrangement, actor, version: int | None,
                            signed_on: date | None, upload) -> WorshipArrangement:
    """The contract signed by the offender and his offender manager: the date, and a scan
    of the signed copy."""
    current = lock_for_update(arrangement)
    _check_manager(actor, current.nominal)
    if current.status != WorshipStatus.ASSESSED:
        raise ValidationError(NOT_OPEN_MESSAGE)
    check_version(arrangement, current, version, ["contract_terms"])
    errors: dict[str, str] = {}
    _past_or_today(signed_on, errors, "signed_on", "Give the date the contract was signed.")
    if upload is None:
        errors["upload"] = "Attach a scan of the signed contract."
    else:
        try:
            content_type = check_upload(upload)
        except ValidationError as error:
            errors["upload"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    before = snapshot(current, ["status", "signed_on", "countersigned_by"])
    current.status = WorshipStatus.SIGNED
    current.signed_on = signed_on
    current.countersigned_by = actor
    current.scan_name = PurePath(upload.name).name[:255]
    current.scan_content_type = content_type
    current.scan.save(upload.name, upload, save=False)
    stored = current.scan.name
    current.version += 1
    try:
        current.save()
        audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    except Exception:
        current.scan.storage.delete(stored)  # a refused record leaves no file behind
        raise
    return current


@transaction.atomic
def worship_refused(*, arrangement: WorshipArrangement, actor, version: int | None,
                    licence_condition_sought: bool | None,
                    restraining_order_sought: bool | None, refusal_decision: str,
                    visor_recorded_on: date | None) -> WorshipArrangement:
    """The offender is unwilling to sign: whether Probation and the Police will seek a
    licence condition or a Restraining Order to keep him from the place of worship, and the
    date the outcome was recorded on ViSOR (§5.4)."""
    current = lock_for_update(arrangement)
    _check_manager(actor, current.nominal)
    if current.status != WorshipStatus.ASSESSED:
        raise ValidationError(NOT_OPEN_MESSAGE)
    check_version(arrangement, current, version, ["contract_terms"])
    errors: dict[str, str] = {}
    if licence_condition_sought is None:
        errors["licence_condition_sought"] = "Say whether a licence condition will be sought."
    if restraining_order_sought is None:
        errors["restraining_order_sought"] = "Say whether a Restraining Order will be sought."
    if _blank(refusal_decision):
        errors["refusal_decision"] = "Record the decision and its reasons."
    _past_or_today(visor_recorded_on, errors, "visor_recorded_on",
                   "Give the date the outcome was recorded on ViSOR (§5.4).")
    if errors:
        raise ValidationError(errors)
    before = snapshot(current, ["status", *REFUSAL_FIELDS])
    current.status = WorshipStatus.REFUSED
    current.licence_condition_sought = licence_condition_sought
    current.restraining_order_sought = restraining_order_sought
    current.refusal_decision = refusal_decision.strip()
    current.visor_recorded_on = visor_recorded_on
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    return current


@transaction.atomic
def breach_report(*, arrangement: WorshipArrangement, actor, occurred_on: date | None,
                  reported_by: str, what_happened: str) -> ContractBreach:
    """A breach of the contract, reported to the case manager (§5.4): whoever reads the
    arrangement records it, and the case manager is alerted at once."""
    if not access.can_view_disclosures(actor, arrangement.nominal):
        raise PermissionDenied("Only those who read the case's disclosures record a breach.")
    if arrangement.status != WorshipStatus.SIGNED:
        raise ValidationError(NOT_SIGNED_MESSAGE)
    errors: dict[str, str] = {}
    _past_or_today(occurred_on, errors, "occurred_on", "Give the date of the breach.")
    if _blank(reported_by):
        errors["reported_by"] = "Say who reported the breach."
    if _blank(what_happened):
        errors["what_happened"] = "Say what happened."
    breach = ContractBreach(nominal=arrangement.nominal, arrangement=arrangement,
                            occurred_on=occurred_on, reported_by=(reported_by or "").strip(),
                            what_happened=(what_happened or "").strip(), recorded_by=actor)
    try:
        breach.full_clean(exclude=["nominal", "arrangement", "recorded_by"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages[0])
    if errors:
        raise ValidationError(errors)
    breach.save()
    audit_create(actor=actor, obj=breach, case_id=arrangement.nominal_id)
    deadlines_changed_on_commit(arrangement.nominal_id)
    notify.breach_reported(breach)
    return breach


@transaction.atomic
def breach_action(*, breach: ContractBreach, actor, version: int | None,
                  action_taken: str) -> ContractBreach:
    """The action taken on a breach (the place of worship prohibits attendance, a warning,
    breach proceedings, a recall requested): the alert clears."""
    current = lock_for_update(breach)
    _check_manager(actor, current.nominal)
    check_version(breach, current, version, ["action_taken"])
    if _blank(action_taken):
        raise ValidationError({"action_taken": "Record the action taken on the breach."})
    before = snapshot(current, ["action_taken", "action_by", "action_at"])
    current.action_taken = action_taken.strip()
    current.action_by, current.action_at = actor, timezone.now()
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    deadlines_changed_on_commit(current.nominal_id)
    return current


def disclosed_to_leader(arrangement: WorshipArrangement) -> bool:
    """Whether the religious leader has been told (§5.4: sufficient information to protect
    the congregation)."""
    return (arrangement.disclosure is not None
            and arrangement.disclosure.status == DisclosureStatus.DISCLOSED)
