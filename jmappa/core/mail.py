"""Email, sent after the transaction commits, and the one switch that silences it.

Loading many invented records at once (the demo seeding, an import) runs inside
`bulk_loading()`: nobody is emailed about a demo case, and the per-case alert
refresh waits for the one full sweep that follows (see `jmappa.core.deadlines`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse

_bulk_loading: ContextVar[bool] = ContextVar("bulk_loading", default=False)


@contextmanager
def bulk_loading() -> Iterator[None]:
    """No email and no per-case alert refresh until the block ends."""
    token = _bulk_loading.set(True)
    try:
        yield
    finally:
        _bulk_loading.reset(token)


def is_bulk_loading() -> bool:
    return _bulk_loading.get()


def send_on_commit(message: EmailMessage) -> None:
    """Sends the email once the current transaction commits (never for a rolled-back
    change), unless bulk loading."""
    if message.to and not is_bulk_loading():
        transaction.on_commit(lambda: message.send(fail_silently=False))


def send_mail_on_commit(subject: str, body: str, recipients: list[str]) -> None:
    """One email to every distinct address given (blanks dropped)."""
    addresses = sorted({address for address in recipients if address})
    send_on_commit(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, addresses))


def site_link(name: str, *args) -> str:
    """The full address of a page, for an email: SITE_URL and the page's path."""
    return settings.SITE_URL + reverse(name, args=args)
