"""Emails about meetings, sent once the transaction that made the change has committed:
invitations and their calendar files, cancellations and withdrawals, the Chair's
follow-up of an agency that neither came nor sent a report, final minutes distributed to
the SPOCs.

An email leaves the secure system: it carries the case's reference and a link, never the
offender's name nor anything of the case.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.utils import dateformat

from jmappa.core.dates import long_day, long_moment
from jmappa.core.mail import is_bulk_loading, send_on_commit, site_link

from . import ics
from .models import FollowUp, Invitation, Minutes


def _day(value) -> str:
    return dateformat.format(value, "j F Y")


FOOTER = ("This email names the case only by its reference: the case and the meeting's papers "
          "are in the JMAPPA Case Manager. Do not forward it.")


def _invitation_message(invitation: Invitation, *, cancel: bool = False, actor=None,
                        withdrawn: bool = False, reminder: bool = False) -> EmailMessage:
    meeting = invitation.meeting
    what = f"{meeting.get_kind_display()} on {long_moment(meeting.starts_at)} " \
           f"(case {meeting.nominal.reference})"
    if cancel:
        subject = f"{'Invitation withdrawn' if withdrawn else 'Cancelled'}: {what}"
        text = ("Your invitation to this meeting has been withdrawn: you are no longer "
                "expected to attend." if withdrawn else "This meeting has been cancelled.")
        body = f"{text}\n\n{ics.summary(meeting)}\n{long_moment(meeting.starts_at)}\n\n{FOOTER}\n"
    else:
        subject = f"{'Reminder: please answer' if reminder else 'Invitation'}: {what}"
        lines = ["We have not had your answer to this invitation yet.", ""] if reminder else []
        lines += [
            f"You are invited to the {meeting.get_kind_display().lower()} below (JMAPPA, §10).",
            "",
            f"Case: {meeting.nominal.reference}",
            f"When: {long_moment(meeting.starts_at)}",
            f"Where: {meeting.location or 'to be confirmed'}",
        ]
        if meeting.chair_id:
            lines.append(f"Chair: {meeting.chair}")
        role = "Chair of the meeting" if invitation.user_id and \
            invitation.user_id == meeting.chair_id else invitation.get_reason_display()
        lines += [f"Invited as: {role}", ""]
        if invitation.user_id:
            lines += ["Please say whether you will attend (in person, by video or telephone), "
                      "send a report, or give your apologies:",
                      site_link("meetings:respond", invitation.pk)]
        else:
            lines.append("Please tell the JMAPPA Administrator whether you will attend (in "
                         "person, by video or telephone), send a report, or give your "
                         "apologies.")
        lines += ["", "Representatives need the authority to commit their agency (§10.9). "
                      "The offender does not attend JMAPP meetings (§3.6).", "", FOOTER]
        body = "\n".join(lines) + "\n"
    reply_to = [actor.email] if actor is not None and actor.email else []
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email],
                           reply_to=reply_to)
    method = "CANCEL" if cancel else "REQUEST"
    message.attach("meeting.ics", ics.invitation_ics(invitation, cancel=cancel),
                   f"text/calendar; method={method}; charset=utf-8")
    return message


def invitation_sent(invitation: Invitation, *, actor=None) -> None:
    """The invitation, with its calendar file."""
    send_on_commit(_invitation_message(invitation, actor=actor))


def invitation_reminder(invitation: Invitation, *, actor=None) -> None:
    """The invitation again, to someone who has not answered it."""
    send_on_commit(_invitation_message(invitation, actor=actor, reminder=True))


def invitation_cancelled(invitation: Invitation, *, actor=None,
                         withdrawn: bool = False) -> None:
    """The meeting cancelled, or this invitation withdrawn: the calendar entry cancelled."""
    send_on_commit(_invitation_message(invitation, cancel=True, withdrawn=withdrawn,
                                       actor=actor))


def follow_up_opened(follow_up: FollowUp) -> None:
    chair = follow_up.chair
    if chair is None or not chair.is_active or not chair.email:
        return
    meeting = follow_up.meeting
    spoc = follow_up.spoc
    subject = (f"Follow-up needed: {follow_up.agency} after the meeting of "
               f"{dateformat.format(meeting.date, 'j F Y')} (case {meeting.nominal.reference})")
    body = (
        f"{follow_up.agency} neither attended the {meeting.get_kind_display().lower()} of "
        f"{long_day(meeting.date)} (case {meeting.nominal.reference}) nor sent a report.\n\n"
        f"As its Chair, please follow this up with the agency's SPOC"
        f"{f' ({spoc})' if spoc else ''} and record the outcome (§10.10):\n"
        f"{site_link('meetings:detail', meeting.pk)}\n\n{FOOTER}\n"
    )
    send_on_commit(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [chair.email]))


def minutes_distributed(minutes: Minutes, addresses: list[str]) -> None:
    """Reference and link only: an email leaves the secure system, so it never names the
    offender nor says anything of the case."""
    addresses = sorted({address for address in addresses if address})
    if not addresses or is_bulk_loading():
        return
    meeting = minutes.meeting
    reference = meeting.nominal.reference
    subject = f"JMAPPA minutes for {reference}"
    body = (
        f"The minutes (version {minutes.number}) of the level {meeting.level} JMAPP meeting "
        f"of {_day(meeting.date)} about case {reference} are final and sent to your agency "
        f"as its single point of contact (§10.12).\n\n"
        f"Read them in the JMAPPA Case Manager:\n{site_link('meetings:minutes', meeting.pk)}\n\n"
        f"They are {settings.PROTECTIVE_MARKING}: store them securely, and share them beyond "
        f"the invited agencies only with the Chair's consent.\n"
    )
    transaction.on_commit(lambda: send_mail(
        subject, body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=False))
