"""The Minutes Executive Summary printed (§5.6): its six sections, "RESTRICTED" at the top and
bottom of every page, "page X of Y", a draft marked DRAFT across every page. Rendering never
reaches the network (jmappa/core/pdf.py); the view audits the printing."""

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
