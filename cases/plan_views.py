"""The Risk Management Plan's pages: the plan of a case, an action and its progress log,
adding and changing actions, carrying those that cannot be delivered to a meeting (§8.3),
level 1 reviews (§9.2), home visits (§14.9), and "My actions", where owners log progress.

Thin views: access from jmappa/access.py (a case the user may not see answers 404, and so
does anything under it; a case they see but a change they may not make answers 403),
reads from cases/plan_selectors.py, writes through cases/plan_services.py. Every page about
a case writes one audit event when read; every write its own (the services do it).
"""

from __future__ import annotations

import copy
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, ListView, TemplateView, View

from jmappa import access
from jmappa.audit.services import audit_read
from jmappa.core.forms import (
    add_service_errors,
    field_label,
    mark_conflicts,
    stale_merge,
)
from jmappa.core.versioning import StaleEdit

from . import plan_selectors as selectors
from . import plan_services as services
from .models import (
    ActionStatus,
    ActionType,
    Category,
    Level,
    PlanAction,
)
from .plan_forms import (
    ActionEditForm,
    ActionForm,
    CarryForm,
    HomeVisitForm,
    Level1ReviewForm,
    MyActionsFilterForm,
    ProgressForm,
    case_meetings,
    meeting_label,
)
from .rules import HOME_VISIT_MONTHS, LEVEL1_REVIEW_MONTHS


def _short(day: date) -> str:
    return dateformat.format(day, "j M Y")


def plan_url(nominal, action: PlanAction | None = None) -> str:
    url = reverse("cases:plan", args=[nominal.pk])
    return f"{url}#action-{action.pk}" if action is not None else url


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def decorate(action: PlanAction, today: date) -> PlanAction:
    """What the lists show of an action's completion date: days overdue, or left."""
    action.is_overdue = action.is_overdue_on(today)
    action.days_overdue = (today - action.due_date).days if action.is_overdue else 0
    return action


class CasePermissionMixin:
    """Placed after NominalAccessMixin: the case is visible (else 404); `permission(user,
    nominal)` is needed on top of it (else 403: the user already knows the case exists)."""

    permission = None

    def dispatch(self, request, *args, **kwargs):
        check = type(self).permission
        if check is not None and not check(request.user, self.nominal):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PlanFormView(access.NominalAccessMixin, CasePermissionMixin, FormView):
    """A form about one case's plan, reviews or visits. `save(form)` calls the service and
    returns the success message; a ValidationError from it lands beside the fields."""

    template_name = "cases/plan/form_page.html"
    title = ""
    intro = ""
    submit_label = "Save"
    section = "Risk Management Plan"

    def get(self, request, *args, **kwargs):
        self.audit_read()
        return super().get(request, *args, **kwargs)

    def audit_read(self) -> None:
        audit_read(actor=self.request.user, obj=self.nominal, case_id=self.nominal.pk)

    def section_url(self) -> str:
        return plan_url(self.nominal)

    def get_title(self) -> str:
        return self.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(nominal=self.nominal, title=self.get_title(), intro=self.intro,
                       submit_label=self.submit_label, section=self.section,
                       section_url=self.section_url(), cancel_url=self.section_url())
        return context

    def save(self, form) -> tuple[str, object]:
        """Write through the service: (the success message, what was saved)."""
        raise NotImplementedError

    def success_url_for(self, saved) -> str:
        return self.section_url()

    def form_valid(self, form):
        try:
            message, saved = self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.success_url_for(saved))


# -- the plan ------------------------------------------------------------------------------------


class CasePageView(access.NominalAccessMixin, TemplateView):
    """A read-only page about one case: reading it is audited."""

    def get(self, request, *args, **kwargs):
        audit_read(actor=request.user, obj=self.nominal, case_id=self.nominal.pk)
        return super().get(request, *args, **kwargs)


class PlanView(CasePageView):
    """The case's Risk Management Plan: its actions by status, with their owners, dates,
    progress and the meetings that agreed them."""

    template_name = "cases/plan/plan.html"

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


class ActionAddView(PlanFormView):
    permission = staticmethod(access.can_change_plan)
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
        return f"Action added to the plan, due by {_short(action.due_date)}.", action

    def success_url_for(self, action) -> str:
        return self.back_to() or plan_url(self.nominal, action)


class ActionEditView(ActionMixin, PlanFormView):
    permission = staticmethod(access.can_change_plan)
    form_class = ActionEditForm
    title = "Change an action"
    submit_label = "Save the action"

    def get(self, request, *args, **kwargs):
        self.action  # noqa: B018 — 404 before anything else
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.action  # noqa: B018 — 404 before anything else
        return super().post(request, *args, **kwargs)

    def audit_read(self):
        audit_read(actor=self.request.user, obj=self.action, case_id=self.nominal.pk)

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


class ActionDetailView(access.NominalAccessMixin, ActionMixin, TemplateView):
    """One action: what, who, when, the meeting that agreed it, what it was carried from or
    to, its progress log, and (for its owners) the form to log progress."""

    template_name = "cases/plan/action_detail.html"

    def get(self, request, *args, **kwargs):
        audit_read(actor=request.user, obj=self.action, case_id=self.nominal.pk)
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
        return redirect(reverse("cases:action_detail", args=[self.nominal.pk, self.action.pk]))


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


class CarryForwardView(access.NominalAccessMixin, CasePermissionMixin, View):
    """Carry the actions that cannot be delivered to a meeting (§8.3)."""

    permission = staticmethod(access.can_change_plan)

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


# -- level 1 reviews (§9.2) ------------------------------------------------------------------------


def level1_context(user, nominal) -> dict:
    return {
        "reviews": list(selectors.level1_reviews_of(user, nominal)),
        "next_due": selectors.next_level1_review_due(nominal),
        "review_months": LEVEL1_REVIEW_MONTHS,
        "is_level_1": nominal.level == Level.ONE,
        "today": timezone.localdate(),
    }


class Level1ReviewListView(CasePageView):
    template_name = "cases/plan/level1_reviews.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(nominal=self.nominal, title="Level 1 reviews",
                       can_record=access.can_record_level1_review(user, self.nominal),
                       **level1_context(user, self.nominal))
        return context


class Level1ReviewAddView(PlanFormView):
    permission = staticmethod(access.can_record_level1_review)
    form_class = Level1ReviewForm
    template_name = "cases/plan/level1_review_form.html"
    title = "Record a level 1 review"
    intro = ("The lead agency reviews its level 1 cases: the new information, the plan, and "
             "whether the case now needs a referral to a level 2 or 3 meeting.")
    submit_label = "Record the review"
    section = "Level 1 reviews"

    def section_url(self) -> str:
        return reverse("cases:level1_reviews", args=[self.nominal.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(level1_context(self.request.user, self.nominal))
        if self.nominal.level != Level.ONE:
            context["blocked"] = services.LEVEL1_ONLY
        return context

    def save(self, form):
        review = services.level1_review_record(nominal=self.nominal, actor=self.request.user,
                                               **form.cleaned_data)
        due = selectors.next_level1_review_due(self.nominal)
        message = f"Level 1 review recorded. The next is due by {_short(due)}."
        if review.referral_needed:
            message += (" The case now needs a referral: refer it to the JMAPPA Co-ordinator "
                        "from the case page.")
        return message, review


# -- home visits (§14.9) --------------------------------------------------------------------------


def home_visit_context(user, nominal) -> dict:
    visits = list(selectors.home_visits_of(user, nominal))
    last = max((v.visited_on for v in visits), default=None)
    return {
        "visits": visits,
        "next_due": selectors.next_home_visit_due(nominal, last_visit=last),
        "regime": [(level.label, HOME_VISIT_MONTHS[level], level == nominal.rosh)
                   for level in HOME_VISIT_MONTHS],
        "is_rso": nominal.category == Category.ONE,
        "can_change": access.can_change_nominal(user, nominal),
        "today": timezone.localdate(),
    }


class HomeVisitListView(CasePageView):
    template_name = "cases/plan/home_visits.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(nominal=self.nominal, title="Home visits",
                       can_record=access.can_record_home_visit(user, self.nominal),
                       **home_visit_context(user, self.nominal))
        return context


class HomeVisitAddView(PlanFormView):
    permission = staticmethod(access.can_record_home_visit)
    form_class = HomeVisitForm
    template_name = "cases/plan/home_visit_form.html"
    title = "Log a home visit"
    intro = ("Visits to a Registered Sex Offender's home, announced or not, check their "
             "lifestyle and how well the plan's controls work (§14.8, §14.9).")
    submit_label = "Log the visit"
    section = "Home visits"

    def section_url(self) -> str:
        return reverse("cases:home_visits", args=[self.nominal.pk])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(home_visit_context(self.request.user, self.nominal))
        if self.nominal.category != Category.ONE:
            context["blocked"] = services.HOME_VISITS_RSO_ONLY
        return context

    def save(self, form):
        visit = services.home_visit_record(nominal=self.nominal, actor=self.request.user,
                                           **form.cleaned_data)
        due = selectors.next_home_visit_due(self.nominal)
        message = f"Home visit of {_short(visit.visited_on)} logged."
        if due:
            message += f" The next is due by {_short(due)}."
        return message, visit


# -- "My actions" ----------------------------------------------------------------------------------


class MyActionsView(access.LoginRequiredMixin, ListView):
    """The open actions the user or their agency owns, across their cases, overdue first,
    each with a quick progress entry."""

    template_name = "actions/my_actions.html"
    context_object_name = "actions"
    paginate_by = 50
    # A progress entry posted without JavaScript that came back with errors:
    # {action pk: {"form": the form as typed, "stale": what changed meanwhile}}.
    posted: dict[int, dict] = {}

    @cached_property
    def filter_form(self) -> MyActionsFilterForm:
        return MyActionsFilterForm(self.request.GET,
                                   cases=selectors.my_action_cases(self.request.user))

    def get_queryset(self):
        form = self.filter_form
        if not form.is_valid():
            # Never show the whole list as if it were the filtered one.
            return PlanAction.objects.none()
        return selectors.my_actions(self.request.user, filters=form.selector_filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        query = self.request.GET.copy()
        query.pop("page", None)
        rows = []
        for action in context["actions"]:
            decorate(action, today)
            row = {"action": action, "form": ProgressForm(action=action,
                                                          prefix=row_prefix(action))}
            row.update(self.posted.get(action.pk, {}))
            rows.append(row)
        context.update(
            rows=rows, today=today, filter_form=self.filter_form,
            is_filtered=not self.filter_form.is_valid() or self.filter_form.is_filtered(),
            query_string=query.urlencode(), here=self.request.GET.urlencode(),
            overdue_count=self.object_list.filter(due_date__lt=today).count()
            if context["paginator"].count else 0,
            not_saved=[posted["form"] for pk, posted in self.posted.items()
                       if pk not in {row["action"].pk for row in rows}],
        )
        return context


def row_prefix(action: PlanAction) -> str:
    return f"a{action.pk}"


class ProgressRowView(MyActionsView):
    """A progress entry from a row of "My actions". With htmx, the answer is that row alone
    (saved, or with the errors beside what was typed); without, back to the list."""

    http_method_names = ["post"]

    def handle_no_permission(self):
        if is_htmx(self.request) and not self.request.user.is_authenticated:
            # The session ended: htmx takes the whole page to the sign-in form, rather than
            # putting the sign-in form inside the row.
            login = f"{resolve_url(settings.LOGIN_URL)}?next={reverse('actions:mine')}"
            return HttpResponse(status=204, headers={"HX-Redirect": login})
        return super().handle_no_permission()

    def post(self, request, *args, **kwargs):
        try:
            action = selectors.my_action(request.user, kwargs["pk"])
        except PlanAction.DoesNotExist:
            raise Http404 from None
        if not access.can_log_progress(request.user, action):
            raise PermissionDenied
        form = ProgressForm(request.POST, action=action, prefix=row_prefix(action))
        entry, stale = None, None
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.action_progress_log(
                    action=action, actor=request.user, on=data["on"], note=data["note"],
                    status=data["status"], version=data["version"])
            except StaleEdit as caught:
                stale = stale_summary(caught)
                form = stale_form(form, caught)
            except ValidationError as error:
                add_service_errors(form, error)
        if entry is not None and not is_htmx(request):
            messages.success(request, f"{progress_message(entry)} ({action.nominal.reference}"
                                      f": {action.description[:60]})")
            return redirect(self.back_url())
        if entry is not None:
            action = decorate(selectors.my_action(request.user, action.pk),
                              timezone.localdate())
            form = ProgressForm(action=action, prefix=row_prefix(action))
        if is_htmx(request):
            decorate(action, timezone.localdate())
            row = {"action": action, "form": form, "saved": entry, "stale": stale}
            return render(request, "actions/_row.html", {
                "row": row, "here": request.GET.urlencode(), "today": timezone.localdate()})
        self.posted = {action.pk: {"form": form, "stale": stale}}
        self.object_list = self.get_queryset()
        context = self.get_context_data()
        context.update(posted_action=action, posted_stale=stale)
        return self.render_to_response(context)

    def back_url(self) -> str:
        query = self.request.GET.urlencode()
        return reverse("actions:mine") + (f"?{query}" if query else "")
