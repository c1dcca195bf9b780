"""The calendar file (RFC 5545) sent with each invitation, and with its cancellation.

One event per invitation: its UID never changes, so a calendar that received the
invitation replaces or removes that very entry when a cancellation follows (a higher
SEQUENCE). The file leaves the secure system like the email that carries it: it names the
kind of meeting and the case's reference, never the offender.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from jmappa.core.mail import site_link

# A case discussion within a panel sitting: the calendar entry blocks an hour.
DURATION = timedelta(hours=1)
PRODUCT = "-//States of Jersey//JMAPPA Case Manager//EN"


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    """TEXT values: backslash, semicolon and comma escaped, line breaks as \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (§3.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        # Never split a UTF-8 character.
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, 74
    return "\r\n ".join(parts)


def uid(invitation) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "jmappa.local"
    return f"jmappa-invitation-{invitation.pk}@{host}"


def summary(meeting) -> str:
    return f"{meeting.get_kind_display()}, case {meeting.nominal.reference}"


def meeting_link(meeting) -> str:
    return site_link("meetings:detail", meeting.pk)


def invitation_ics(invitation, *, cancel: bool = False) -> str:
    """The calendar file for `invitation`: a request, or the cancellation of it."""
    meeting = invitation.meeting
    organiser = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "jmappa@localhost"
    description = (
        f"{summary(meeting)}. Confidential: the meeting's papers and minutes are in the "
        f"JMAPPA Case Manager, {meeting_link(meeting)}"
    )
    attendee = "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE"
    if invitation.name:
        name = invitation.name.replace('"', "")
        attendee += f';CN="{name}"'
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cancel else 'REQUEST'}",
        "BEGIN:VEVENT",
        f"UID:{uid(invitation)}",
        f"SEQUENCE:{meeting.version}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.starts_at + DURATION)}",
        f"SUMMARY:{_escape(summary(meeting))}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{meeting_link(meeting)}",
        f"ORGANIZER;CN=JMAPPA:mailto:{organiser}",
        f"STATUS:{'CANCELLED' if cancel else 'CONFIRMED'}",
        "CLASS:CONFIDENTIAL",
        "TRANSP:OPAQUE",
    ]
    if meeting.location:
        lines.append(f"LOCATION:{_escape(meeting.location)}")
    if invitation.email:
        lines.append(f"{attendee}:mailto:{invitation.email}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
