"""Every write to a referral: one transaction each, with its audit event.

The referrer drafts, changes and submits; the Co-ordinator screens (§10.4): accept at
level 2 or 3, reject with the reason (§3.5), ask for more information, or confirm level 1
management (§10.3). A sex offender is never closed without a multi-agency meeting (§9.2).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases import selectors as case_selectors
from cases import services as case_services
from cases.models import (
    AliasKind,
    Category,
    CustodyStatus,
    Eligibility,
    Level,
    Nominal,
    OrderType,
    Status,
    TeamRole,
)
from jmappa import access
from jmappa.audit.services import audit_change, audit_create, snapshot
from jmappa.core import dates
from jmappa.core.versioning import check_version, lock_for_update

from . import notify, rules, selectors
from .models import (
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    SEX_OFFENDER_MESSAGE,
    Referral,
    ReferralAgency,
    ReferralStatus,
    ReferralStep,
)

# What the referrer fills in: the Appendix A form.
REFERRAL_FIELDS = [
    "nominal", "given_names", "family_name", "date_of_birth", "aliases", "address",
    "prison_number", "conviction", "sexual_offence", "earliest_release_date", "pnc_number",
    "custody_status", "temporary_release_date", "institution_contact", "supervision_type",
    "supervision_start", "supervision_end", "lead_agency", "contact_name", "contact_area",
    "contact_address", "contact_telephone", "contact_email", "reasons", "why_not_level_1",
    "victims", "level_proposed", "category_proposed", "urgency",
]
AGENCY_FIELDS = ["agency", "contact_name", "contact_details", "contact_email",
                 "contact_telephone"]
CONFIRMED_CATEGORIES = (Category.ONE, Category.TWO, Category.THREE, Category.PDP)



def _step(referral: Referral, actor, note: str = "") -> None:
    ReferralStep.objects.create(referral=referral, status=referral.status, actor=actor,
                                note=note)


# -- what a submitted referral must hold (Appendix B) -----------------------------------------


def submission_errors(referral: Referral, agencies: list[dict]) -> dict[str, str]:
    """What is missing before the Co-ordinator can screen the referral, in the referrer's
    words: {field: message}, `agencies` for the rows of agencies to be involved."""
    errors: dict[str, str] = {}

    def need(field: str, message: str) -> None:
        value = getattr(referral, field)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.setdefault(field, message)

    need("date_of_birth", "Enter the date of birth.")
    if referral.category_proposed != Category.PDP:
        need("conviction", "Enter the current or most important sexual or violent offence "
                           "(a potentially dangerous person has none: choose PDP as the "
                           "category).")
    need("reasons", "Give the reasons for the referral: why the case needs multi-agency "
                    "management.")
    need("why_not_level_1", "Explain why the case cannot be managed at level 1 (cases are "
                            "managed at the lowest level possible).")
    need("level_proposed", "Choose the JMAPPA level proposed: 2 or 3.")
    need("lead_agency", "Choose the lead agency.")
    need("contact_name", "Enter the name of the lead agency's contact.")
    if not (referral.contact_telephone.strip() or referral.contact_email.strip()):
        errors["contact_telephone"] = (
            "Give a telephone number or an email address for the lead agency's contact.")
    if referral.custody_status in rules.DETAINED:
        where = "custody" if referral.custody_status == CustodyStatus.CUSTODY else "hospital"
        if not (referral.temporary_release_date or referral.earliest_release_date):
            errors["temporary_release_date"] = (
                f"The subject is in {where}: give the eligibility date for release on "
                "temporary licence, or the earliest release date, so the meeting can be "
                "held 6 months before it (§10.4).")
        need("institution_contact",
             f"The subject is in {where}: name the institution's Offender Supervisor or "
             "Responsible Medical Officer, with their telephone or email.")
    if not agencies:
        errors["agencies"] = ("Name at least one agency to be involved, with the person to "
                              "invite and their email or telephone.")
    for number, row in enumerate(agencies, start=1):
        agency = row.get("agency")
        label = f"Agency {number}" + (f" ({agency})" if agency else "")
        if not agency:
            errors.setdefault("agencies", f"{label}: choose the agency.")
        elif not (row.get("contact_name") or "").strip():
            errors.setdefault("agencies", f"{label}: enter the name of the person to invite.")
        elif not ((row.get("contact_email") or "").strip()
                  or (row.get("contact_telephone") or "").strip()):
            errors.setdefault("agencies", f"{label}: give the email or telephone of "
                                          f"{row['contact_name'].strip()}.")
    return errors


def _check_dates(referral: Referral) -> None:
    errors = {}
    today = dates.today()
    if referral.date_of_birth and referral.date_of_birth >= today:
        errors["date_of_birth"] = "The date of birth must be in the past."
    if (referral.supervision_start and referral.supervision_end
            and referral.supervision_end < referral.supervision_start):
        errors["supervision_end"] = "The end date cannot be before the start date."
    if errors:
        raise ValidationError(errors)


def _check_nominal(referral: Referral, actor) -> None:
    if referral.nominal_id and not access.can_view_nominal(actor, referral.nominal):
        raise ValidationError({"nominal": "Choose one of your own cases."})


def _agency_rows(referral: Referral) -> list[dict]:
    return [{name: getattr(row, name) for name in AGENCY_FIELDS}
            for row in referral.agencies.all()]


def _set_agencies(referral: Referral, agencies: list[dict]) -> None:
    referral.agencies.all().delete()
    for row in agencies:
        ReferralAgency.objects.create(
            referral=referral, **{name: row.get(name) or "" for name in AGENCY_FIELDS
                                  if name != "agency"}, agency=row["agency"])


# -- the referrer ------------------------------------------------------------------------------


@transaction.atomic
def referral_create(*, actor, agencies: list[dict] | None = None, **fields) -> Referral:
    """A new referral, saved as a draft of the actor's agency."""
    if not access.can_refer(actor):
        raise ValidationError("Only a practitioner of an agency can make a referral.")
    unknown = set(fields) - set(REFERRAL_FIELDS)
    if unknown:
        raise ValueError(f"not referral fields: {sorted(unknown)}")
    fields.setdefault("lead_agency", actor.agency)
    referral = Referral(referred_by=actor, referring_agency=actor.agency, **fields)
    _check_nominal(referral, actor)
    _check_dates(referral)
    referral.full_clean()
    referral.save()
    _set_agencies(referral, agencies or [])
    audit_create(actor=actor, obj=referral, case_id=referral.nominal_id)
    return referral


def _locked_for_referrer(referral: Referral, actor, version: int | None) -> Referral:
    current = lock_for_update(referral)
    if not access.can_edit_referral(actor, current):
        if current.status not in EDITABLE_STATUSES:
            raise ValidationError(
                "This referral has been submitted and can no longer be changed. Ask the "
                "JMAPPA Co-ordinator if something in it is wrong.")
        raise ValidationError("Only the referrer can change this referral.")
    check_version(referral, current, version, REFERRAL_FIELDS)
    return current


@transaction.atomic
def referral_update(*, referral: Referral, actor, version: int | None = None,
                    agencies: list[dict] | None = None, **fields) -> Referral:
    """Change a draft (or a referral sent back for information). A `version` older than
    the stored one is refused with StaleEdit, so nobody's change is lost."""
    unknown = set(fields) - set(REFERRAL_FIELDS)
    if unknown:
        raise ValueError(f"not referral fields: {sorted(unknown)}")
    current = _locked_for_referrer(referral, actor, version)
    before = snapshot(current, [*fields.keys()])
    for name, value in fields.items():
        setattr(current, name, value)
    _check_nominal(current, actor)
    _check_dates(current)
    current.full_clean()
    if current.status != ReferralStatus.DRAFT:
        # Sent back for information: it must stay complete enough to screen.
        rows = agencies if agencies is not None else _agency_rows(current)
        errors = submission_errors(current, rows)
        if errors:
            raise ValidationError(errors)
    current.version += 1
    current.save()
    if agencies is not None:
        _set_agencies(current, agencies)
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    return current


@transaction.atomic
def referral_submit(*, referral: Referral, actor, version: int | None = None,
                    note: str = "", on: date | None = None) -> Referral:
    """Send the referral to the Co-ordinator. The meeting-due date is computed and stored
    on the day it is first received (§10.4), today unless `on` says otherwise (a referral
    sent by secure email and entered later); a resubmission after a request for more
    information keeps that day."""
    current = _locked_for_referrer(referral, actor, version)
    errors = submission_errors(current, _agency_rows(current))
    if errors:
        raise ValidationError(errors)
    before = snapshot(current, ["status", "received_on", "meeting_due_by"])
    current.received_on = current.received_on or on or dates.today()
    current.meeting_due_by = rules.meeting_due_by_for(current, current.received_on)
    current.status = ReferralStatus.SUBMITTED
    current.version += 1
    current.save()
    _step(current, actor, note)
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    notify.submitted(current)
    return current


# -- the Co-ordinator's screening -------------------------------------------------------------


def _locked_for_screening(referral: Referral, actor) -> Referral:
    if not access.can_screen_referrals(actor):
        raise ValidationError("Only the JMAPPA Co-ordinator screens referrals.")
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if current.status not in OPEN_STATUSES:
        raise ValidationError(
            f"This referral is {current.get_status_display().lower()}: it has already "
            "been screened.")
    return current


def _decide(current: Referral, actor, status: str, note: str, **fields) -> Referral:
    before = snapshot(current, ["status", "decision_reason", "nominal", *fields.keys()])
    current.status = status
    current.decision_reason = note
    current.screened_by = actor
    current.screened_at = timezone.now()
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.save()
    _step(current, actor, note)
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    return current


def _require_note(note: str, field: str, message: str) -> str:
    if not (note or "").strip():
        raise ValidationError({field: message})
    return note.strip()


def _confirmed_category(category: str) -> str:
    if category not in CONFIRMED_CATEGORIES:
        raise ValidationError({"category": "Confirm the JMAPPA category: 1, 2, 3 or PDP."})
    return category


def register_check(*, referral: Referral, actor) -> tuple[list[Nominal], bool]:
    """The register's duplicate check for a referral not yet linked to a record, as `actor`
    may see it: the possible matches they may see, and whether there are others. Those
    others are named to nobody here: the check is audited on them and the Co-ordinator is
    told (cases.services.duplicate_check_hidden), the same as when a record is added."""
    found = list(selectors.possible_matches(referral))
    visible = case_selectors.visible_among(actor, [n.pk for n in found])
    hidden = [n for n in found if n.pk not in visible]
    case_services.duplicate_check_hidden(
        actor=actor, hidden=hidden, attempt=f"screening referral {referral.reference}",
        subject=f"{referral.given_names} {referral.family_name}")
    return [n for n in found if n.pk in visible], bool(hidden)


def _nominal_for(referral: Referral, *, nominal: Nominal | None, create_new: bool,
                 actor, category: str, level: str, cat3: dict, reason: str) -> Nominal:
    """The record the referral is about: the one chosen, the one it is already linked to,
    or a new one, but never a second record of someone already on the register."""
    nominal = nominal or referral.nominal
    if nominal is None:
        duplicates = list(case_selectors.possible_duplicates(
            given_names=referral.given_names, family_name=referral.family_name,
            date_of_birth=referral.date_of_birth, pnc_number=referral.pnc_number,
            aliases=referral.alias_list,
        ))
        if duplicates and not create_new:
            visible = case_selectors.visible_among(actor, [n.pk for n in duplicates])
            found = ", ".join(n.reference for n in duplicates if n.pk in visible)
            hidden = len(visible) < len(duplicates)
            raise ValidationError({"nominal": (
                "This may be someone already on the register"
                + (f" ({found})" if found else "")
                + ("; the register also holds a possible match you may not see, of which the "
                   "JMAPPA Co-ordinator has been told" if hidden else "")
                + ". Link the referral to a record you see, or confirm that this is a "
                "different person.")})
        return _nominal_create(referral, actor=actor, category=category, level=level,
                               cat3=cat3, reason=reason)
    if nominal.status == Status.ARCHIVED:
        case_services.nominal_reactivate(nominal=nominal, reason=reason, actor=actor)
    case_services.nominal_update(nominal=nominal, actor=actor, category=category,
                                 eligibility=Eligibility.ELIGIBLE, **cat3)
    nominal.refresh_from_db()
    if nominal.level != level:
        case_services.nominal_set_level(nominal=nominal, level=level, reason=reason,
                                        actor=actor)
    return nominal


def _nominal_create(referral: Referral, *, actor, category: str, level: str, cat3: dict,
                    reason: str) -> Nominal:
    referrer = referral.referred_by
    lead_agency = referral.lead_agency or referral.referring_agency
    order_type = {"supervision": OrderType.SUPERVISION,
                  "licence": OrderType.LICENCE}.get(referral.supervision_type, "")
    return case_services.nominal_create(
        actor=actor,
        given_names=referral.given_names, family_name=referral.family_name,
        date_of_birth=referral.date_of_birth, pnc_number=referral.pnc_number,
        prison_number=referral.prison_number, index_offence=referral.conviction,
        eligibility=Eligibility.ELIGIBLE, category=category, level=level,
        level_reason=reason, lead_agency=lead_agency,
        case_manager=referrer if referrer.agency_id == lead_agency.pk else None,
        custody_status=referral.custody_status, order_type=order_type,
        order_start=referral.supervision_start, order_end=referral.supervision_end,
        earliest_release_date=referral.earliest_release_date,
        temporary_release_date=referral.temporary_release_date,
        aliases=[{"name": name, "kind": AliasKind.ALIAS} for name in referral.alias_list],
        addresses=[{"address": referral.address, "is_current": True}]
        if referral.address.strip() else [],
        **cat3,
    )


def _join_case(referral: Referral, nominal: Nominal, actor) -> None:
    """The referrer stays on the case (they always attend its meetings, §10.8), and the
    agencies they named become involved in it."""
    case_services.team_member_add(nominal=nominal, user=referral.referred_by,
                                  role=TeamRole.REFERRER, actor=actor)
    for row in referral.agencies.select_related("agency"):
        case_services.agency_involve(nominal=nominal, agency=row.agency, actor=actor)


@transaction.atomic
def referral_accept(*, referral: Referral, actor, level: str, category: str,
                    nominal: Nominal | None = None, create_new: bool = False,
                    cat3_capacity_for_serious_harm: bool | None = None,
                    cat3_needs_multi_agency_management: bool | None = None,
                    cat3_disposal: str = "", note: str = "") -> Referral:
    """The case meets the threshold: a level 2 or 3 meeting is to be arranged by the
    meeting-due date. The record is linked, or created, at the level and category agreed;
    Category 3 needs the Co-ordinator's two tests (§3.9), checked on the record."""
    current = _locked_for_screening(referral, actor)
    if level not in (Level.TWO, Level.THREE):
        raise ValidationError({"level": "Choose level 2 or level 3."})
    category = _confirmed_category(category)
    # The two tests belong to Category 3 only: another category leaves the record's alone.
    cat3 = {
        "cat3_capacity_for_serious_harm": cat3_capacity_for_serious_harm,
        "cat3_needs_multi_agency_management": cat3_needs_multi_agency_management,
        "cat3_disposal": cat3_disposal or "",
    } if category == Category.THREE else {}
    reason = f"Referral {current.reference} accepted for a level {level} meeting"
    record = _nominal_for(current, nominal=nominal, create_new=create_new, actor=actor,
                          category=category, level=level, cat3=cat3, reason=reason)
    _join_case(current, record, actor)
    current = _decide(current, actor, ReferralStatus.ACCEPTED, (note or "").strip(),
                      nominal=record, level_agreed=level, category_agreed=category)
    notify.decided(current)
    return current


@transaction.atomic
def referral_reject(*, referral: Referral, actor, reason: str) -> Referral:
    """The case does not meet the threshold; the referring agency is told why (§3.5)."""
    current = _locked_for_screening(referral, actor)
    if current.is_sex_offender:
        raise ValidationError({"reason": SEX_OFFENDER_MESSAGE})
    reason = _require_note(reason, "reason", "Give the reason: the referring agency is told "
                                             "why the case is not eligible (§3.5).")
    current = _decide(current, actor, ReferralStatus.REJECTED, reason)
    notify.decided(current)
    return current


@transaction.atomic
def referral_request_info(*, referral: Referral, actor, note: str) -> Referral:
    """Back to the referrer, who can change the form and submit it again."""
    current = _locked_for_screening(referral, actor)
    if current.status != ReferralStatus.SUBMITTED:
        raise ValidationError("More information has already been asked for.")
    note = _require_note(note, "note", "Say what information is needed.")
    current = _decide(current, actor, ReferralStatus.INFO_REQUESTED, note)
    notify.decided(current)
    return current


@transaction.atomic
def referral_confirm_level_1(*, referral: Referral, actor, category: str,
                             nominal: Nominal | None = None, create_new: bool = False,
                             note: str = "") -> Referral:
    """No JMAPP meeting is needed: the lead agency manages the case at level 1 and arranges
    a multi-agency case management discussion (§10.3). Never for a sex offender."""
    current = _locked_for_screening(referral, actor)
    if current.is_sex_offender or category == Category.ONE:
        raise ValidationError(SEX_OFFENDER_MESSAGE)
    category = _confirmed_category(category)
    if category == Category.THREE:
        raise ValidationError({"category": (
            "Category 3 is only for cases that need level 2 or 3 management (§3.9): "
            "accept the referral, or choose another category.")})
    reason = f"Referral {current.reference}: level 1 management confirmed"
    record = _nominal_for(current, nominal=nominal, create_new=create_new, actor=actor,
                          category=category, level=Level.ONE, cat3={}, reason=reason)
    _join_case(current, record, actor)
    current = _decide(current, actor, ReferralStatus.LEVEL_1, (note or "").strip(),
                      nominal=record, level_agreed=Level.ONE, category_agreed=category)
    notify.decided(current)
    return current
