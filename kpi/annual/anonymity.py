"""A case example in the annual report is anonymised (§15.5): it must give no case's
reference and no name of an offender on the register. Two queries whatever the size of the
register."""

from __future__ import annotations

import re

_REFERENCE = re.compile(r"\bJ(\d{6})\b")  # as Nominal.reference writes it
# Two capitalised words in a row: where a full name would be.
_NAME = re.compile(r"\b([A-Z][a-z'\-]+)\s+([A-Z][A-Za-z'\-]+)\b")


def identifying(text: str) -> list[str]:
    """What in `text` names a case on the register: its reference, or an offender's first
    given name followed by their family name."""
    from cases.models import Nominal

    found = []
    ids = {int(number) for number in _REFERENCE.findall(text)}
    if ids:
        found += [f"J{pk:06d}" for pk in Nominal.objects.filter(pk__in=ids).values_list(
            "pk", flat=True)]
    pairs = set(_NAME.findall(text))
    if pairs:
        for given, family in Nominal.objects.filter(
                family_name__in={last for _, last in pairs}).values_list(
                "given_names", "family_name"):
            first = (given.split() or [""])[0]
            if (first, family) in pairs:
                found.append(f"{first} {family}")
    return sorted(set(found))
