"""What the register's forms share: the case form page (access from jmappa/access.py: a
case the user may not see, or may not change, answers 404; a role they lack on a case they
see, 403), and where to go after a change."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import dateformat
from django.views.generic import FormView

from jmappa import access
from jmappa.core.forms import add_service_errors

from ..models import Nominal


def _case_or_list(user, nominal: Nominal) -> str:
    """The case page, or the list if this very change took the case out of the user's sight."""
    if access.can_view_nominal(user, nominal):
        return reverse("cases:detail", args=[nominal.pk])
    return reverse("cases:list")


def _short(day: date) -> str:
    return dateformat.format(day, "j M Y")


class CaseFormView(access.NominalAccessMixin, FormView):
    """A form about one case that the user may change (else 404; a page asking a role on
    the case instead declares `access_check = access.for_any(...)` and answers 403, since
    the user already knows the case exists). `save(form)` calls the service and returns
    the success message; a ValidationError from it lands beside the fields."""

    access_check = access.can_change_nominal
    template_name = "cases/form_page.html"
    title = ""
    intro = ""
    submit_label = "Save"

    def get_title(self) -> str:
        return self.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(nominal=self.nominal, title=self.get_title(), intro=self.intro,
                       submit_label=self.submit_label)
        return context

    def save(self, form) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            message = self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(_case_or_list(self.request.user, self.nominal))
