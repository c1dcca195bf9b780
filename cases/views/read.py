"""The register's read side: the case list and its export, the photo,
the retention review and the deviations register. Writes live in edit.py, record.py
and access_decisions.py."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404
from django.utils import timezone
from django.views.generic import ListView, View

from jmappa import access
from jmappa.core.views import AuditedListMixin
from jmappa.exports import csv_response

from .. import selectors
from ..filters import (
    ALL_STATUSES,
    SORT_DIRECTION,
    SORTABLE_COLUMNS,
    NominalFilter,
    NominalFilterForm,
)
from ..models import Nominal


class NominalFilterMixin(access.LoginRequiredMixin):
    """The case list's filters, shared by the page and its CSV export."""

    def get_filter_form(self) -> NominalFilterForm:
        if not hasattr(self, "_filters"):
            # Always bound: an empty query string means the default (active cases).
            self._filters = NominalFilter(self.request.GET,
                                          queryset=selectors.nominals_for(self.request.user))
        return self._filters.form

    def filtered_nominals(self):
        form = self.get_filter_form()
        if not form.is_valid():
            # Never show the whole register as if it were the filtered one.
            return Nominal.objects.none()
        return self._filters.qs


class NominalListView(NominalFilterMixin, AuditedListMixin, ListView):
    template_name = "cases/nominal_list.html"
    context_object_name = "nominals"
    paginate_by = 50

    def get_queryset(self):
        return self.filtered_nominals()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.get_filter_form()
        query = self.request.GET.copy()
        query.pop("page", None)
        user = self.request.user
        every_status = query.copy()
        every_status["status"] = ALL_STATUSES
        context.update(
            filter_form=form,
            query_string=query.urlencode(),
            is_filtered=form.is_valid() and form.is_filtered(),
            every_status_url="?" + every_status.urlencode(),
            sorting=self._sorting(form),
            can_create=access.can_create_nominal(user),
            can_review_retention=access.can_review_retention(user),
            today=timezone.localdate(),
        )
        return context

    def _sorting(self, form) -> dict:
        """For each sortable column: the link that sorts by it, keeping every other
        parameter, and its aria-sort value when the list is sorted by it."""
        current = form.cleaned_data.get("sort", "name") if form.is_valid() else "name"
        columns = {}
        for column, sorts in SORTABLE_COLUMNS.items():
            active = current in sorts
            wanted = sorts[(sorts.index(current) + 1) % len(sorts)] if active else sorts[0]
            query = self.request.GET.copy()
            query.pop("page", None)
            query["sort"] = wanted
            columns[column] = {
                "url": "?" + query.urlencode(),
                "aria_sort": SORT_DIRECTION[current] if active else "",
            }
        return columns


class NominalExportView(NominalFilterMixin, View):
    """The case list as CSV: the same filters, only visible cases, audited."""

    HEADER = [
        "Reference", "Family name", "Given names", "Date of birth", "Eligibility", "Category",
        "Level", "Risk of serious harm", "Lead agency", "Case manager", "Status", "Custody",
        "PNC number", "ViSOR number", "Prison number", "Updated",
    ]

    def get(self, request, *args, **kwargs):
        form = self.get_filter_form()
        rows = (
            [
                n.reference, n.family_name, n.given_names, n.date_of_birth.isoformat(),
                n.get_eligibility_display(), n.get_category_display(), n.get_level_display(),
                n.get_rosh_display() or "Not assessed",
                n.lead_agency.name if n.lead_agency else "",
                str(n.case_manager) if n.case_manager else "",
                n.get_status_display(), n.get_custody_status_display(),
                n.pnc_number, n.visor_number, n.prison_number,
                timezone.localtime(n.updated_at).isoformat(timespec="minutes"),
            ]
            for n in self.filtered_nominals().iterator(chunk_size=2000)
        )
        return csv_response(
            filename="jmappa-cases.csv", header=self.HEADER, rows=rows, actor=request.user,
            object_type="cases.nominal",
            ids=self.filtered_nominals().values_list("pk", flat=True),
            detail=form.describe() if form.is_valid() else "filters: invalid, nothing exported",
        )


class NominalPhotoView(access.NominalAccessMixin, View):
    """The photo, only after the same access check as the case page; never cached."""

    audit_reads = False

    def get(self, request, *args, **kwargs):
        photo = self.nominal.photo
        if not photo:
            raise Http404
        try:
            handle = photo.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        content_type = mimetypes.guess_type(photo.name)[0] or "application/octet-stream"
        response = FileResponse(handle, content_type=content_type)
        response["Cache-Control"] = "no-store, private"
        response["Content-Disposition"] = "inline"
        return response


class RetentionReviewView(access.RoleRequiredMixin, AuditedListMixin, ListView):
    """Archived records whose subject has reached 100 (§13.3): the Co-ordinator's review."""

    access_check = access.can_review_retention
    template_name = "cases/retention_list.html"
    context_object_name = "nominals"
    paginate_by = 50

    def get_queryset(self):
        return selectors.retention_review(self.request.user)


class DeviationListView(access.LoginRequiredMixin, AuditedListMixin, ListView):
    """Departures from the Guidance across the cases the user sees (§1.1, §14.11)."""

    template_name = "cases/deviation_list.html"
    context_object_name = "deviations"
    paginate_by = 50

    def get_queryset(self):
        return selectors.deviations_for(self.request.user)
