"""Recomputing one case's alerts at once after a change to its deadlines.

A domain service calls `jmappa.core.deadlines.deadlines_changed_on_commit(nominal.pk)`
inside its transaction; once committed, the `deadlines_changed` signal reaches
`on_deadlines_changed` here (connected in `AlertsConfig.ready`), which queues the
case's sweep for a worker, so that no page waits for tomorrow's sweep.
"""

from __future__ import annotations

import logging
from datetime import date

from .sweep import SweepResult, sweep

logger = logging.getLogger(__name__)


def on_deadlines_changed(sender, *, nominal_id: int, **kwargs) -> None:
    refresh_case_later(nominal_id)


def alerts_refresh_case(nominal_id: int, day: date | None = None) -> SweepResult:
    """The sweep of every rule restricted to one case, for today (or `day`)."""
    return sweep(day, nominal_ids=[nominal_id])


def refresh_case_later(nominal_id: int) -> None:
    """Queues `alerts_refresh_case` for a worker, after the change has committed.

    A broker that cannot be reached must not undo or fail the user's change, which is
    already committed: the morning sweep will catch the case up.
    """
    from .tasks import refresh_case

    try:
        refresh_case.delay(nominal_id)
    except Exception:
        logger.exception("Could not queue the alert refresh of case %s.", nominal_id)
