from django.views.generic import DetailView, ListView

from jmappa import access
from jmappa.core.views import AuditedDetailMixin

from .selectors import nominal_list, nominals_for


class NominalListView(access.LoginRequiredMixin, ListView):
    template_name = "cases/nominal_list.html"
    context_object_name = "nominals"
    paginate_by = 50

    def get_queryset(self):
        return nominal_list(self.request.user)


class NominalDetailView(access.LoginRequiredMixin, AuditedDetailMixin, DetailView):
    template_name = "cases/nominal_detail.html"
    context_object_name = "nominal"

    def audit_case_id(self, obj):
        return obj.pk

    def get_queryset(self):
        return nominals_for(self.request.user)
