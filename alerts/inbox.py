"""The one change a reader makes to notifications: marking them read once shown."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from .models import Notification


def mark_read(user, *, alerts: Iterable[int] = (), notifications: Iterable[int] = ()) -> int:
    """Marks read the user's unread notifications of `alerts` and those in `notifications`
    (ids): one query; returns how many were unread."""
    alerts, notifications = list(alerts), list(notifications)
    if not alerts and not notifications:
        return 0
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    return unread.filter(Q(alert_id__in=alerts) | Q(pk__in=notifications)).update(
        read_at=timezone.now())
