from django.views.generic import DetailView, ListView

from jmappa import access

from .selectors import agencies_for, agency_members


class AgencyListView(access.RoleRequiredMixin, ListView):
    access_check = access.can_view_agency_directory
    template_name = "accounts/agency_list.html"
    context_object_name = "agencies"
    paginate_by = 50

    def get_queryset(self):
        return agencies_for(self.request.user)


class AgencyDetailView(access.ObjectAccessMixin, DetailView):
    """Any signed-in user (access.can_view_agency_directory, which agencies_for asks)."""

    selector = agencies_for
    object_name = "agency"
    template_name = "accounts/agency_detail.html"
    context_object_name = "agency"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = agency_members(self.object)
        return context
