from django.views.generic import ListView, View

from jmappa import access
from jmappa.core.views import AuditedListMixin
from jmappa.exports import csv_response

from . import wording
from .forms import AuditFilter, AuditFilterForm
from .selectors import audit_events


class AuditFilterMixin(access.RoleRequiredMixin):
    access_check = access.can_view_audit_trail

    def get_filter_form(self) -> AuditFilterForm:
        if not hasattr(self, "_filters"):
            self._filters = AuditFilter(self.request.GET or None,
                                        queryset=audit_events(user=self.request.user))
        return self._filters.form

    def filtered_events(self):
        form = self.get_filter_form()
        if form.is_bound and not form.is_valid():
            # Never show the whole trail as if it were the filtered one.
            return audit_events(user=self.request.user).none()
        return self._filters.qs.select_related("actor")


class AuditEventListView(AuditFilterMixin, AuditedListMixin, ListView):
    template_name = "audit/event_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        return self.filtered_events()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.get_filter_form()
        # The page's events in words, the people they name read once for the page.
        context["events"] = wording.describe(context["events"])
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context


class AuditEventExportView(AuditFilterMixin, View):
    def get(self, request, *args, **kwargs):
        events = self.filtered_events()
        header = [
            "When", "User", "Agency", "Channel", "Action", "Object type", "Object id",
            "Object", "Case", "Changes", "Detail", "IP address",
        ]
        rows = (
            [
                e.occurred_at.isoformat(), e.actor_username, e.actor_agency, e.channel,
                e.action, e.object_type, e.object_id, e.object_repr, e.case_id or "",
                e.changes or "", e.detail, e.ip_address or "",
            ]
            for e in events.iterator(chunk_size=2000)
        )
        return csv_response(
            filename="audit-trail.csv",
            header=header,
            rows=rows,
            actor=request.user,
            object_type="audit.auditevent",
            detail=f"filters: {request.GET.urlencode() or 'none'}",
        )
