"""The register's read side: the case list and its export, the case page, the photo,
the retention review and the deviations register. Writes live in edit.py, record.py
and access_decisions.py."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404
from django.utils import timezone
from django.views.generic import DetailView, ListView, View

from jmappa import access
from jmappa.accounts.models import Role
from jmappa.audit import wording
from jmappa.audit.selectors import audit_events
from jmappa.core.views import AuditedListMixin
from jmappa.exports import csv_response
from jmappa.workdays import working_days_between

from .. import decisions, selectors
from ..filters import (
    ALL_STATUSES,
    SORT_DIRECTION,
    SORTABLE_COLUMNS,
    NominalFilter,
    NominalFilterForm,
)
from ..models import Category, Nominal, TeamRole
from ..rules import IDENTIFICATION_WORKING_DAYS

CASE_HISTORY_LENGTH = 50
TEAM_ROLE_ORDER = [TeamRole.CASE_MANAGER, TeamRole.VISOR_MANAGER, TeamRole.AGENCY_CONTACT,
                   TeamRole.MEETING_INVITEE, TeamRole.ACTION_OWNER]


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


class NominalDetailView(access.NominalAccessMixin, DetailView):
    """The case page. Outside the case (or excluded from it) it does not exist: 404."""

    selector = selectors.nominal_page
    url_kwarg = "pk"
    template_name = "cases/nominal_detail.html"
    context_object_name = "nominal"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nominal, user = self.object, self.request.user
        today = timezone.localdate()
        can_change = access.can_change_nominal(user, nominal)
        is_coordinator = access.has_role(user, Role.COORDINATOR)
        can_manage_access = access.can_manage_case_access(user)

        team = sorted(nominal.team.all(), key=lambda m: (TEAM_ROLE_ORDER.index(m.role)
                                                          if m.role in TEAM_ROLE_ORDER else 99,
                                                          -m.date_from.toordinal()))
        rosh_history = list(nominal.rosh_history.all())
        context.update(
            today=today,
            can_change=can_change,
            can_archive=can_change and access.can_archive(user),
            can_manage_access=can_manage_access,
            can_view_victims=access.can_view_victims(user, nominal),
            sees_restriction_reason=can_manage_access,
            latest_rosh=rosh_history[0] if rosh_history else None,
            rosh_history=rosh_history,
            team_current=[m for m in team if m.date_to is None or m.date_to > today],
            team_past=[m for m in team if m.date_to is not None and m.date_to <= today],
            is_category_3=nominal.category == Category.THREE,
            identification=self._identification(nominal),
            withholding=decisions.where_decided(decisions.WITHHOLDING, nominal),
        )
        # Who read or changed this case is itself sensitive: shown to those who manage it.
        if can_change or is_coordinator:
            context["history"] = self._history(
                nominal, self.request.user, victims=context["can_view_victims"],
                access_decisions=can_manage_access)
        return context

    @staticmethod
    def _history(nominal, user, *, victims: bool, access_decisions: bool) -> list:
        """The case's latest audit events in words (jmappa/audit/wording.py), without what
        the viewer may not see through them: victim records without the victim permission,
        and the Co-ordinator's exclusions and restriction reasons for anyone else."""
        hidden_types, hidden_fields = set(), set()
        if not victims:
            hidden_types.add("cases.victim")
        if not access_decisions:
            hidden_types |= {"cases.exclusion", "cases.namedaccess"}
            hidden_fields.add("restricted_reason")
        events = audit_events(user=user, filters={"case": nominal.pk}).exclude(
            object_type__in=hidden_types).select_related("actor")[:CASE_HISTORY_LENGTH]
        return wording.describe(events, hidden_fields=hidden_fields)

    @staticmethod
    def _identification(nominal) -> dict | None:
        """How many working days after sentence the case was identified (§3.3)."""
        if not (nominal.sentence_date and nominal.identified_on):
            return None
        days = working_days_between(nominal.sentence_date, nominal.identified_on)
        return {"working_days": days, "late": days > IDENTIFICATION_WORKING_DAYS,
                "limit": IDENTIFICATION_WORKING_DAYS}


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
