"""Home visits to a Registered Sex Offender (§14.9): a case's visits, logging one, and the
schedule across the user's caseload.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import ListView

from cases.models import Category
from jmappa import access
from jmappa.core.views import AuditedListMixin

from .. import selectors, services
from ..forms import (
    HomeVisitForm,
    HomeVisitScheduleFilterForm,
)
from ..rules import HOME_VISIT_MONTHS
from .base import (
    CasePageView,
    PlanFormView,
    _short,
)

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
    template_name = "plans/home_visits.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(nominal=self.nominal, title="Home visits",
                       can_record=access.can_record_home_visit(user, self.nominal),
                       **home_visit_context(user, self.nominal))
        return context


class HomeVisitAddView(PlanFormView):
    access_check = access.can_record_home_visit
    form_class = HomeVisitForm
    template_name = "plans/home_visit_form.html"
    title = "Log a home visit"
    intro = ("Visits to a Registered Sex Offender's home, announced or not, check their "
             "lifestyle and how well the plan's controls work (§14.8, §14.9).")
    submit_label = "Log the visit"
    section = "Home visits"

    def section_url(self) -> str:
        return reverse("plans:home_visits", args=[self.nominal.pk])

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
        self.saved = visit
        return message


class HomeVisitScheduleView(access.LoginRequiredMixin, AuditedListMixin, ListView):
    """The home visits due and overdue across the user's caseload (§14.9): by default the
    cases where they are the ViSOR or case manager, overdue or due within a month."""

    template_name = "plans/home_visit_schedule.html"
    context_object_name = "nominals"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.sees_alerts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def filter_form(self) -> HomeVisitScheduleFilterForm:
        return HomeVisitScheduleFilterForm(self.request.GET)

    @cached_property
    def today(self):
        return timezone.localdate()

    def get_queryset(self):
        return selectors.home_visit_schedule(self.request.user, today=self.today,
                                             **self.filter_form.filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter_form=self.filter_form, today=self.today,
                       query_string=query.urlencode(),
                       regime=[(level.label, months) for level, months
                               in HOME_VISIT_MONTHS.items()])
        return context
