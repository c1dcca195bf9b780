"""The sections of the case page (Summary, Risk, Team, Meetings, Plan, ...), each its own URL
under one sub-navigation.

The case page is drawn by several apps: cases has the record itself, meetings its meetings,
plans its plan, and so on. cases may not import them (they sit above it), so each app
registers its section here from its AppConfig.ready():

    from cases.sections import CaseSection, register
    register(CaseSection("meetings", "Meetings", "meetings:case", order=40))

The section's view takes the nominal's pk as its one URL argument, loads the nominal through
`access.NominalAccessMixin` (404 outside the case) and renders a template that extends
`cases/case_base.html`, filling its `section` block; `CaseSectionMixin` (cases.views.base)
puts the sub-navigation in its context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CaseSection:
    slug: str
    label: str
    url_name: str
    order: int
    # Whether this user sees the section on this nominal (default: whoever sees the case).
    shown: Callable | None = None


_SECTIONS: dict[str, CaseSection] = {}


def register(section: CaseSection) -> None:
    _SECTIONS[section.slug] = section


def sections_for(user, nominal) -> list[CaseSection]:
    """The sections this user sees on this nominal's page, in order."""
    return [s for s in sorted(_SECTIONS.values(), key=lambda s: s.order)
            if s.shown is None or s.shown(user, nominal)]
