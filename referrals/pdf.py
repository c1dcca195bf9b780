"""The referral printed in the layout of the Guidance's Appendix A form.

Marked "RESTRICTED (when complete)" at the top and bottom of every page; the footer
carries the reference and the page number. The victims' details are printed only for
those who may read them (jmappa/access.py). Rendering never reaches the network: the
only resources WeasyPrint may load are data: URLs and the project's own static files.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views import View
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from jmappa import access
from jmappa.audit.models import Action
from jmappa.audit.services import audit_log

from . import selectors
from .models import CLOSED_STATUSES, ReferralStatus, SupervisionType

TEMPLATE = "referrals/referral_pdf.html"
STYLESHEET = "referrals/referral_pdf.css"
VICTIMS_WITHHELD = "Withheld: you do not hold the victim permission on this case."


def _static_roots() -> list[Path]:
    """The folders static files are served from: only these may be read while rendering."""
    roots = [Path(folder) for folder in settings.STATICFILES_DIRS]
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


class LocalOnlyFetcher(URLFetcher):
    """Loads data: URLs and files under the static folders; refuses everything else, so a
    stray link in a referral's text can never make the server fetch from the network."""

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(_file_path(url)).resolve()
            if any(path.is_relative_to(root) for root in _static_roots()):
                return super().fetch(url, headers)
        raise ValueError(f"Not loaded while printing a referral: {url[:80]}")


def _file_path(url: str) -> str:
    return unquote(urlsplit(url).path)


def _stylesheet_url() -> str:
    path = finders.find(STYLESHEET)
    return Path(path).resolve().as_uri()


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
        "stylesheet_url": _stylesheet_url(),
    }


def render_referral_pdf(referral, *, user) -> bytes:
    """The referral as a PDF, as `user` may read it. The caller checks that `user` may see
    the referral at all (access.get_referral_or_404) and writes the audit event."""
    html = render_to_string(TEMPLATE, referral_pdf_context(referral, user=user))
    return HTML(string=html, base_url=_stylesheet_url(),
                url_fetcher=LocalOnlyFetcher()).write_pdf()


class ReferralPdfView(access.LoginRequiredMixin, View):
    """GET: the referral as a PDF, opened in the browser; printing it is audited."""

    def get(self, request, pk):
        referral = access.get_referral_or_404(
            request.user, pk, queryset=selectors.referral_page(request.user))
        content = render_referral_pdf(referral, user=request.user)
        audit_log(actor=request.user, action=Action.PRINT, obj=referral,
                  case_id=referral.nominal_id, detail="Referral printed as PDF")
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="referral-{referral.reference}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
