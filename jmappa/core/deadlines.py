"""Telling the deadline rules that a case's deadlines have moved.

A service that finalises minutes, records attendance, logs progress on an action or
archives a nominal calls, inside its transaction,

    deadlines_changed_on_commit(nominal.pk)

and once the change is committed the `deadlines_changed` signal is sent; the alerts
app (above every domain app) listens and refreshes that case's alerts, so that no
page waits for tomorrow's sweep. The domain apps thus never import the alerts app.
While bulk loading (`jmappa.core.mail.bulk_loading`) nothing is sent: one full sweep
afterwards does the work of thousands of single-case refreshes.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

from .mail import is_bulk_loading

#: sent with `nominal_id` after a committed change that may move a case's deadlines
deadlines_changed = Signal()


def deadlines_changed_on_commit(nominal_id: int) -> None:
    if not is_bulk_loading():
        transaction.on_commit(
            lambda: deadlines_changed.send(sender=None, nominal_id=nominal_id))
