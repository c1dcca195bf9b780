"""The minutes printed: every section in the order of the page, with the Risk Management
Plan, the protective marking (settings.PROTECTIVE_MARKING) at the top and bottom of every
page, the version and its status, and "page X of Y". A draft is marked DRAFT across every
page. Rendering never reaches the network (jmappa/core/pdf.py); printing is audited.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.views import View

from jmappa.audit.models import Verb
from jmappa.audit.services import audit_log
from jmappa.core.pdf import pdf_response, render_pdf

from .models import Minutes, MinutesStatus
from .services import minutes as services
from .views.minutes import MeetingMinutesMixin

TEMPLATE = "meetings/minutes/minutes_pdf.html"


def minutes_pdf_context(minutes: Minutes, *, user) -> dict:
    meeting = minutes.meeting
    if minutes.status == MinutesStatus.DRAFT:
        plan = services.plan_snapshot(services.plan_actions(meeting))
    else:
        plan = minutes.plan_snapshot
    invitations = [invitation for invitation in
                   meeting.invitations.select_related("agency").order_by("agency__name", "name")
                   if invitation.withdrawn_at is None]
    attendance = list(meeting.attendance.select_related("agency", "attendee"))
    return {
        "minutes": minutes,
        "meeting": meeting,
        "nominal": meeting.nominal,
        "is_draft": minutes.status == MinutesStatus.DRAFT,
        "information": list(minutes.information.select_related("agency")),
        "invitations": invitations,
        "attendance": attendance,
        "plan": services.plan_rows(plan),
        "latest_review": services.review_limit(minutes),
        "printed_on": timezone.localdate(),
        "printed_by": user,
    }


def render_minutes_pdf(minutes: Minutes, *, user) -> bytes:
    """The minutes as a PDF. The caller checks that `user` may read this version and writes
    the audit event."""
    return render_pdf(TEMPLATE, minutes_pdf_context(minutes, user=user))


class MinutesPdfView(MeetingMinutesMixin, View):
    """GET: the minutes as a PDF: the current version (the draft for those who draft it, else
    the final), or the version named in the address. Printing is audited, not read."""

    audit_reads = False

    def get(self, request, pk, number=None):
        if number is None:
            minutes = (self.draft if self.draft is not None and self.can_draft else None) \
                or self.final
            if minutes is None:
                raise Http404
        else:
            minutes = next((m for m in self.versions if m.number == number), None)
            if minutes is None:
                raise Http404
            if minutes.status == MinutesStatus.DRAFT and not self.can_draft:
                raise PermissionDenied
        content = render_minutes_pdf(minutes, user=request.user)
        audit_log(actor=request.user, action=Verb.PRINT, obj=minutes,
                  case_id=self.meeting.nominal_id,
                  detail=f"Minutes version {minutes.number} "
                         f"({minutes.get_status_display().lower()}) printed as PDF")
        reference = self.meeting.nominal.reference
        return pdf_response(
            content, f"minutes-{reference}-{self.meeting.date:%Y-%m-%d}-v{minutes.number}.pdf")
