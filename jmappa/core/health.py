"""Liveness of the parts the application needs: database, Redis, the worker."""

from __future__ import annotations

import logging
from datetime import datetime

import redis
from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "jmappa:worker-heartbeat"


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: database unavailable")
        return False


def redis_ok() -> bool:
    try:
        return bool(_redis().ping())
    except Exception:
        logger.exception("Health check: Redis unavailable")
        return False


def record_heartbeat(when: str) -> None:
    _redis().set(HEARTBEAT_KEY, when, ex=24 * 60 * 60)


def last_heartbeat() -> datetime | None:
    try:
        value = _redis().get(HEARTBEAT_KEY)
        return datetime.fromisoformat(value.decode()) if value else None
    except Exception:
        logger.exception("Health check: cannot read the worker heartbeat")
        return None


def heartbeat_is_stale(when: datetime | None, now: datetime) -> bool:
    """A worker that missed three beats (and at least five minutes) is not running."""
    allowed = max(3 * settings.HEARTBEAT_SECONDS, 5 * 60)
    return when is None or (now - when).total_seconds() > allowed
