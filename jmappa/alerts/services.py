"""Recomputing one case's alerts at once after a change to its deadlines.

A service that finalises minutes, records attendance, logs progress on an action or
archives a nominal adds, inside its transaction,

    refresh_case_on_commit(nominal.pk)

so that the case's alerts are swept by a worker as soon as the change is committed, and
no page waits for tomorrow's sweep.

Loading many cases at once (the demo seeding, an import) pauses this
(`write_through_paused`, or the meeting emails silenced, which the demo seeding does):
one full sweep afterwards does the work of thousands of single-case refreshes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import partial

from django.db import transaction

from .sweep import SweepResult, sweep

logger = logging.getLogger(__name__)

_paused: ContextVar[bool] = ContextVar("alert_write_through_paused", default=False)


@contextmanager
def write_through_paused() -> Iterator[None]:
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def _bulk_loading() -> bool:
    from meetings.services import emails_silenced

    return _paused.get() or emails_silenced()


def refresh_case_on_commit(nominal_id: int) -> None:
    """Queues the case's alert refresh once the current transaction commits."""
    if not _bulk_loading():
        transaction.on_commit(partial(refresh_case_later, nominal_id))


def alerts_refresh_case(nominal_id: int, day: date | None = None) -> SweepResult:
    """The sweep of every rule restricted to one case, for today (or `day`)."""
    return sweep(day, nominal_ids=[nominal_id])


def refresh_case_later(nominal_id: int) -> None:
    """Queues `alerts_refresh_case` for a worker; call it from `transaction.on_commit`.

    A broker that cannot be reached must not undo or fail the user's change, which is
    already committed: the morning sweep will catch the case up.
    """
    from .tasks import refresh_case

    try:
        refresh_case.delay(nominal_id)
    except Exception:
        logger.exception("Could not queue the alert refresh of case %s.", nominal_id)
