"""The Administrator's panel dates (§10.6): the set dates of level 2 and 3 meetings."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from jmappa.core.forms import add_service_errors
from jmappa.core.views import AuditedListMixin

from .. import selectors
from ..forms.arranging import PanelDateForm, ReasonForm
from ..models import Meeting, MeetingStatus, PanelDate, PanelLevel
from ..services import panels
from .base import ManagerPageMixin, _when


class PanelListView(ManagerPageMixin, AuditedListMixin, TemplateView):
    """The set dates of level 2 and 3 meetings (§10.6), with how many cases each holds."""

    template_name = "meetings/panel_list.html"
    listed_model = PanelDate

    def listed(self, context):
        return [*context["cancelled"],
                *(panel for _level, _label, panels in context["levels"] for panel in panels)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dates = list(selectors.panels(include_cancelled=True))
        context.update(cancelled=[p for p in dates if p.cancelled], levels=[
            (level, label, [p for p in dates if p.level == level and not p.cancelled])
            for level, label in PanelLevel.choices])
        return context


class PanelAddView(ManagerPageMixin, FormView):
    form_class = PanelDateForm
    template_name = "meetings/admin_form.html"
    extra_context = {"title": "Add panel dates", "submit_label": "Add",
                     "intro": "Level 2 and 3 meetings sit on set days each month, set well in "
                              "advance (§10.6). Emergency meetings are arranged from the case "
                              "or the referral at any time.",
                     "back": "meetings:panels", "back_label": "Panel dates"}

    def form_valid(self, form):
        data, user = form.cleaned_data, self.request.user
        try:
            if data["repeat"] == PanelDateForm.MONTHLY:
                created, skipped = panels.panel_dates_add_monthly(
                    level=data["level"], first=form.starts_at(), months=data["months"],
                    actor=user, location=data["location"])
            else:
                created = [panels.panel_date_add(level=data["level"],
                                                   starts_at=form.starts_at(), actor=user,
                                                   location=data["location"])]
                skipped = []
        except ValidationError as error:
            if hasattr(error, "error_dict") and "starts_at" in error.error_dict:
                error = ValidationError({"day": error.error_dict["starts_at"]})
            add_service_errors(form, error)
            return self.form_invalid(form)
        if created:
            messages.success(self.request, f"{len(created)} level {data['level']} panel "
                                           f"date{'s' if len(created) != 1 else ''} added.")
        for why in skipped:
            messages.warning(self.request, f"Not added: {why}")
        return redirect("meetings:panels")


class PanelCancelView(ManagerPageMixin, FormView):
    form_class = ReasonForm
    template_name = "meetings/panel_cancel.html"

    def dispatch(self, request, *args, **kwargs):
        self.panel = get_object_or_404(PanelDate, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label": "Why is the date cancelled?"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(panel=self.panel, title="Cancel a panel date",
                       booked=list(self.panel.meetings.filter(status=MeetingStatus.SCHEDULED)
                                   .select_related("nominal", "chair")))
        return context

    def form_valid(self, form):
        try:
            panels.panel_date_cancel(panel=self.panel, reason=form.cleaned_data["reason"],
                                       actor=self.request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"The level {self.panel.level} panel of "
                                       f"{_when(self.panel.starts_at)} is cancelled.")
        return redirect("meetings:panels")


class PanelDayView(ManagerPageMixin, AuditedListMixin, TemplateView):
    """The panel day: every case discussed on a date, in order, with the agenda each
    discussion follows and its papers (the referral, the last minutes, the offender's written
    information, who is invited). Printable: the print stylesheet leaves out the navigation."""

    template_name = "meetings/panel_day.html"
    listed_model = Meeting

    # What each case's discussion covers, in the order of the minutes (§10, §5.2, §13.3).
    AGENDA = [
        "Confidentiality statement read; introductions and apologies",
        "Case presentation (Appendix C) and the offender's written information (§3.6)",
        "Information shared by each agency",
        "Risk of serious harm agreed: who is at risk, the nature of the harm, how imminent "
        "(§9.1)",
        "Risk Management Plan: actions to protect victims and a contingency (§8)",
        "Third-party disclosure considered and decided (§5.2)",
        "Discharge from JMAPPA considered (§13.3)",
        "Level: does the case require ongoing management at this level? (§10.2)",
        "Next review date (§10.11)",
    ]

    def listed(self, context):
        return context["meetings"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        days = selectors.panel_days(user, today)
        asked = self.request.GET.get("day", "")
        try:
            day = date.fromisoformat(asked) if asked else (days[0] if days else today)
        except ValueError:
            messages.error(self.request, "Enter the day as a date, for example 2026-12-10.")
            day = days[0] if days else today
        context.update(day=day, days=days, agenda=self.AGENDA,
                       meetings=selectors.panel_day(user, day),
                       title=f"Panel day, {day:%d %B %Y}".replace(" 0", " "))
        return context
