"""The Plan section of the case page (cases.sections): the Risk Management Plan's open and
overdue actions and the few due next, and for the cases they apply to, the next home visit
(§14.9) and the next level 1 review (§9.2). A few fixed queries, whatever the size of the
plan; the whole plan is its own page (PlanView)."""

from __future__ import annotations

from django.views.generic import DetailView

from cases.models import Category, Level
from cases.views.base import CaseSectionMixin
from jmappa import access

from .. import selectors

DUE_NEXT_SHOWN = 3


class CasePlanView(access.NominalAccessMixin, CaseSectionMixin, DetailView):
    section = "plan"
    url_kwarg = "pk"
    context_object_name = "nominal"
    template_name = "plans/case_section.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nominal, user = self.object, self.request.user
        context.update(
            summary=selectors.plan_summary(user, nominal, next_few=DUE_NEXT_SHOWN),
            can_change_plan=(access.can_manage_meetings(user)
                             or access.can_change_nominal(user, nominal)),
            is_rso=nominal.category == Category.ONE,
            is_level_1=nominal.level == Level.ONE,
        )
        if context["is_rso"]:
            last = selectors.last_home_visit(nominal)
            context.update(last_visit=last,
                           next_visit=selectors.next_home_visit_due(nominal, last_visit=last),
                           can_record_visit=access.can_record_home_visit(user, nominal))
        if context["is_level_1"]:
            context.update(next_review=selectors.next_level1_review_due(nominal),
                           can_record_review=access.can_record_level1_review(user, nominal))
        return context
