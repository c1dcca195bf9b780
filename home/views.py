from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from .selectors import home_panels


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "home/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panels"] = home_panels(self.request.user)
        return context


class ManageView(LoginRequiredMixin, TemplateView):
    """The pages that keep the service running, gathered under one navigation item. Each link
    shows only to those the page itself lets in (the navigation's own predicates)."""

    template_name = "home/manage.html"
