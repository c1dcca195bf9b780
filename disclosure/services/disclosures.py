"""A disclosure to a third party (§5.1-§5.3), one transaction per step with its audit event:
agreed (recipient, trigger, the eight criteria, whether the offender is told), linked to a
plan action of type disclosure, endorsed or refused by the named senior officer, then
carried out. Nothing is disclosed before endorsement."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cases import services as case_services
from cases.models import Nominal, TeamRole
from jmappa import access
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_change, audit_create, audit_log, snapshot
from jmappa.core.versioning import check_version, lock_for_update
from plans import services as plan_services
from plans.models import ActionType, PlanAction

from ..models import (
    CRITERIA_FIELDS,
    DisclosedBy,
    Disclosure,
    DisclosureStatus,
    OffenderInvolvement,
)

AGREE_FIELDS = [
    "recipient_name", "recipient_kind", "recipient_role", "recipient_relationship",
    "recipient_contact", "trigger", *CRITERIA_FIELDS, "offender_involvement", "offender_told",
    "recipient_told_offender_unaware", "planned_by",
]
CARRY_OUT_FIELDS = ["disclosed_by", "disclosed_on", "method", "what_was_said",
                    "acknowledgement"]

ENDORSER_MESSAGE = (
    "Disclosure is endorsed at ACPO or DCO level (§5.1): choose a senior officer of "
    "chief-officer grade in the Police (Assistant Chief Constable or above) or Probation "
    "(Deputy Chief Officer or above)."
)
ALTERNATIVES_MESSAGE = (
    "Record the alternatives to disclosure that were considered and why they were rejected "
    "(§5.2): this must be recorded."
)
NOT_TOLD_MESSAGE = (
    "The offender is not told: confirm the recipient will be told that the offender does not "
    "know of the disclosure (§5.3)."
)
NOT_ENDORSED_MESSAGE = (
    "Nothing can be disclosed before a senior officer endorses the disclosure (§5.1)."
)
REFUSAL_REASONS_MESSAGE = "Give the reasons the disclosure is not endorsed."
ACTION_MESSAGE = "Choose an action of this case's plan of the type “Disclosure”."


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def disclosure_access_grant(*, nominal: Nominal, user, actor) -> None:
    """The case's disclosure permission for `user` (their own, on top of seeing the case)."""
    assign_perm(f"cases.{access.DISCLOSURE_PERMISSION}", user, nominal)
    audit_log(actor=actor, action=Verb.CHANGE, obj=nominal, case_id=nominal.pk,
              detail=f"May read the case's third-party disclosures: user {user.pk}")


def _agree_errors(fields: dict, nominal: Nominal, action, endorser) -> dict[str, str]:
    errors = {}
    if endorser is None or not access.is_chief_officer(endorser):
        errors["endorser"] = ENDORSER_MESSAGE
    if _blank(fields.get("alternatives")):
        errors["alternatives"] = ALTERNATIVES_MESSAGE
    if not fields.get("offender_told") and not fields.get("recipient_told_offender_unaware"):
        errors["recipient_told_offender_unaware"] = NOT_TOLD_MESSAGE
    if action is not None and (action.nominal_id != nominal.pk
                               or action.action_type != ActionType.DISCLOSURE):
        errors["action"] = ACTION_MESSAGE
    return errors


@transaction.atomic
def disclosure_agree(*, nominal: Nominal, actor, endorser, meeting=None,
                     action: PlanAction | None = None, **fields) -> Disclosure:
    """A disclosure the meeting agreed, awaiting endorsement. It is part of the plan: with
    no action of type disclosure given, one is added to the plan, owned by the actor's
    agency, due by the planned date (the recipient is not named in the plan)."""
    unknown = set(fields) - set(AGREE_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set here")
    if not (access.can_view_nominal(actor, nominal)
            and access.can_agree_disclosure(actor, nominal)):
        raise PermissionDenied("Only a Chair, the Co-ordinator or the case's managers record "
                               "a disclosure the meeting agreed.")
    errors = _agree_errors(fields, nominal, action, endorser)
    disclosure = Disclosure(nominal=nominal, meeting=meeting, action=action,
                            endorser=endorser, created_by=actor, status=DisclosureStatus.AGREED,
                            **{name: value.strip() if isinstance(value, str) else value
                               for name, value in fields.items()})
    if not disclosure.offender_involvement:
        disclosure.offender_involvement = OffenderInvolvement.NOT_INVOLVED
    try:
        disclosure.full_clean(exclude=["action", "endorser", "nominal", "created_by"],
                              validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages[0])
    if errors:
        raise ValidationError(errors)
    if action is None:
        action = plan_services.action_add(
            nominal=nominal, actor=actor, meeting=meeting, action_type=ActionType.DISCLOSURE,
            description=f"Disclose to the {disclosure.get_recipient_kind_display().lower()}, "
                        f"once endorsed at ACPO or DCO level (§5).",
            owner_agency=actor.agency or endorser.agency, due_date=disclosure.planned_by)
        disclosure.action = action
    disclosure.save()
    audit_create(actor=actor, obj=disclosure, case_id=nominal.pk)
    # The senior officer must read the case to endorse: they join its team.
    case_services.team_member_add(nominal=nominal, user=endorser,
                                  role=TeamRole.AGENCY_CONTACT, actor=actor)
    for user in {actor, endorser, nominal.case_manager}:
        if user is not None:
            disclosure_access_grant(nominal=nominal, user=user, actor=actor)
    return disclosure


@transaction.atomic
def disclosure_endorse(*, disclosure: Disclosure, actor, endorse: bool,
                       reasons: str = "") -> Disclosure:
    """The named senior officer endorses the disclosure, or refuses it with reasons."""
    current = lock_for_update(disclosure)
    if not (access.can_view_disclosures(actor, current.nominal)
            and access.can_endorse_disclosure(actor, current)):
        raise PermissionDenied("Only the senior officer named on the disclosure, of chief-"
                               "officer grade, endorses it.")
    if current.status != DisclosureStatus.AGREED:
        raise ValidationError("This disclosure has already been decided by the senior "
                              "officer.")
    if not endorse and _blank(reasons):
        raise ValidationError({"endorsement_reasons": REFUSAL_REASONS_MESSAGE})
    before = snapshot(current, ["status", "endorsed_at", "endorsement_reasons"])
    current.status = DisclosureStatus.ENDORSED if endorse else DisclosureStatus.REFUSED
    current.endorsed_at = timezone.now() if endorse else None
    current.endorsement_reasons = (reasons or "").strip()
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    return current


@transaction.atomic
def disclosure_carry_out(*, disclosure: Disclosure, actor, version: int | None,
                         disclosed_by: str, disclosed_on: date | None, method: str,
                         what_was_said: str, acknowledgement: str) -> Disclosure:
    """The disclosure made: by whom, when, how, what was said, and the recipient's
    acknowledgement of what they may and may not pass on."""
    current = lock_for_update(disclosure)
    if not (access.can_view_disclosures(actor, current.nominal)
            and access.can_carry_out_disclosure(actor, current)):
        raise PermissionDenied("The Police or Probation officer records the disclosure.")
    if current.status != DisclosureStatus.ENDORSED:
        raise ValidationError({"status": NOT_ENDORSED_MESSAGE})
    check_version(disclosure, current, version, CARRY_OUT_FIELDS)
    errors = {}
    if disclosed_by not in DisclosedBy.values:
        errors["disclosed_by"] = "Say who made the disclosure."
    if disclosed_on is None:
        errors["disclosed_on"] = "Give the date of the disclosure."
    elif disclosed_on > timezone.localdate():
        errors["disclosed_on"] = "The date of the disclosure cannot be in the future."
    elif current.endorsed_at and disclosed_on < timezone.localtime(current.endorsed_at).date():
        errors["disclosed_on"] = NOT_ENDORSED_MESSAGE
    if _blank(method):
        errors["method"] = "Say how the disclosure was made."
    if _blank(what_was_said):
        errors["what_was_said"] = "Record what was said."
    if _blank(acknowledgement):
        errors["acknowledgement"] = ("Record the recipient's acknowledgement of what they may "
                                     "and may not pass on.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(current, ["status", "officer", *CARRY_OUT_FIELDS])
    current.status = DisclosureStatus.DISCLOSED
    current.officer = actor
    current.disclosed_by, current.disclosed_on, current.method = (
        disclosed_by, disclosed_on, method)
    current.what_was_said, current.acknowledgement = what_was_said.strip(), \
        acknowledgement.strip()
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    audit_log(actor=actor, action=Verb.DISCLOSE, obj=current, case_id=current.nominal_id)
    disclosure_access_grant(nominal=current.nominal, user=actor, actor=actor)
    return current
