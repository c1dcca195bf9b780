"""Emails about a referral, sent once the transaction that made the change has committed.

An email leaves the secure system: it carries the referral's reference, the decision and
its reason, and a link, but never the offender's name or any detail of the case.
"""

from __future__ import annotations

from jmappa.accounts.models import Role, User
from jmappa.core.dates import long_day
from jmappa.core.mail import send_mail_on_commit, site_link

from .models import Referral, ReferralStatus


def _link(referral: Referral) -> str:
    return site_link("referrals:detail", referral.pk)


def submitted(referral: Referral) -> None:
    """The Co-ordinator is told of every referral to screen, an emergency first of all."""
    again = referral.steps.filter(status=ReferralStatus.SUBMITTED).count() > 1
    kind = "EMERGENCY referral" if referral.is_emergency else "Referral"
    subject = f"{kind} {referral.reference} {'sent again' if again else 'to screen'}"
    body = (
        f"{kind} {referral.reference} from {referral.referring_agency} "
        f"{'has been sent again with more information' if again else 'is waiting to be screened'}."
        f"\n\nThe meeting is due by {long_day(referral.meeting_due_by)}.\n\n{_link(referral)}\n"
    )
    coordinators = User.objects.filter(is_active=True, roles__contains=[Role.COORDINATOR])
    send_mail_on_commit(subject, body, [user.email for user in coordinators])


_DECISIONS = {
    ReferralStatus.ACCEPTED: (
        "accepted",
        "The JMAPPA Co-ordinator has accepted the referral for a level {level} meeting, to "
        "be held by {due}. You will be invited to it: the referrer always attends (§10.8).",
    ),
    ReferralStatus.REJECTED: (
        "not accepted",
        "The JMAPPA Co-ordinator has decided that the case does not meet the threshold for "
        "JMAPPA level 2 or 3 (§3.5).",
    ),
    ReferralStatus.INFO_REQUESTED: (
        "more information needed",
        "The JMAPPA Co-ordinator needs more information before screening the referral. "
        "Please add it to the referral and send it again.",
    ),
    ReferralStatus.LEVEL_1: (
        "level 1 management confirmed",
        "The JMAPPA Co-ordinator has confirmed that no JMAPP meeting is needed at this "
        "time: the lead agency manages the case at level 1 and arranges a multi-agency "
        "case management discussion (§10.3).",
    ),
}


def decided(referral: Referral) -> None:
    """The referrer and their agency's SPOC are told the outcome, and why (§3.5)."""
    outcome, text = _DECISIONS[referral.status]
    subject = f"Referral {referral.reference}: {outcome}"
    body = text.format(level=referral.level_agreed,
                       due=long_day(referral.meeting_due_by) if referral.meeting_due_by else "")
    if referral.decision_reason:
        label = {ReferralStatus.REJECTED: "Reason",
                 ReferralStatus.INFO_REQUESTED: "What is needed"}.get(referral.status, "Note")
        body += f"\n\n{label}: {referral.decision_reason}"
    body += f"\n\n{_link(referral)}\n"
    recipients = [referral.referred_by.email]
    spoc = referral.referring_agency.spoc
    if spoc is not None and spoc.is_active:
        recipients.append(spoc.email)
    send_mail_on_commit(subject, body, recipients)
