"""The Minutes Executive Summary (§5.6) and the behaviour contract (§14.10) printed: the
protective marking at the top and bottom of every page, "page X of Y"; a draft summary marked
DRAFT across every page. Rendering never reaches the network (jmappa/core/pdf.py); the views
audit the printing."""

from __future__ import annotations

from django.utils import timezone

from jmappa.core.pdf import render_pdf

from .models import SUMMARY_SECTIONS, ExecutiveSummary, SummaryStatus

TEMPLATE = "disclosure/summary_pdf.html"


def render_summary_pdf(summary: ExecutiveSummary) -> bytes:
    sections = [{"name": name, "label": label, "text": getattr(summary, name)}
                for name, label in SUMMARY_SECTIONS]
    return render_pdf(TEMPLATE, {
        "summary": summary, "nominal": summary.nominal, "sections": sections,
        "is_draft": summary.status == SummaryStatus.DRAFT,
        "printed_on": timezone.localdate()})


CONTRACT_TEMPLATE = "disclosure/contract_pdf.html"


def render_contract_pdf(arrangement) -> bytes:
    """The behaviour contract (§14.10) with signature lines for the offender and his offender
    manager, protectively marked on every page."""
    return render_pdf(CONTRACT_TEMPLATE, {
        "arrangement": arrangement, "nominal": arrangement.nominal, "terms": arrangement.terms,
        "printed_on": timezone.localdate()})
