"""Where an audited action comes from: set once per request, task or command."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .models import Channel


@dataclass(frozen=True)
class AuditContext:
    channel: str = Channel.JOB
    ip_address: str | None = None


_DEFAULT = AuditContext()  # frozen, so safe to share
_current: ContextVar[AuditContext] = ContextVar("audit_context", default=_DEFAULT)  # noqa: B039


def current() -> AuditContext:
    return _current.get()


@contextmanager
def audit_context(channel: str, ip_address: str | None = None):
    token = _current.set(AuditContext(channel=channel, ip_address=ip_address))
    try:
        yield
    finally:
        _current.reset(token)
