"""The Board's dashboard and the rows behind each figure: for the Co-ordinator, the
Administrators and the SMB members (jmappa/access.py decides, and what a row shows)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.views import View
from django.views.generic import TemplateView

from jmappa import access
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_list, audit_log
from jmappa.core import dates
from jmappa.core.pdf import pdf_response, render_pdf
from jmappa.exports import csv_response

from .. import exports, selectors
from ..charts import trend_svg
from ..indicators import MEASURED
from ..models import CaseAudit
from ..periods import Period


class KpiPageMixin(access.RoleRequiredMixin):
    access_check = access.can_view_kpis

    def period_from(self, text: str | None) -> Period:
        today = dates.today()
        if not text:
            return Period.quarter_of(today)
        try:
            period = Period.parse(text)
        except ValueError as error:
            messages.error(self.request, f"{error} Showing this quarter instead.")
            return Period.quarter_of(today)
        if period.start > today:
            messages.error(self.request, "That period has not started yet. "
                                         "Showing this quarter instead.")
            return Period.quarter_of(today)
        return period


class DashboardView(KpiPageMixin, TemplateView):
    template_name = "kpi/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = dates.today()
        period = self.period_from(self.request.GET.get("period"))
        nonce = str(getattr(self.request, "csp_nonce", ""))
        shown = selectors.dashboard(period, today)
        for item in shown:
            item["chart"] = trend_svg(item["trend"], nonce=nonce)
        this_year = today.year
        audit = CaseAudit.objects.filter(period=period.code).first()
        context.update({
            "audit": selectors.audit_results(audit) if audit else None,
            "period": period, "kpis": shown,
            "provisional": selectors.provisional(period, today),
            "choices": [Period(y, q) for y in range(this_year, this_year - 3, -1)
                        for q in (4, 3, 2, 1) if Period(y, q).start <= today]
            + [Period(y) for y in range(this_year, this_year - 3, -1)],
        })
        return context


def _shown_rows(user, result):
    """The rows with the reference of any case the user may not be shown withheld
    (access.kpi_reference_ids)."""
    ids = {row["nominal_id"] for row in result.rows if "nominal_id" in row}
    if ids:
        allowed = access.kpi_reference_ids(user, ids)
        result.rows = [row if row.get("nominal_id") in allowed or "nominal_id" not in row
                       else {**row, "reference": "Withheld", "nominal_id": None}
                       for row in result.rows]
    return result


def _figure_or_404(kwargs):
    number = kwargs["number"]
    try:
        period = Period.parse(kwargs["period"])
    except ValueError:
        raise Http404 from None
    if number not in MEASURED or period.start > dates.today():
        raise Http404
    return period, selectors.figure(number, period, dates.today())


class KpiExportView(KpiPageMixin, View):
    """The rows behind one KPI's figure as CSV, by case reference only."""

    def get(self, request, *args, **kwargs):
        period, result = _figure_or_404(kwargs)
        result = _shown_rows(request.user, result)
        return csv_response(
            filename=f"kpi-{result.number}-{period.code}.csv", header=exports.header(
                result.number), rows=exports.lines(result), actor=request.user,
            object_type="cases.nominal" if result.number != 4 else "kpi.smbattendance",
            ids=[i for i in dict.fromkeys(row.get("nominal_id", row.get("membership_id"))
                                  for row in result.rows) if i is not None],
            detail=f"KPI {result.number}, {period.code}")


class PerformancePackView(KpiPageMixin, View):
    """The quarterly SMB performance pack as PDF, protectively marked; printing is audited."""

    def get(self, request, *args, **kwargs):
        try:
            period = Period.parse(kwargs["period"])
        except ValueError:
            raise Http404 from None
        today = dates.today()
        if period.start > today:
            raise Http404
        shown = selectors.dashboard(period, today)
        for item in shown:
            item["chart"] = trend_svg(item["trend"])
        content = render_pdf("kpi/pack_pdf.html", {
            "period": period, "kpis": shown, "today": today,
            "provisional": selectors.provisional(period, today),
            "marking": settings.PROTECTIVE_MARKING})
        audit_log(actor=request.user, action=Verb.PRINT, object_type="kpi.performancepack",
                  object_id=period.code, object_repr=f"Performance pack, {period.label}")
        return pdf_response(content, f"jmappa-performance-{period.code}.pdf")


class KpiDetailView(KpiPageMixin, TemplateView):
    """The rows behind one KPI's figure for a period."""

    template_name = "kpi/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period, result = _figure_or_404(self.kwargs)
        result = _shown_rows(self.request.user, result)
        number = result.number
        case_ids = [row["nominal_id"] for row in result.rows if row.get("nominal_id")]
        audit_list(actor=self.request.user, model="cases.nominal",
                   ids=list(dict.fromkeys(case_ids)),
                   detail=f"KPI {number}, {period.code}: {self.request.get_full_path()}")
        context.update({
            "period": period, "result": result, "kpi": result.kpi,
            "provisional": selectors.provisional(period, dates.today()),
            "link_cases": access.kpi_rows_link_to_cases(self.request.user),
        })
        return context
