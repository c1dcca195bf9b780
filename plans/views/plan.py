"""The plan of a case: the plan page, an action and its progress log, adding and
changing actions, carrying those that cannot be delivered to a meeting (§8.3).
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView, View

from cases.models import Category, Level
from jmappa import access
from jmappa.core.forms import (
    add_service_errors,
    field_label,
    mark_conflicts,
    stale_merge,
)
from jmappa.core.versioning import StaleEdit

from .. import selectors, services
from ..forms import (
    ActionEditForm,
    ActionForm,
    CarryForm,
    ProgressForm,
    case_meetings,
    meeting_label,
)
from ..models import ActionStatus, ActionType, PlanAction
from .base import (
    CasePageView,
    PlanFormView,
    _short,
    decorate,
    plan_url,
    progress_message,
    stale_form,
    stale_summary,
)


class PlanView(CasePageView):
    """The case's Risk Management Plan: its actions by status, with their owners, dates,
    progress and the meetings that agreed them."""

    template_name = "plans/plan.html"

    def get_context_data(self, **kwargs):
        from meetings.models import Meeting, MeetingStatus

        context = super().get_context_data(**kwargs)
        user, nominal, today = self.request.user, self.nominal, timezone.localdate()
        actions = [decorate(a, today) for a in selectors.plan_of(user, nominal)]
        for action in actions:
            action.can_log = access.can_log_progress(user, action)
        groups = [
            {"status": status, "label": status.label,
             "actions": [a for a in actions if a.status == status]}
            for status in selectors.STATUS_ORDER
        ]
        can_change = access.can_change_plan(user, nominal)
        to_carry = [a for a in actions
                    if a.status == ActionStatus.CANNOT_DELIVER and not a.carried_to.all()]
        standing = [a for a in actions if a.status != ActionStatus.CANNOT_DELIVER]
        review = (Meeting.objects.filter(nominal=nominal, next_review_by__isnull=False)
                  .exclude(status=MeetingStatus.CANCELLED).order_by("-starts_at", "-id")
                  .first())
        context.update(
            nominal=nominal, today=today, actions=actions, groups=groups,
            can_change_plan=can_change,
            overdue=sum(a.is_overdue for a in actions),
            open_count=sum(a.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
                           for a in actions),
            missing_victim=not any(a.action_type == ActionType.VICTIM_PROTECTION
                                   for a in standing),
            missing_contingency=not any(a.action_type == ActionType.CONTINGENCY
                                        for a in standing),
            to_carry=to_carry,
            carry_form=CarryForm(nominal=nominal) if can_change and to_carry else None,
            review_meeting=review,
            is_level_1=nominal.level == Level.ONE,
            is_rso=nominal.category == Category.ONE,
        )
        return context


class ActionMixin:
    """A page about one action of the case: 404 unless it is an action of this case that
    the user sees."""

    @cached_property
    def action(self) -> PlanAction:
        return get_object_or_404(selectors.action_page(self.request.user, self.nominal),
                                 pk=self.kwargs["action_pk"])

    def read_object(self):
        return self.action


class ActionAddView(PlanFormView):
    access_check = access.can_change_plan
    form_class = ActionForm
    title = "Add an action to the plan"
    intro = ("Each action is specific and measurable, owned by an agency and where possible "
             "a named person of it, with a date for completion (§8.3). The plan must hold "
             "actions to protect victims and a contingency plan (§7.2).")
    submit_label = "Add the action"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(nominal=self.nominal, instance=PlanAction(nominal=self.nominal))
        return kwargs

    def get_initial(self):
        """`?type=` the type of action, `?meeting=` the meeting agreeing it (else the case's
        latest meeting held so far)."""
        initial = {}
        kind = self.request.GET.get("type")
        if kind in ActionType.values:
            initial["action_type"] = kind
        meetings = case_meetings(self.nominal)
        asked = self.request.GET.get("meeting", "")
        chosen = meetings.filter(pk=asked).first() if asked.isdigit() else None
        chosen = chosen or meetings.filter(starts_at__lte=timezone.now()).first()
        if chosen is not None:
            initial["meeting"] = chosen.pk
        return initial

    def back_to(self) -> str | None:
        """`?next=`: a page of this site to return to (the minutes being drafted)."""
        target = self.request.GET.get("next", "")
        if target and url_has_allowed_host_and_scheme(
                target, allowed_hosts={self.request.get_host()},
                require_https=self.request.is_secure()):
            return target
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.back_to():
            context["cancel_url"] = self.back_to()
        return context

    def save(self, form):
        action = services.action_add(nominal=self.nominal, actor=self.request.user,
                                     **form.action_fields())
        self.saved = action
        return f"Action added to the plan, due by {_short(action.due_date)}."

    def get_success_url(self) -> str:
        return self.back_to() or plan_url(self.nominal, self.saved)


class ActionEditView(ActionMixin, PlanFormView):
    access_check = access.can_change_plan
    form_class = ActionEditForm
    title = "Change an action"
    submit_label = "Save the action"

    def post(self, request, *args, **kwargs):
        self.action  # noqa: B018 — 404 before anything else
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        return {"version": self.action.version,
                "opened": ActionEditForm.opened_token(self.action)}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A copy: validating the form must not change the action the page is about.
        kwargs.update(nominal=self.nominal, instance=copy.copy(self.action))
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action"] = self.action
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        opened = form.opened_action() or PlanAction.objects.get(pk=self.action.pk)
        try:
            try:
                action = services.action_update(action=opened, actor=self.request.user,
                                                version=data["version"],
                                                **form.action_fields())
            except StaleEdit as stale:
                if any(name in form.fields for name in stale.changed):
                    raise
                # Only its progress moved on (the owner logged some): nothing this form
                # shows was changed, so the change applies to the action as it now stands.
                action = services.action_update(action=stale.current, actor=self.request.user,
                                                version=stale.current.version,
                                                **form.action_fields())
        except StaleEdit as stale:
            return self.stale_response(form, stale, opened)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"The action is saved, due by {_short(action.due_date)}.")
        return redirect(plan_url(self.nominal, action))

    def stale_response(self, form, stale, opened: PlanAction):
        current = stale.current
        data, changes, conflicts = stale_merge(
            form, stale, opened, label=lambda name: field_label(PlanAction, name))
        data["opened"] = ActionEditForm.opened_token(current)
        fresh = ActionEditForm(data=data, instance=copy.copy(current), nominal=self.nominal)
        fresh.is_valid()
        mark_conflicts(fresh, conflicts)
        return self.render_to_response(self.get_context_data(form=fresh, stale_changes=changes))


class ActionDetailView(ActionMixin, access.NominalAccessMixin, TemplateView):
    """One action: what, who, when, the meeting that agreed it, what it was carried from or
    to, its progress log, and (for its owners) the form to log progress."""

    template_name = "plans/action_detail.html"

    def get(self, request, *args, **kwargs):
        return self.render_page(self.progress_form())

    def progress_form(self, data=None) -> ProgressForm | None:
        if not access.can_log_progress(self.request.user, self.action):
            return None
        return ProgressForm(data, action=self.action)

    def render_page(self, form, **extra):
        action = decorate(self.action, timezone.localdate())
        context = self.get_context_data(
            nominal=self.nominal, action=action, form=form,
            progress=list(action.progress.all()),
            carried_to=list(action.carried_to.all()),
            can_change_plan=access.can_change_plan(self.request.user, self.nominal),
            **extra)
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        form = self.progress_form(request.POST)
        if form is None:
            raise PermissionDenied
        if not form.is_valid():
            return self.render_page(form)
        data = form.cleaned_data
        try:
            entry = services.action_progress_log(
                action=self.action, actor=request.user, on=data["on"], note=data["note"],
                status=data["status"], version=data["version"])
        except StaleEdit as stale:
            return self.render_page(stale_form(form, stale), stale=stale_summary(stale))
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_page(form)
        messages.success(request, progress_message(entry))
        return redirect(reverse("plans:action_detail", args=[self.nominal.pk, self.action.pk]))


class CarryForwardView(access.NominalAccessMixin, View):
    """Carry the actions that cannot be delivered to a meeting (§8.3)."""

    denied_status = 403
    access_check = access.can_change_plan

    def post(self, request, *args, **kwargs):
        form = CarryForm(request.POST, nominal=self.nominal)
        if not form.is_valid():
            messages.error(request, "Choose the meeting to carry the actions to.")
            return redirect(plan_url(self.nominal))
        meeting = form.cleaned_data["meeting"]
        try:
            carried = services.actions_carry_forward(nominal=self.nominal, meeting=meeting,
                                                     actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(plan_url(self.nominal))
        if carried:
            count = len(carried)
            messages.success(request, f"{count} action{'s' if count != 1 else ''} carried to "
                                      f"the {meeting_label(meeting)}.")
        else:
            messages.info(request, "Nothing to carry to that meeting: the actions that cannot "
                                   "be delivered were agreed at it or after it, or are already "
                                   "carried.")
        return redirect(plan_url(self.nominal))
