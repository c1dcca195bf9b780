"""The quarter-end job: freeze the figures of each quarter that has closed (kpi/snapshots.py),
and measure the running quarter's rows for the new day (kpi/indicators/running.py) before
anyone reads them. Safe to run twice: a quarter already frozen is left as it is."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from jmappa.core import dates

from .indicators import running
from .periods import Period
from .snapshots import freeze_closed_quarters


@shared_task(name="kpi.tasks.freeze_quarters", acks_late=True, reject_on_worker_lost=True,
             autoretry_for=(OperationalError, InterfaceError), max_retries=3,
             retry_backoff=30)
def freeze_quarters() -> list[str]:
    today = dates.today()
    frozen = freeze_closed_quarters(today)
    running.measure(Period.quarter_of(today), today)
    return frozen
