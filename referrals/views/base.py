"""What the referral pages share: access to one referral (jmappa/access.py: a referral
the user may not see answers 404; one they see but may not change or screen answers 403, or,
for the referrer of a referral no longer theirs to change, a message on the referral page),
the meeting-due countdown, the records that may be the referral's subject."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from jmappa import access
from jmappa.core.dates import long_day
from jmappa.workdays import working_days_between

from .. import selectors, services
from ..models import (
    AWAITING_MEETING_STATUSES,
    Referral,
)

SEND = "send"



def _detail(referral: Referral):
    return redirect("referrals:detail", pk=referral.pk)


def countdown(referral: Referral, today: date) -> dict | None:
    """Working days left until the meeting is due, or overdue, while it is awaited."""
    if referral.meeting_due_by is None or referral.status not in AWAITING_MEETING_STATUSES:
        return None
    days = working_days_between(today, referral.meeting_due_by)
    return {"days": abs(days), "overdue": referral.meeting_due_by < today,
            "today": referral.meeting_due_by == today}


def _sent_message(referral: Referral) -> str:
    text = (f"Referral {referral.reference} is sent to the JMAPPA Co-ordinator. The meeting "
            f"is due by {long_day(referral.meeting_due_by)}.")
    if referral.is_emergency:
        text += " It is marked as an emergency: the Co-ordinator is told at once."
    return text


class ReferralAccessMixin(access.ObjectAccessMixin):
    """A page about one referral: 404 unless the user sees it (selectors.referral_page,
    already restricted by access.py). Sets `self.referral`; reading the page is audited."""

    selector = selectors.referral_page
    object_name = "referral"

    def audit_case_id(self, obj):
        return self.referral.nominal_id


class ReferrerOnlyMixin(ReferralAccessMixin):
    """Only the referrer changes or sends their referral, while it is theirs: anyone else
    who sees it is refused (403); the referrer of one already sent is told why."""

    access_check = access.can_edit_referral

    def denied(self):
        referral, request = self.referral, self.request
        if referral.referred_by_id != request.user.pk:
            raise PermissionDenied
        messages.warning(request, f"This referral is {referral.get_status_display().lower()}: "
                                  "it can no longer be changed. Ask the JMAPPA Co-ordinator "
                                  "if something in it is wrong.")
        return _detail(referral)


def _matches(user, referral: Referral) -> tuple[list[dict], bool]:
    """Records that may be the referral's subject that the user may see, each with its
    link; and whether the register holds others they may not see (never named: the
    Co-ordinator is told of them, services.register_check)."""
    found, hidden = services.register_check(referral=referral, actor=user)
    pnc = referral.pnc_number.strip().upper()
    return [{"nominal": n, "visible": True,
             "why": "same PNC number" if pnc and n.pnc_number.upper() == pnc
             else "same date of birth and a similar name or alias"} for n in found], hidden
