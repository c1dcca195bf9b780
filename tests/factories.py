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
