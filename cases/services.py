"""Every write to a case: one transaction each, with its audit event.

Views, serializers, forms and tasks call these; nothing else writes.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from jmappa import access
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_change, audit_create, audit_log, snapshot
from jmappa.core import dates
from jmappa.core.deadlines import deadlines_changed_on_commit
from jmappa.core.images import clean_photo
from jmappa.core.versioning import check_version, lock_for_update

from .models import (
    TEAM_ROLES_THAT_CHANGE,
    Address,
    Alias,
    CaseAgency,
    ContactEntry,
    Deviation,
    Exclusion,
    LevelChange,
    NamedAccess,
    Nominal,
    RiskAssessment,
    RoshAssessment,
    Status,
    StatusChange,
    TeamMember,
    TeamRole,
    Transfer,
    Victim,
)

NOMINAL_FIELDS = [
    "given_names", "family_name", "date_of_birth", "gender", "ethnicity", "diversity_needs",
    "pnc_number", "visor_number", "prison_number", "eligibility", "category", "index_offence",
    "cat3_capacity_for_serious_harm", "cat3_needs_multi_agency_management", "cat3_disposal",
    "lead_agency", "case_manager", "visor_manager", "custody_status", "sentence", "order_type",
    "order_start", "order_end", "sentence_date", "identified_on", "earliest_release_date",
    "temporary_release_date", "consent_to_share", "consent_date", "consent_scope",
]
# Withholding from the offender that they are managed under JMAPPA is agreed at a meeting,
# with reasons (§3.6): no form or API call on the record sets it; nominal_decide_withholding
# does, from the meeting's final minutes.
WITHHOLDING_FIELDS = ["withhold_from_offender", "withhold_reason"]


# -- permissions -------------------------------------------------------------------------


# The case permissions team membership grants (sync_case_permissions), and nothing else.
TEAM_PERMISSIONS = ("view_nominal", "change_nominal", "view_victims")


def sync_case_permissions(*, nominal: Nominal, user, day: date | None = None) -> None:
    """Make the user's guardian permissions on the case match their current memberships."""
    memberships = list(TeamMember.objects.current(day).filter(nominal=nominal, user=user))
    wanted = {
        "view_nominal": bool(memberships),
        "change_nominal": any(m.role in TEAM_ROLES_THAT_CHANGE for m in memberships),
        "view_victims": any(m.sees_victims for m in memberships),
    }
    for codename, grant in wanted.items():
        if grant:
            assign_perm(f"cases.{codename}", user, nominal)
        else:
            remove_perm(f"cases.{codename}", user, nominal)


# -- team ----------------------------------------------------------------------------------

SMB_MEMBER_MESSAGE = ("An SMB member, as such, sees no individual case: they cannot be on a "
                      "case team. Add them in another role they hold, if any.")
EXCLUDED_MESSAGE = ("This person is excluded from this case: they cannot manage it unless "
                    "the JMAPPA Co-ordinator lifts the exclusion.")
NOT_NAMED_MESSAGE = ("This case is restricted: only the people the JMAPPA Co-ordinator has "
                     "named see it. Ask the Co-ordinator to name this person first.")


def _refuse_smb_member(user, field: str) -> None:
    if access.smb_member_only(user):
        raise ValidationError({field: SMB_MEMBER_MESSAGE})


@transaction.atomic
def team_member_add(
    *, nominal: Nominal, user, role: str, actor, date_from: date | None = None,
    sees_victims: bool = False,
) -> TeamMember:
    if not user.is_active:
        raise ValidationError({"user": "This user's account is disabled."})
    _refuse_smb_member(user, "user")
    existing = TeamMember.objects.current().filter(nominal=nominal, user=user, role=role).first()
    if existing:
        if sees_victims and not existing.sees_victims:
            before = snapshot(existing, ["sees_victims"])
            existing.sees_victims = True
            existing.save(update_fields=["sees_victims"])
            audit_change(actor=actor, obj=existing, before=before, case_id=nominal.pk)
            sync_case_permissions(nominal=nominal, user=user)
        return existing
    member = TeamMember.objects.create(
        nominal=nominal, user=user, role=role, date_from=date_from or dates.today(),
        sees_victims=sees_victims, added_by=actor,
    )
    if user.agency_id:
        agency_involve(nominal=nominal, agency=user.agency, actor=actor)
    sync_case_permissions(nominal=nominal, user=user)
    audit_create(actor=actor, obj=member, case_id=nominal.pk)
    return member


@transaction.atomic
def team_member_end(*, member: TeamMember, actor, date_to: date | None = None) -> TeamMember:
    date_to = date_to or dates.today()
    if date_to < member.date_from:
        raise ValidationError({"date_to": "The end date must be on or after the start date."})
    before = snapshot(member, ["date_to"])
    member.date_to = date_to
    member.save(update_fields=["date_to"])
    sync_case_permissions(nominal=member.nominal, user=member.user)
    audit_change(actor=actor, obj=member, before=before, case_id=member.nominal_id)
    _close_agency_link_if_unstaffed(member, date_to, actor)
    return member


def _close_agency_link_if_unstaffed(member: TeamMember, on: date, actor) -> None:
    """An agency stays involved while one of its people is on the team, or it leads the case;
    otherwise its link ends too (and with it what its SPOC may see)."""
    agency_id = member.user.agency_id
    nominal = member.nominal
    if agency_id is None or agency_id == nominal.lead_agency_id:
        return
    still_staffed = TeamMember.objects.current(on).filter(
        nominal=nominal, user__agency_id=agency_id
    ).exists() or TeamMember.objects.filter(
        nominal=nominal, user__agency_id=agency_id, date_from__gt=on
    ).exists()
    if still_staffed:
        return
    for link in CaseAgency.objects.filter(nominal=nominal, agency_id=agency_id,
                                          date_to__isnull=True):
        before = snapshot(link, ["date_to"])
        link.date_to = max(on, link.date_from)
        link.save(update_fields=["date_to"])
        audit_change(actor=actor, obj=link, before=before, case_id=nominal.pk)


def _end_role(nominal: Nominal, role: str, actor, keep_user=None) -> None:
    for member in TeamMember.objects.current().filter(nominal=nominal, role=role):
        if keep_user is None or member.user_id != keep_user.pk:
            team_member_end(member=member, actor=actor)


@transaction.atomic
def agency_involve(*, nominal: Nominal, agency, actor) -> CaseAgency:
    link = CaseAgency.objects.filter(nominal=nominal, agency=agency, date_to__isnull=True).first()
    if link is None:
        link = CaseAgency.objects.create(nominal=nominal, agency=agency, date_from=dates.today())
        audit_create(actor=actor, obj=link, case_id=nominal.pk)
    return link


# -- the nominal -------------------------------------------------------------------------


def _sync_management_roles(nominal: Nominal, actor) -> None:
    """The case manager and ViSOR manager are team members like anyone else."""
    for role, user in [(TeamRole.CASE_MANAGER, nominal.case_manager),
                       (TeamRole.VISOR_MANAGER, nominal.visor_manager)]:
        _end_role(nominal, role, actor, keep_user=user)
        if user is not None:
            team_member_add(nominal=nominal, user=user, role=role, actor=actor,
                            sees_victims=role == TeamRole.CASE_MANAGER)
    if nominal.lead_agency_id:
        agency_involve(nominal=nominal, agency=nominal.lead_agency, actor=actor)


def _clean(nominal: Nominal) -> None:
    nominal.full_clean(exclude=["photo"])


def _check_managers(nominal: Nominal, before: dict[str, int | None]) -> None:
    """A newly named case manager or ViSOR manager must be someone who may see the case: not
    an SMB member as such, not excluded from it, named on it if it is restricted."""
    errors = {}
    for name in ("case_manager", "visor_manager"):
        person = getattr(nominal, name)
        if person is None or person.pk == before.get(name):
            continue
        if access.smb_member_only(person):
            errors[name] = SMB_MEMBER_MESSAGE
        elif nominal.pk and access.kept_off_case(person, nominal):
            excluded = nominal.exclusions.filter(user=person).exists()
            errors[name] = EXCLUDED_MESSAGE if excluded else NOT_NAMED_MESSAGE
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def nominal_create(
    *, actor, level_reason: str = "", aliases: list[dict] | None = None,
    addresses: list[dict] | None = None, **fields,
) -> Nominal:
    level = fields.pop("level", None)
    if set(WITHHOLDING_FIELDS) & fields.keys():
        raise ValueError("Withholding from the offender is agreed at a meeting (§3.6)")
    nominal = Nominal(**fields)
    _check_managers(nominal, {})
    _clean(nominal)
    nominal.save()
    for alias in aliases or []:
        Alias.objects.create(nominal=nominal, **alias)
    for address in addresses or []:
        Address.objects.create(nominal=nominal, **address)
    audit_create(actor=actor, obj=nominal, case_id=nominal.pk)
    _sync_management_roles(nominal, actor)
    if level and level != nominal.level:
        nominal_set_level(nominal=nominal, level=level, reason=level_reason or "Initial level",
                          actor=actor)
    return nominal


@transaction.atomic
def nominal_update(*, nominal: Nominal, actor, version: int | None = None, **fields) -> Nominal:
    """Change the record. A `version` older than the stored one is refused (StaleEdit)."""
    current = lock_for_update(nominal)
    check_version(nominal, current, version, [name for name in fields if name in NOMINAL_FIELDS])
    before = snapshot(current, [*fields.keys()])
    managers = {"case_manager": current.case_manager_id,
                "visor_manager": current.visor_manager_id}
    for name, value in fields.items():
        if name not in NOMINAL_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(current, name, value)
    _check_managers(current, managers)
    _clean(current)
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.pk)
    if {"case_manager", "visor_manager", "lead_agency"} & fields.keys():
        _sync_management_roles(current, actor)
    return current


@transaction.atomic
def nominal_decide_withholding(*, nominal: Nominal, withhold: bool, reason: str, actor,
                               decided_at: str) -> Nominal:
    """Record the decision, agreed at a meeting (§3.6), to withhold from the offender that
    they are managed under JMAPPA, with its reasons, or to tell them. `decided_at` says
    where it was agreed ("the level 3 meeting of 5 December 2026"), for the audit trail."""
    current = lock_for_update(nominal)
    before = snapshot(current, WITHHOLDING_FIELDS)
    current.withhold_from_offender = withhold
    current.withhold_reason = reason.strip() if withhold else ""
    _clean(current)
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.pk,
                 detail=f"Agreed at {decided_at} (§3.6)" if decided_at else "")
    return current


@transaction.atomic
def nominal_set_level(*, nominal: Nominal, level: str, reason: str, actor,
                      on: date | None = None) -> LevelChange:
    on = on or dates.today()
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the level."})
    LevelChange.objects.filter(nominal=nominal, date_to__isnull=True).update(date_to=on)
    change = LevelChange.objects.create(nominal=nominal, level=level, date_from=on,
                                        reason=reason, decided_by=actor)
    before = snapshot(nominal, ["level"])
    nominal.level = level
    nominal.save(update_fields=["level", "updated_at"])
    audit_change(actor=actor, obj=nominal, before=before, case_id=nominal.pk)
    return change


@transaction.atomic
def nominal_archive(*, nominal: Nominal, reason: str, actor, on: date | None = None) -> Nominal:
    if nominal.status == Status.ARCHIVED:
        raise ValidationError("This case is already archived.")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for archiving."})
    on = on or dates.today()
    nominal.status, nominal.archived_on, nominal.archive_reason = Status.ARCHIVED, on, reason
    nominal.save(update_fields=["status", "archived_on", "archive_reason", "updated_at"])
    StatusChange.objects.create(nominal=nominal, status=Status.ARCHIVED, on=on, reason=reason,
                                by=actor)
    audit_log(actor=actor, action=Verb.ARCHIVE, obj=nominal, case_id=nominal.pk,
              detail=reason)
    deadlines_changed_on_commit(nominal.pk)
    return nominal


@transaction.atomic
def nominal_reactivate(*, nominal: Nominal, reason: str, actor,
                       on: date | None = None) -> Nominal:
    if nominal.status != Status.ARCHIVED:
        raise ValidationError("Only an archived case can be re-activated.")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for re-activating."})
    on = on or dates.today()
    nominal.status, nominal.archived_on, nominal.archive_reason = Status.ACTIVE, None, ""
    nominal.save(update_fields=["status", "archived_on", "archive_reason", "updated_at"])
    StatusChange.objects.create(nominal=nominal, status=Status.ACTIVE, on=on, reason=reason,
                                by=actor)
    audit_log(actor=actor, action=Verb.REACTIVATE, obj=nominal, case_id=nominal.pk,
              detail=reason)
    deadlines_changed_on_commit(nominal.pk)
    return nominal


def duplicate_check_hidden(*, actor, hidden: list[Nominal], attempt: str,
                           subject: str = "") -> None:
    """A duplicate check found records `actor` may not see (`hidden`): they are told only that
    a possible match exists; the probe is audited on each record, and the Co-ordinator is
    told (cases/notify.py) which records matched, and who was `attempt` (e.g. "adding a new
    record to the register"), once a day for the same user, records and `subject` (what
    they were recording, kept in the audit trail only)."""
    from jmappa.audit.models import AuditEvent

    from . import notify

    if not hidden:
        return
    detail = (f"Duplicate check by a user who may not see this record, while {attempt}"
              + (f": {subject}" if subject else ""))[:1000]
    told = AuditEvent.objects.filter(
        actor=actor, action=Verb.VIEW, object_type="cases.nominal", detail=detail,
        object_id__in=[str(n.pk) for n in hidden],
        occurred_at__date=dates.today(),
    ).values("object_id").distinct().count() == len(hidden)
    for nominal in hidden:
        audit_log(actor=actor, action=Verb.VIEW, obj=nominal, object_repr=nominal.reference,
                  case_id=nominal.pk, detail=detail)
    if not told:
        notify.hidden_duplicate(actor=actor, attempt=attempt, hidden=hidden)


# -- parts of the record -------------------------------------------------------------------


def _create_child(model, *, nominal: Nominal, actor, **fields):
    obj = model(nominal=nominal, **fields)
    obj.full_clean()
    obj.save()
    audit_create(actor=actor, obj=obj, case_id=nominal.pk)
    return obj


@transaction.atomic
def alias_add(*, nominal: Nominal, actor, name: str, kind: str) -> Alias:
    return _create_child(Alias, nominal=nominal, actor=actor, name=name, kind=kind)


@transaction.atomic
def address_add(*, nominal: Nominal, actor, **fields) -> Address:
    if fields.get("is_current"):
        for old in Address.objects.filter(nominal=nominal, is_current=True):
            before = snapshot(old, ["is_current", "date_to"])
            old.is_current = False
            old.date_to = old.date_to or fields.get("date_from") or dates.today()
            if old.date_from and old.date_to < old.date_from:
                old.date_to = old.date_from
            old.save(update_fields=["is_current", "date_to"])
            audit_change(actor=actor, obj=old, before=before, case_id=nominal.pk)
    return _create_child(Address, nominal=nominal, actor=actor, **fields)


@transaction.atomic
def rosh_record(*, nominal: Nominal, actor, **fields) -> RoshAssessment:
    rosh = _create_child(RoshAssessment, nominal=nominal, actor=actor, assessed_by=actor,
                         **fields)
    latest = nominal.rosh_history.order_by("-assessed_on", "-id").first()
    if latest.pk == rosh.pk and nominal.rosh != rosh.overall:
        before = snapshot(nominal, ["rosh"])
        nominal.rosh = rosh.overall
        nominal.save(update_fields=["rosh", "updated_at"])
        audit_change(actor=actor, obj=nominal, before=before, case_id=nominal.pk)
    return rosh


@transaction.atomic
def risk_assessment_record(*, nominal: Nominal, actor, **fields) -> RiskAssessment:
    return _create_child(RiskAssessment, nominal=nominal, actor=actor, recorded_by=actor,
                         **fields)


@transaction.atomic
def victim_record(*, nominal: Nominal, actor, **fields) -> Victim:
    return _create_child(Victim, nominal=nominal, actor=actor, recorded_by=actor, **fields)


@transaction.atomic
def transfer_record(*, nominal: Nominal, actor, **fields) -> Transfer:
    return _create_child(Transfer, nominal=nominal, actor=actor, recorded_by=actor, **fields)


@transaction.atomic
def transfer_update(*, transfer: Transfer, actor, **fields) -> Transfer:
    before = snapshot(transfer, fields.keys())
    for name, value in fields.items():
        setattr(transfer, name, value)
    transfer.full_clean()
    transfer.save()
    audit_change(actor=actor, obj=transfer, before=before, case_id=transfer.nominal_id)
    return transfer


@transaction.atomic
def deviation_record(*, nominal: Nominal, actor, **fields) -> Deviation:
    fields.setdefault("decided_on", dates.today())
    fields.setdefault("decided_by", actor)
    return _create_child(Deviation, nominal=nominal, actor=actor, **fields)


# -- the chronology --------------------------------------------------------------------------

CONTACT_IN_FUTURE = "A contact is recorded once it has happened: this date and time is ahead."


@transaction.atomic
def contact_add(*, nominal: Nominal, actor, occurred_at, kind: str, who: str,
                summary: str) -> ContactEntry:
    """One entry of the case's chronology, by the case team or the Co-ordinator."""
    from django.utils import timezone

    if not access.can_add_contact(actor, nominal):
        raise PermissionDenied("The case team and the Co-ordinator keep the chronology.")
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": CONTACT_IN_FUTURE})
    return _create_child(ContactEntry, nominal=nominal, actor=actor, occurred_at=occurred_at,
                         kind=kind, who=who, summary=summary, recorded_by=actor)


# -- exclusions and restriction (the Co-ordinator's) ------------------------------------------


@transaction.atomic
def exclusion_add(*, nominal: Nominal, user, reason: str, actor) -> Exclusion:
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for excluding this person."})
    return _create_child(Exclusion, nominal=nominal, actor=actor, user=user, reason=reason,
                         recorded_by=actor)


@transaction.atomic
def exclusion_remove(*, exclusion: Exclusion, actor) -> None:
    audit_log(actor=actor, action=Verb.CHANGE, obj=exclusion, case_id=exclusion.nominal_id,
              detail=f"Exclusion of {exclusion.user} lifted")
    exclusion.delete()


@transaction.atomic
def nominal_restrict(*, nominal: Nominal, reason: str, named_users, actor) -> Nominal:
    """Only the named users (and always the one restricting it) see the case from now on."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for restricting this case."})
    before = snapshot(nominal, ["restricted", "restricted_reason"])
    nominal.restricted, nominal.restricted_reason = True, reason
    nominal.save(update_fields=["restricted", "restricted_reason", "updated_at"])
    for user in {actor, *named_users}:
        NamedAccess.objects.get_or_create(nominal=nominal, user=user,
                                          defaults={"recorded_by": actor})
    audit_change(actor=actor, obj=nominal, before=before, case_id=nominal.pk)
    return nominal


@transaction.atomic
def nominal_unrestrict(*, nominal: Nominal, actor) -> Nominal:
    before = snapshot(nominal, ["restricted", "restricted_reason"])
    nominal.restricted, nominal.restricted_reason = False, ""
    nominal.save(update_fields=["restricted", "restricted_reason", "updated_at"])
    audit_change(actor=actor, obj=nominal, before=before, case_id=nominal.pk)
    return nominal


# -- the photo and named access ------------------------------------------------------------------


def _photo_file_name(upload) -> str:
    """A random name: the uploaded file's own name may carry the person's name."""
    import os
    import uuid

    extension = os.path.splitext(upload.name or "")[1].lower()[:5]
    return f"{uuid.uuid4().hex}{extension}"


@transaction.atomic
def nominal_photo_set(*, nominal: Nominal, photo, actor) -> Nominal:
    """Put a photo on the record (an uploaded image), or take it off (`photo=None`).

    The audit trail records that the photo changed, never the file itself. A replaced
    file is left in storage, like every other superseded record.
    """
    current = Nominal.objects.select_for_update().get(pk=nominal.pk)
    before = {"photo": current.photo.name or ""}
    if photo:
        # Only JPEG, PNG or WebP, re-encoded: no EXIF (place, time, camera) is kept.
        photo = clean_photo(photo)
        current.photo.save(_photo_file_name(photo), photo, save=False)
    else:
        current.photo = ""
    current.save(update_fields=["photo", "updated_at"])
    audit_change(actor=actor, obj=current, before=before, case_id=current.pk)
    return current



@transaction.atomic
def nominal_register(*, actor, photo=None, **fields) -> Nominal:
    """A new nominal on the register (nominal_create) with its photo, if one is given: both
    or neither."""
    nominal = nominal_create(actor=actor, **fields)
    if photo:
        nominal_photo_set(nominal=nominal, photo=photo, actor=actor)
    return nominal


@transaction.atomic
def nominal_edit(*, nominal: Nominal, actor, version: int | None = None, photo=None,
                 remove_photo: bool = False, **fields) -> Nominal:
    """The record changed (nominal_update) and its photo put on or taken off: all or
    nothing. A stale `version` is refused (StaleEdit)."""
    nominal = nominal_update(nominal=nominal, actor=actor, version=version, **fields)
    if photo:
        nominal_photo_set(nominal=nominal, photo=photo, actor=actor)
    elif remove_photo:
        nominal_photo_set(nominal=nominal, photo=None, actor=actor)
    return nominal

@transaction.atomic
def named_access_remove(*, named_access: NamedAccess, actor) -> None:
    """Take a user off a restricted case's named list: they no longer see it."""
    audit_log(actor=actor, action=Verb.CHANGE, obj=named_access,
              case_id=named_access.nominal_id,
              detail=f"{named_access.user} no longer named on the restricted case")
    named_access.delete()
