"""The daily email digest: one email per person listing what is new for them.

"New" is a notification not yet emailed whose alert is still open. The digest claims
those notifications in one statement (UPDATE ... SET emailed_at ... RETURNING) inside a
transaction and sends the emails only after that transaction has committed. So an email
goes at most once: two digests at once cannot claim the same notification, and a digest
re-run finds nothing new. The price is that an email lost in sending (the mail server
refuses it) is not sent again; the notification still shows in the application.

A person already sent a digest today gets nothing more until tomorrow: what is raised
later in the day waits for the next digest.

Each email lists only what its reader may see at the time of sending (jmappa/access.py):
someone excluded from a case since the alert was raised, or not named on a case restricted
since, is not told of it, and a notification so held back is not emailed later either.

The email names the rule, the case reference, the due date and a link, never the
nominal's name: email leaves the secure system.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, time
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.utils import timezone

from jmappa import access
from jmappa.core.dates import long_day
from jmappa.core.mail import site_link

from .models import Alert, Notification, Rule

logger = logging.getLogger(__name__)


# A digest names the same few days thousands of times.
_day = lru_cache(maxsize=4096)(long_day)


def _subject(alert: Alert) -> tuple[str, str, str]:
    """(what, reference, page): the case, or a referral with no case yet."""
    if alert.nominal_id is None:
        return "referral", f"R{alert.subject_id:06d}", "referrals:detail"
    return "case", f"J{alert.nominal_id:06d}", "cases:detail"


def _line(alert: Alert, today, links: dict[tuple, str]) -> str:
    state = "overdue" if alert.due_on < today else "due"
    what, reference, page = _subject(alert)
    key = (page, reference)
    if key not in links:
        pk = alert.subject_id if alert.nominal_id is None else alert.nominal_id
        links[key] = site_link(page, pk)
    return (f"- {Rule(alert.rule).label}: {what} {reference}, "
            f"{state} {_day(alert.due_on)}\n  {links[key]}")


def _claim(now) -> dict[int, list[int]]:
    """Marks every new notification emailed; returns {user id: [alert ids]}."""
    notifications = Notification._meta.db_table
    alerts = Alert._meta.db_table
    start_of_day = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    with connection.cursor() as cursor:
        # Hash joins at every size (see sweep.py: statistics lag behind a large sweep).
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(
            f"""
            UPDATE {notifications} AS n SET emailed_at = %s
            FROM {alerts} AS a
            WHERE a.id = n.alert_id AND n.emailed_at IS NULL AND a.resolved_at IS NULL
              AND NOT EXISTS (
                  SELECT 1 FROM {notifications} AS sent
                  WHERE sent.user_id = n.user_id AND sent.emailed_at >= %s)
            RETURNING n.user_id, n.alert_id
            """,
            (now, start_of_day),
        )
        claimed: dict[int, list[int]] = defaultdict(list)
        for user_id, alert_id in cursor.fetchall():
            claimed[user_id].append(alert_id)
        cursor.execute("SET LOCAL enable_nestloop TO DEFAULT")
    return claimed


def _messages(claimed: dict[int, list[int]], today) -> list[EmailMessage]:
    alert_ids = [pk for ids in claimed.values() for pk in ids]
    alerts = {alert.pk: alert for alert in Alert.objects.filter(pk__in=alert_ids).only(
        "rule", "nominal_id", "subject_id", "due_on")}
    readers = access.case_readers(
        (user_id, alerts[pk].nominal_id) for user_id, ids in claimed.items() for pk in ids)
    links: dict[tuple, str] = {}
    users = get_user_model().objects.filter(pk__in=claimed).exclude(email="")
    messages = []
    for user in users:
        mine = sorted((alerts[pk] for pk in claimed[user.pk]
                       if (user.pk, alerts[pk].nominal_id) in readers),
                      key=lambda alert: (alert.due_on, alert.nominal_id or 0, alert.rule))
        if not mine:
            continue
        count = len(mine)
        subject = f"JMAPPA: {count} new {'alert' if count == 1 else 'alerts'} for you"
        body = (
            f"{'This is' if count == 1 else 'These are'} new for you in the JMAPPA Case "
            f"Manager today:\n\n" + "\n".join(_line(alert, today, links) for alert in mine)
            + "\n\nEach case shows what is due; sign in to see the details.\n"
        )
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    return messages


def _send(messages: list[EmailMessage]) -> None:
    try:
        get_connection(fail_silently=False).send_messages(messages)
    except Exception:
        # Already marked emailed: at most once. The notifications stay in the application.
        logger.exception("The alert digest could not be sent (%d emails).", len(messages))


def send_digests(now=None) -> int:
    """Claims today's new notifications and emails each person once, after commit.

    Returns the number of emails to be sent.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claimed = _claim(now)
        messages = _messages(claimed, timezone.localdate(now)) if claimed else []
        if messages:
            transaction.on_commit(lambda: _send(messages))
    return len(messages)
