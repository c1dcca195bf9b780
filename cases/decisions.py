"""Where a decision recorded on a case was taken, told by the apps above the register.

Some of the record's values are decided elsewhere: withholding from the offender that they
are managed under JMAPPA is agreed at a meeting (§3.6), and the meetings app, which the
register may not import, says which one. It registers a source here from its AppConfig;
the case pages ask `where_decided` and link to the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

WITHHOLDING = "withholding"


@dataclass(frozen=True)
class Decision:
    """Where a decision was taken: "the level 3 meeting of 5 December 2026", and its page."""

    label: str
    url: str


_sources: dict[str, Callable] = {}


def register(decision: str, source: Callable) -> None:
    """`source(nominal)` answers the Decision that set the case's current value, or None."""
    _sources[decision] = source


def where_decided(decision: str, nominal) -> Decision | None:
    source = _sources.get(decision)
    return source(nominal) if source is not None else None
