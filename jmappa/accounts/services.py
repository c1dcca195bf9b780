"""Writes to agencies, users, API tokens and lock-outs, each audited in its own transaction.

The rules on people (who may change whose roles, password and email) are those of
jmappa/access.py; they are asked again here, whatever page or command calls."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from jmappa import access
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_change, audit_create, audit_log, snapshot
from jmappa.core.mail import send_mail_on_commit, site_link

from .models import Agency, ApiToken, Role, User

# What a person page changes; never is_superuser, is_staff, groups or permissions.
PERSON_FIELDS = ["first_name", "last_name", "email", "phone", "agency", "job_title", "grade"]
AGENCY_FIELDS = ["name", "kind", "duty_to_cooperate", "address", "phone", "secure_email",
                 "spoc", "spoc_sees_agency_cases", "is_active"]


@transaction.atomic
def api_token_issue(*, user: User, actor, name: str = "", days: int | None = None) -> str:
    """Create a token for `user` and return it; only its digest is stored.

    `actor` is who issues it: None from the command line (`manage.py api_token`, run by
    whoever runs the server), otherwise a signed-in person whose session must have proved
    its second factor, so that a password alone never yields a token.
    """
    if actor is not None and not (callable(getattr(actor, "is_verified", None))
                                  and actor.is_verified()):
        raise PermissionDenied("Verify your second factor before issuing an API token.")
    if not user.is_active:
        raise ValueError(f"{user.username} is not an active user.")
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[: ApiToken.PREFIX_LENGTH],
        digest=ApiToken.digest_of(raw),
        expires_at=timezone.now() + timedelta(days=days or settings.API_TOKEN_DAYS),
    )
    audit_create(actor=actor, obj=token)
    return raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        before = snapshot(token, ["revoked_at"])
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_change(actor=actor, obj=token, before=before)
    return token


# -- people ---------------------------------------------------------------------------------


def _check_roles(*, actor, person: User | None, old: list[str], new: list[str]) -> list[str]:
    new = [role for role in Role.values if role in set(new)]
    changed = set(old) ^ set(new)
    if not changed:
        return list(old)
    if person is not None and person.pk == actor.pk:
        raise ValidationError({"roles": "Nobody changes their own roles: ask the "
                                        "Co-ordinator."})
    refused = changed - set(access.grantable_roles(actor, person))
    if refused:
        labels = ", ".join(Role(role).label for role in Role.values if role in refused)
        raise ValidationError({"roles": f"Only the Co-ordinator can give or take away the "
                                        f"role of {labels}."})
    return new


@transaction.atomic
def person_create(*, actor, data: dict) -> User:
    """A new person, with no password until they set one through the emailed link."""
    if not access.can_manage_people(actor):
        raise PermissionDenied
    if User.objects.filter(username__iexact=data["username"]).exists():
        raise ValidationError({"username": "Someone already has this username."})
    roles = _check_roles(actor=actor, person=None, old=[], new=data.get("roles") or [])
    person = User(username=data["username"], roles=roles,
                  **{field: data.get(field) for field in PERSON_FIELDS if field in data})
    person.email = person.email or ""
    person.set_unusable_password()
    person.full_clean(exclude=["password"])
    person.save()
    audit_create(actor=actor, obj=person)
    return person


@transaction.atomic
def person_change(*, actor, person: User, data: dict) -> User:
    person = User.objects.select_for_update().get(pk=person.pk)
    if not access.can_change_person(actor, person):
        raise PermissionDenied
    before = snapshot(person, [*PERSON_FIELDS, "roles"])
    roles = _check_roles(actor=actor, person=person, old=person.roles,
                         new=data.get("roles", person.roles))
    for field in PERSON_FIELDS:
        if field in data:
            setattr(person, field, data[field])
    person.roles = roles
    person.full_clean(exclude=["password"])
    person.save(update_fields=[*PERSON_FIELDS, "roles"])
    audit_change(actor=actor, obj=person, before=before)
    return person


@transaction.atomic
def person_set_active(*, actor, person: User, active: bool) -> User:
    """Deactivate (they can no longer sign in, nor use their API tokens) or reactivate."""
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.pk == actor.pk:
        raise ValidationError("Nobody deactivates or reactivates their own account.")
    if not access.can_change_active(actor, person):
        raise PermissionDenied
    if person.is_active != active:
        before = snapshot(person, ["is_active"])
        person.is_active = active
        person.save(update_fields=["is_active"])
        audit_change(actor=actor, obj=person, before=before)
    return person


@transaction.atomic
def person_send_password_link(*, actor, person: User) -> None:
    """Email `person` a link to set their password (it works once, and expires)."""
    if not access.can_change_person(actor, person):
        raise PermissionDenied
    if not person.is_active:
        raise ValidationError("This account is deactivated: reactivate it first.")
    if not person.email:
        raise ValidationError("This person has no email address to send the link to.")
    link = site_link("password_reset_confirm", urlsafe_base64_encode(force_bytes(person.pk)),
                     default_token_generator.make_token(person))
    body = render_to_string("accounts/password_set_email.txt",
                            {"person": person, "link": link, "sender": actor})
    send_mail_on_commit("JMAPPA Case Manager: set your password", body, [person.email])
    audit_log(actor=actor, action=Verb.CHANGE, obj=person,
              detail=f"Password-set link emailed to {person.email}")


# -- agencies -------------------------------------------------------------------------------


def _check_spoc(agency: Agency) -> None:
    if agency.spoc_id is not None and (agency.pk is None
                                       or agency.spoc.agency_id != agency.pk):
        raise ValidationError({"spoc": "The SPOC must be a member of this agency."})


@transaction.atomic
def agency_create(*, actor, data: dict) -> Agency:
    if not access.can_manage_people(actor):
        raise PermissionDenied
    agency = Agency(**{field: data[field] for field in AGENCY_FIELDS if field in data})
    _check_spoc(agency)
    agency.full_clean()
    agency.save()
    audit_create(actor=actor, obj=agency)
    return agency


@transaction.atomic
def agency_change(*, actor, agency: Agency, data: dict) -> Agency:
    if not access.can_manage_people(actor):
        raise PermissionDenied
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    before = snapshot(agency, AGENCY_FIELDS)
    previous_spoc = agency.spoc
    for field in AGENCY_FIELDS:
        if field in data:
            setattr(agency, field, data[field])
    _check_spoc(agency)
    agency.full_clean()
    agency.save()
    audit_change(actor=actor, obj=agency, before=before)
    if agency.spoc_id != getattr(previous_spoc, "pk", None):
        _keep_spoc_role(actor=actor, new=agency.spoc, previous=previous_spoc)
    return agency


def _keep_spoc_role(*, actor, new: User | None, previous: User | None) -> None:
    """The agency's SPOC holds the SPOC role (what their home page and the minutes'
    distribution read); one who is no longer the SPOC of any agency loses it. Each change
    of a person's roles is audited as such."""
    for person, holds in ((new, True), (previous, False)):
        if person is None:
            continue
        person = User.objects.select_for_update().get(pk=person.pk)
        if not holds and Agency.objects.filter(spoc=person).exists():
            continue
        roles = list(person.roles or [])
        if (Role.SPOC in roles) == holds:
            continue
        before = snapshot(person, ["roles"])
        person.roles = [*roles, Role.SPOC] if holds else [r for r in roles if r != Role.SPOC]
        person.save(update_fields=["roles"])
        audit_change(actor=actor, obj=person, before=before)


# -- API tokens and lock-outs -----------------------------------------------------------------


def api_token_issue_by(*, actor, person: User, name: str = "", days: int | None = None) -> str:
    """A token issued in the application by whoever may change `person`'s account (the
    Co-ordinator or an Administrator, second factor proved): shown to them once."""
    if not access.can_change_person(actor, person):
        raise PermissionDenied
    if not person.is_active:
        raise ValidationError(f"{person} cannot sign in: reactivate them first.")
    return api_token_issue(user=person, actor=actor, name=name, days=days)


def api_token_revoke_by(*, actor, token: ApiToken) -> ApiToken:
    if not access.can_manage_people(actor):
        raise PermissionDenied
    return api_token_revoke(token=token, actor=actor)


@transaction.atomic
def lockout_clear(*, actor, attempt) -> None:
    """Forget the failed sign-ins of one lock-out record (django-axes): the account may sign
    in again at once."""
    if not access.can_manage_people(actor):
        raise PermissionDenied
    audit_log(actor=actor, action=Verb.REACTIVATE, object_type="axes.accessattempt",
              object_id=attempt.pk,
              object_repr=f"{attempt.username} from {attempt.ip_address}"[:255],
              detail=f"Lock-out cleared after {attempt.failures_since_start} failed sign-ins")
    attempt.delete()
