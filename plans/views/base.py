"""What the plan's pages share: links, the case-page and form-page bases, and the
readings of a progress entry.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import dateformat
from django.views.generic import TemplateView

from jmappa import access
from jmappa.core.views import ServiceFormView

from ..forms import (
    ProgressForm,
)
from ..models import PlanAction


def _short(day: date) -> str:
    return dateformat.format(day, "j F Y")


def plan_url(nominal, action: PlanAction | None = None) -> str:
    url = reverse("plans:plan", args=[nominal.pk])
    return f"{url}#action-{action.pk}" if action is not None else url


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def decorate(action: PlanAction, today: date) -> PlanAction:
    """What the lists show of an action's completion date: days overdue, or left."""
    action.is_overdue = action.is_overdue_on(today)
    action.days_overdue = (today - action.due_date).days if action.is_overdue else 0
    return action


class PlanFormView(access.NominalAccessMixin, ServiceFormView):
    """A form about one case's plan, reviews or visits: the case is visible (else 404);
    `access_check(user, nominal)` is needed on top of it (else 403: the user already knows
    the case exists). Back to the plan."""

    denied_status = 403

    template_name = "plans/form_page.html"
    section = "Risk Management Plan"

    def section_url(self) -> str:
        return plan_url(self.nominal)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            nominal=self.nominal, section=self.section, section_url=self.section_url(),
            cancel_url=self.section_url(), **kwargs)

    def get_success_url(self) -> str:
        return self.section_url()


class CasePageView(access.NominalAccessMixin, TemplateView):
    """A read-only page about one case: reading it is audited."""




def progress_message(entry) -> str:
    status = entry.get_status_display().lower()
    return f"Progress logged for {_short(entry.on)}: the action is now {status}."


def stale_summary(stale) -> dict:
    current = stale.current
    return {"status": current.get_status_display(), "progress": stale.changed.get("progress")}


def stale_form(form: ProgressForm, stale) -> ProgressForm:
    """The form as the user typed it, carrying the action's new version."""
    data = form.data.copy()
    data[form.add_prefix("version")] = str(stale.current.version)
    fresh = ProgressForm(data, action=stale.current, prefix=form.prefix)
    fresh.is_valid()
    return fresh
