"""The case page's section on the Risk Management Plan: open and overdue actions, the few
due next, and for the cases they apply to, the next home visit (§14.9) and the next level 1
review (§9.2). A few fixed queries, whatever the size of the plan."""

from django import template
from django.utils import timezone

from cases.models import Category, Level
from jmappa import access
from plans import selectors

register = template.Library()

DUE_NEXT_SHOWN = 3


@register.inclusion_tag("plans/_case_section.html", takes_context=True)
def case_plan(context, nominal):
    user = context["request"].user
    # The case page already knows whether the user may change the record.
    can_change = context.get("can_change")
    if can_change is None:
        can_change = access.can_change_nominal(user, nominal)
    section = {
        "nominal": nominal,
        "summary": selectors.plan_summary(user, nominal, next_few=DUE_NEXT_SHOWN),
        "can_change_plan": access.can_manage_meetings(user) or can_change,
        "is_rso": nominal.category == Category.ONE,
        "is_level_1": nominal.level == Level.ONE,
        "today": context.get("today") or timezone.localdate(),
    }
    if section["is_rso"]:
        last = selectors.last_home_visit(nominal)
        section.update(last_visit=last,
                       next_visit=selectors.next_home_visit_due(nominal, last_visit=last),
                       can_record_visit=access.can_record_home_visit(user, nominal))
    if section["is_level_1"]:
        section.update(next_review=selectors.next_level1_review_due(nominal),
                       can_record_review=access.can_record_level1_review(user, nominal))
    return section
