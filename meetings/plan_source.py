"""The case's Risk Management Plan, as a meeting's minutes read it.

The plan lives in an app above this one (plans/): the minutes show the actions that stand
for a meeting, keep a snapshot of them when finalised, and refuse to finalise a level 2 or
3 plan without a victim protection and a contingency action. The plan app hands its reads
here when it starts (`register`, from its AppConfig.ready), so that meetings never imports
it. A provider offers:

    meeting_actions(meeting) -> QuerySet   the actions still open or in progress, and
                                           every action agreed at this meeting
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured


class ActionType:
    """The plan's action types the minutes' rules name (§7.2, §8.3); the plan's own
    choices carry the same codes (plans.models.ActionType)."""

    VICTIM_PROTECTION = "victim_protection"
    CONTINGENCY = "contingency"


_provider = None


def register(provider) -> None:
    global _provider
    _provider = provider


def current():
    if _provider is None:
        raise ImproperlyConfigured("No plan is registered: add the plans app to INSTALLED_APPS.")
    return _provider


def plan_actions(meeting):
    """The case's plan as it stands for this meeting: the actions still open or in
    progress, and every action agreed at this meeting."""
    return current().meeting_actions(meeting)
