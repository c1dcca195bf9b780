"""The Co-ordinator's access decisions on a case: its status, exclusions, restriction to
named people."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from jmappa import access
from jmappa.core.forms import add_service_errors

from .. import selectors, services
from ..forms.access_decisions import ExclusionForm, RestrictForm
from ..models import Exclusion, NamedAccess
from .base import _case_or_list


def _posted_id(request, name: str) -> int:
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise Http404
    return int(value)


class CaseAccessView(access.NominalAccessMixin, TemplateView):
    """Exclusions and restriction: the Co-ordinator's decisions (§4)."""

    access_check = access.for_any(access.can_manage_case_access)
    denied_status = 403
    template_name = "cases/form_access.html"

    def get(self, request, *args, **kwargs):
        return self.render_page()

    def exclusion_form(self, data=None) -> ExclusionForm:
        return ExclusionForm(data, prefix="exclude", nominal=self.nominal,
                             actor=self.request.user)

    def restrict_form(self, data=None) -> RestrictForm:
        return RestrictForm(data, prefix="restrict", nominal=self.nominal,
                            actor=self.request.user)

    def render_page(self, **forms):
        context = self.get_context_data(
            nominal=self.nominal, title="Who may see this case",
            exclusion_form=forms.get("exclusion_form") or self.exclusion_form(),
            restrict_form=forms.get("restrict_form") or self.restrict_form(),
            **selectors.case_access_overview(self.nominal),
        )
        return self.render_to_response(context)

    def done(self, message: str):
        messages.success(self.request, message)
        return redirect(_case_or_list(self.request.user, self.nominal))

    def post(self, request, *args, **kwargs):
        handler = {
            "exclude": self.exclude, "lift_exclusion": self.lift_exclusion,
            "restrict": self.restrict, "unrestrict": self.unrestrict,
            "remove_named": self.remove_named,
        }.get(request.POST.get("action"))
        if handler is None:
            messages.error(request, "Choose what to do with the buttons on this page.")
            return redirect("cases:access", pk=self.nominal.pk)
        return handler(request)

    def exclude(self, request):
        form = self.exclusion_form(request.POST)
        if form.is_valid():
            user = form.cleaned_data["user"]
            try:
                services.exclusion_add(nominal=self.nominal, user=user,
                                       reason=form.cleaned_data["reason"], actor=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return self.done(f"{user} is excluded from this case.")
        return self.render_page(exclusion_form=form)

    def lift_exclusion(self, request):
        exclusion = get_object_or_404(Exclusion.objects.select_related("user"),
                                      pk=_posted_id(request, "exclusion"), nominal=self.nominal)
        services.exclusion_remove(exclusion=exclusion, actor=request.user)
        return self.done(f"The exclusion of {exclusion.user} is lifted.")

    def restrict(self, request):
        form = self.restrict_form(request.POST)
        if form.is_valid():
            try:
                services.nominal_restrict(
                    nominal=self.nominal, reason=form.cleaned_data["reason"],
                    named_users=list(form.cleaned_data["named_users"]), actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return self.done("The case is restricted: only the named people see it.")
        return self.render_page(restrict_form=form)

    def unrestrict(self, request):
        if self.nominal.restricted:
            services.nominal_unrestrict(nominal=self.nominal, actor=request.user)
        return self.done("The restriction is lifted: the case team sees the case again.")

    def remove_named(self, request):
        named = get_object_or_404(NamedAccess.objects.select_related("user"),
                                  pk=_posted_id(request, "named"), nominal=self.nominal)
        if named.user_id == request.user.pk:
            messages.error(request, "You cannot take yourself off the case: you would no "
                                    "longer see it.")
            return redirect("cases:access", pk=self.nominal.pk)
        services.named_access_remove(named_access=named, actor=request.user)
        return self.done(f"{named.user} is no longer named on this case.")
