"""Building test data through the same models and services the application uses."""

from __future__ import annotations

import itertools

from jmappa.accounts.models import Agency, AgencyKind, Grade, Role, User

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


def make_agency(name: str | None = None, kind: str = AgencyKind.POLICE, **fields) -> Agency:
    return Agency.objects.create(name=name or f"Agency {next(_seq)}", kind=kind, **fields)


def make_user(
    username: str | None = None,
    *,
    roles: list[str] | None = None,
    agency: Agency | None = None,
    grade: int | None = Grade.PRACTITIONER,
    password: str = PASSWORD,
    **fields,
) -> User:
    user = User(
        username=username or f"user{next(_seq)}",
        roles=list(roles or [Role.PRACTITIONER]),
        agency=agency,
        grade=grade,
        first_name=fields.pop("first_name", "Test"),
        last_name=fields.pop("last_name", "User"),
        **fields,
    )
    user.set_password(password)
    user.save()
    return user


def make_nominal(*, actor=None, **fields):
    """A nominal created through the service, so team permissions are granted as in use."""
    from datetime import date

    from cases.models import Category, Eligibility
    from cases.services import nominal_create

    n = next(_seq)
    defaults = {
        "given_names": fields.pop("given_names", f"Given{n}"),
        "family_name": fields.pop("family_name", f"Family{n}"),
        "date_of_birth": fields.pop("date_of_birth", date(1980, 1, 1)),
        "eligibility": Eligibility.ELIGIBLE,
        "category": Category.TWO,
    }
    defaults.update(fields)
    if defaults.get("case_manager") and "lead_agency" not in defaults:
        # The case manager works for the lead agency.
        defaults["lead_agency"] = defaults["case_manager"].agency
    if actor is None:
        actor = make_user(roles=[Role.COORDINATOR])
    return nominal_create(actor=actor, **defaults)


def add_to_team(nominal, user, role="agency_contact", *, actor=None, sees_victims=False):
    from cases.services import team_member_add

    actor = actor or make_user(roles=[Role.COORDINATOR])
    return team_member_add(nominal=nominal, user=user, role=role, actor=actor,
                           sees_victims=sees_victims)


def referral_fields(**overrides) -> dict:
    """A complete Appendix A form, ready to submit: a case in the community."""
    from datetime import date

    n = next(_seq)
    fields = {
        "given_names": f"Referred{n}",
        "family_name": f"Subject{n}",
        "date_of_birth": date(1985, 6, 15),
        "address": "12 Rue de la Mer, St Helier",
        "conviction": "Wounding with intent (2024)",
        "reasons": "Threats to a former partner since release; unstable accommodation.",
        "why_not_level_1": "Police, Probation and Housing must act together on the threats.",
        "victims": "Former partner, now living in St Brelade.",
        "level_proposed": "2",
        "category_proposed": "2",
        "contact_name": "Pat Referrer",
        "contact_telephone": "01534 000000",
    }
    fields.update(overrides)
    return fields


def make_referral(referrer, *, submit: bool = True, agencies: list[dict] | None = None,
                  **overrides):
    """A referral by `referrer` through the services: submitted unless `submit=False`."""
    from referrals.services import referral_create, referral_submit

    if agencies is None:
        agency = referrer.agency
        agencies = [{"agency": agency, "contact_name": "Sam Contact",
                     "contact_email": "sam.contact@example.je"}]
    referral = referral_create(actor=referrer, agencies=agencies,
                               **referral_fields(**overrides))
    if submit:
        referral = referral_submit(referral=referral, actor=referrer)
    return referral
