"""The referral printed in the layout of the Guidance's Appendix A form.

Marked with the service's protective marking ("OFFICIAL-SENSITIVE (when complete)" by
default, settings.PROTECTIVE_MARKING) at the top and bottom of every page; the footer
carries the reference and the page number. The victims' details are printed only for
those who may read them (jmappa/access.py). Rendering never reaches the network
(jmappa/core/pdf.py).
"""

from __future__ import annotations

from django.utils import timezone
from django.views import View

from jmappa import access
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_log
from jmappa.core.pdf import pdf_response, render_pdf, static_file_url

from .models import CLOSED_STATUSES, ReferralStatus, SupervisionType
from .views.base import ReferralAccessMixin

TEMPLATE = "referrals/referral_pdf.html"
STYLESHEET = "referrals/referral_pdf.css"
VICTIMS_WITHHELD = "Withheld: you do not hold the victim permission on this case."


def _supervision_boxes(referral) -> list[tuple[str, bool]]:
    return [(label, referral.supervision_type == value)
            for value, label in SupervisionType.choices]


def referral_pdf_context(referral, *, user) -> dict:
    today = timezone.localdate()
    screened = referral.status in (*CLOSED_STATUSES, ReferralStatus.INFO_REQUESTED)
    return {
        "referral": referral,
        "agencies": list(referral.agencies.all()),
        "can_view_victims": access.can_view_referral_victims(user, referral),
        "victims_withheld": VICTIMS_WITHHELD,
        "supervision_boxes": _supervision_boxes(referral),
        "is_overdue": referral.is_overdue_on(today),
        "screened": screened,
        "printed_on": today,
        "printed_by": user,
        "stylesheet_url": static_file_url(STYLESHEET),
    }


def render_referral_pdf(referral, *, user) -> bytes:
    """The referral as a PDF, as `user` may read it. The caller checks that `user` may see
    the referral at all (views.base.ReferralAccessMixin) and writes the audit event."""
    return render_pdf(TEMPLATE, referral_pdf_context(referral, user=user),
                      base_url=static_file_url(STYLESHEET))


class ReferralPdfView(ReferralAccessMixin, View):
    """GET: the referral as a PDF, opened in the browser; printing it is audited, not read."""

    audit_reads = False

    def get(self, request, pk):
        referral = self.referral
        content = render_referral_pdf(referral, user=request.user)
        audit_log(actor=request.user, action=Verb.PRINT, obj=referral,
                  case_id=referral.nominal_id, detail="Referral printed as PDF")
        return pdf_response(content, f"referral-{referral.reference}.pdf")
