"""The annual report (§15.5): the reports by year, one report with its statistics (exact, or
as they will be published) and its sections, the forms of its drafting, the Board's approval
and the publication, and the report as PDF with its CSV data annex. Read by the Board's
members, the Co-ordinator and the Administrators; prepared by the Co-ordinator and the
Administrators (access.can_prepare_annual_report)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from jmappa import access
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_log
from jmappa.core import dates
from jmappa.core.pdf import pdf_response, render_pdf
from jmappa.core.views import ServiceFormView
from jmappa.exports import csv_response

from ..annual import services
from ..annual.catalogue import STATISTICS
from ..annual.suppression import RULE, published
from ..forms import (
    AnnualReportApproveForm,
    AnnualReportForm,
    AnnualReportPublishForm,
    AnnualReportSectionForm,
    AnnualReportStartForm,
)
from ..models import AnnualReport, AnnualReportSection, AnnualReportStatus, SectionKind

FORM_TEMPLATE = "kpi/board_form.html"
INTERNAL, PUBLISHED = "internal", "published"


def report_url(report: AnnualReport) -> str:
    return reverse("kpi:annual_report", args=[report.year])


def tables(report: AnnualReport, version: str) -> list[dict]:
    """The report's tables, exact (internal) or with the small-cell rule (published)."""
    found = services.figures(report, dates.today())
    # In the catalogue's order: a frozen report's tables come back from JSON in any order.
    ordered = [found[key] for key in STATISTICS if key in found]
    return [published(table) if version == PUBLISHED else table for table in ordered]


def version_of(request) -> str:
    return PUBLISHED if request.GET.get("version") == PUBLISHED else INTERNAL


class AnnualPageMixin(access.RoleRequiredMixin):
    access_check = access.can_view_kpis


class ReportMixin:
    """Loads the report of the URL's year (404 for a year with none), once access to the
    page is granted."""

    def load_report(self, kwargs) -> AnnualReport:
        return get_object_or_404(AnnualReport, year=kwargs["year"])

    def dispatch(self, request, *args, **kwargs):
        self.report = self.load_report(kwargs)
        return super().dispatch(request, *args, **kwargs)


class AnnualReportListView(AnnualPageMixin, TemplateView):
    template_name = "kpi/annual_reports.html"

    def get_context_data(self, **kwargs):
        reports = list(AnnualReport.objects.select_related("approved_at"))
        taken = {report.year for report in reports}
        year = dates.today().year
        return super().get_context_data(
            reports=reports, next_year=year if year not in taken else year + 1,
            can_prepare=access.can_prepare_annual_report(self.request.user), **kwargs)


class AnnualReportStartView(access.RoleRequiredMixin, ServiceFormView):
    access_check = access.can_prepare_annual_report
    template_name = FORM_TEMPLATE
    form_class = AnnualReportStartForm
    title = "Start an annual report"
    intro = ("The report the Chief Police Officer presents to the Minister before the end of "
             "March (§15.5): the statistics the Minister asked for, an explanation of the data "
             "and anonymised examples of how cases are managed.")
    submit_label = "Start the report"

    def get_initial(self):
        year = dates.today().year
        taken = set(AnnualReport.objects.values_list("year", flat=True))
        return {"year": year if year not in taken else year + 1}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=reverse("kpi:annual_reports"), **kwargs)

    def save(self, form) -> str:
        self.saved = services.annual_report_start(year=form.cleaned_data["year"],
                                                  actor=self.request.user)
        return (f"The {self.saved.year} report is started with every statistic of the "
                "catalogue: keep those the Minister asked for.")

    def get_success_url(self) -> str:
        return report_url(self.saved)


class AnnualReportView(AnnualPageMixin, ReportMixin, TemplateView):
    template_name = "kpi/annual_report.html"

    def get_context_data(self, **kwargs):
        version = version_of(self.request)
        report = self.report
        user = self.request.user
        return super().get_context_data(
            report=report, version=version, tables=tables(report, version),
            sections=list(report.sections.all()), rule=RULE,
            can_prepare=access.can_prepare_annual_report(user) and report.is_draft,
            can_publish=access.can_prepare_annual_report(user)
            and report.status == AnnualReportStatus.APPROVED,
            provisional=report.is_draft and report.period_end >= dates.today(), **kwargs)


class ReportFormView(access.RoleRequiredMixin, ReportMixin, ServiceFormView):
    """A form of the report's drafting: only while it is a draft."""

    access_check = access.can_prepare_annual_report
    template_name = FORM_TEMPLATE

    def blocked(self) -> str:
        if not self.report.is_draft:
            return (f"The report is {self.report.get_status_display().lower()}: its figures "
                    "and text are no longer changed.")
        return ""

    def get_success_url(self) -> str:
        return report_url(self.report)

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=report_url(self.report), **kwargs)


class AnnualReportEditView(ReportFormView):
    form_class = AnnualReportForm
    submit_label = "Save"
    intro = ("The Minister says each year which data are needed (§16.1): keep the statistics "
             "asked for, and the period they cover.")

    def get_title(self) -> str:
        return f"Statistics of the {self.report.year} report"

    def get_initial(self):
        report = self.report
        return {"period_start": report.period_start, "period_end": report.period_end,
                "count_on": report.count_on, "statistics": report.statistics,
                "version": report.version}

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        services.annual_report_update(report=self.report, actor=self.request.user,
                                      version=version, **data)
        return "Saved."


class SectionAddView(ReportFormView):
    form_class = AnnualReportSectionForm
    submit_label = "Add the section"
    intro = ("The explanation of the data, or an example of how a case is managed: anonymised, "
             "with no reference, no name and nothing else that identifies anyone.")

    def get_title(self) -> str:
        return f"Add a section to the {self.report.year} report"

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        data.pop("version", None)
        section = services.annual_report_section_save(report=self.report,
                                                      actor=self.request.user, **data)
        return f"“{section.heading}” is added."


class SectionEditView(ReportFormView):
    form_class = AnnualReportSectionForm
    submit_label = "Save"
    stale_message = ("Someone else saved this section while you were changing it: nothing was "
                     "saved. Open it again to see their change.")

    def load_report(self, kwargs) -> AnnualReport:
        self.section = get_object_or_404(AnnualReportSection.objects.select_related("report"),
                                         pk=kwargs["pk"])
        return self.section.report

    def get_title(self) -> str:
        return f"Edit “{self.section.heading}”"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.section}

    def get_initial(self):
        return {"version": self.section.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            remove_url=reverse("kpi:annual_section_remove", args=[self.section.pk]), **kwargs)

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        services.annual_report_section_save(report=self.report, actor=self.request.user,
                                            section=self.section, version=version, **data)
        return "Saved."


class SectionRemoveView(access.RoleRequiredMixin, View):
    access_check = access.can_prepare_annual_report

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.core.exceptions import ValidationError
        from django.shortcuts import redirect

        section = get_object_or_404(AnnualReportSection.objects.select_related("report"),
                                    pk=kwargs["pk"])
        try:
            services.annual_report_section_remove(section=section, actor=request.user)
            messages.success(request, f"“{section.heading}” is taken out of the report.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(report_url(section.report))


class AnnualReportApproveView(ReportFormView):
    form_class = AnnualReportApproveForm
    submit_label = "Record the Board's approval"
    intro = ("Record the Board meeting at which the Board approved the report. Its figures are "
             "frozen then: what is published is what the Board approved.")

    def get_title(self) -> str:
        return f"The Board approved the {self.report.year} report"

    def get_initial(self):
        return {"version": self.report.version}

    def save(self, form) -> str:
        report = services.annual_report_approve(
            report=self.report, actor=self.request.user, meeting=form.cleaned_data["meeting"],
            version=form.cleaned_data.get("version"))
        return f"Approved by the Board on {report.approved_on:%-d %B %Y}; its figures are frozen."


class AnnualReportPublishView(ReportFormView):
    form_class = AnnualReportPublishForm
    submit_label = "Publish the report"
    intro = ("The published report shows counts of 1 to 4 as “fewer than 5”, and withholds "
             "what would give them away. The internal version keeps the exact figures.")

    def get_title(self) -> str:
        return f"Publish the {self.report.year} report"

    def blocked(self) -> str:
        if self.report.status != AnnualReportStatus.APPROVED:
            return ("Only a report the Board has approved is published."
                    if self.report.is_draft else "The report is already published.")
        return ""

    def get_initial(self):
        return {"version": self.report.version}

    def save(self, form) -> str:
        report = services.annual_report_publish(report=self.report, actor=self.request.user,
                                                version=form.cleaned_data.get("version"))
        return f"The {report.year} report is published."


class AnnualReportPdfView(AnnualPageMixin, ReportMixin, View):
    """The report as PDF: internal (exact, protectively marked) or as published."""

    def get(self, request, *args, **kwargs):
        report, version = self.report, version_of(request)
        today = dates.today()
        sections = list(report.sections.all())
        if version == PUBLISHED:
            marking = ("" if report.status == AnnualReportStatus.PUBLISHED
                       else "DRAFT: NOT FOR PUBLICATION")
        else:
            from django.conf import settings

            marking = settings.PROTECTIVE_MARKING
        content = render_pdf("kpi/annual_report_pdf.html", {
            "report": report, "version": version, "tables": tables(report, version),
            "narratives": [s for s in sections if s.kind == SectionKind.NARRATIVE],
            "examples": [s for s in sections if s.kind == SectionKind.EXAMPLE],
            "rule": RULE, "today": today,
            "protective_marking": marking})
        audit_log(actor=request.user, action=Verb.PRINT, obj=report, detail=f"PDF, {version}")
        return pdf_response(content, f"jmappa-annual-report-{report.year}-{version}.pdf")


class AnnualReportAnnexView(AnnualPageMixin, ReportMixin, View):
    """The data annex: every cell of every table, one line each, as CSV."""

    def get(self, request, *args, **kwargs):
        report, version = self.report, version_of(request)
        lines = []
        for table in tables(report, version):
            for row in table["rows"]:
                for column, value in zip(table["columns"], row["values"], strict=True):
                    if isinstance(value, dict):  # a KPI figure
                        value = value.get("withheld") or (
                            f"{value['rate']}% ({value['numerator']} of "
                            f"{value['denominator']})" if value["rate"] is not None else "")
                    lines.append([table["title"], row["label"], column, value])
        return csv_response(
            filename=f"jmappa-annual-report-{report.year}-{version}.csv",
            header=["Statistic", "Row", "Column", "Value"], rows=lines, actor=request.user,
            object_type="kpi.annualreport", detail=f"{report}, data annex, {version}")
