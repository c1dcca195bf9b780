""""My actions": the open actions a practitioner or their agency owns, and the quick
progress entry of each row.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import ListView

from jmappa import access
from jmappa.core.forms import (
    add_service_errors,
)
from jmappa.core.versioning import StaleEdit
from jmappa.core.views import AuditedListMixin

from .. import selectors, services
from ..forms import (
    MyActionsFilterForm,
    ProgressForm,
)
from ..models import PlanAction
from .base import (
    decorate,
    is_htmx,
    progress_message,
    stale_form,
    stale_summary,
)

# -- "My actions" ----------------------------------------------------------------------------------


class MyActionsView(access.LoginRequiredMixin, AuditedListMixin, ListView):
    """The open actions the user or their agency owns, across their cases, overdue first,
    each with a quick progress entry."""

    template_name = "plans/actions/my_actions.html"
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
            login = f"{resolve_url(settings.LOGIN_URL)}?next={reverse('plans:mine')}"
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
            return render(request, "plans/actions/_row.html", {
                "row": row, "here": request.GET.urlencode(), "today": timezone.localdate()})
        self.posted = {action.pk: {"form": form, "stale": stale}}
        self.object_list = self.get_queryset()
        context = self.get_context_data()
        context.update(posted_action=action, posted_stale=stale)
        return self.render_to_response(context)

    def back_url(self) -> str:
        query = self.request.GET.urlencode()
        return reverse("plans:mine") + (f"?{query}" if query else "")
