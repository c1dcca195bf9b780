"""What the register's forms share: the case form page (access from jmappa/access.py: a
case the user may not see, or may not change, answers 404; a role they lack on a case they
see, 403), and where to go after a change."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import dateformat
from django.views.generic import FormView

from jmappa import access
from jmappa.audit.services import audit_read
from jmappa.core.forms import add_service_errors

from ..forms.nominal import CONSTRAINT_MESSAGES
from ..models import Nominal


def _case_or_list(user, nominal: Nominal) -> str:
    """The case page, or the list if this very change took the case out of the user's sight."""
    if access.can_view_nominal(user, nominal):
        return reverse("cases:detail", args=[nominal.pk])
    return reverse("cases:list")


def _short(day: date) -> str:
    return dateformat.format(day, "j M Y")


class RoleOnCaseMixin:
    """Placed after NominalAccessMixin: the case is visible (else 404), and the role is
    needed on top of it (else 403: the user already knows the case exists)."""

    role_check = None

    def dispatch(self, request, *args, **kwargs):
        check = type(self).role_check
        if check is not None and not check(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CaseFormView(access.NominalAccessMixin, RoleOnCaseMixin, FormView):
    """A form about one case that the user may change. `save(form)` calls the service and
    returns the success message; a ValidationError from it lands beside the fields."""

    require_change = True
    template_name = "cases/form_page.html"
    title = ""
    intro = ""
    submit_label = "Save"

    def get(self, request, *args, **kwargs):
        self.audit_read()
        return super().get(request, *args, **kwargs)

    def audit_read(self) -> None:
        audit_read(actor=self.request.user, obj=self.nominal, case_id=self.nominal.pk)

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
            add_service_errors(form, error, CONSTRAINT_MESSAGES)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(_case_or_list(self.request.user, self.nominal))
