"""The case page's section on its JMAPP meetings: the meetings held and to come, when the
next review is due (§10.11), the accepted referrals still waiting for a meeting, and for the
Co-ordinator and Administrators the way to arrange one. Three queries, whatever the number
of meetings."""

from django import template
from django.utils import timezone

from jmappa import access
from meetings import selectors
from meetings.models import MeetingStatus

register = template.Library()


@register.inclusion_tag("meetings/case_meetings.html", takes_context=True)
def case_meetings(context, nominal):
    user = context["request"].user
    today = context.get("today") or timezone.localdate()
    meetings = selectors.meetings_of_case(nominal)
    review = selectors.next_review(meetings)
    upcoming = [m for m in meetings if m.status == MeetingStatus.SCHEDULED]
    review_arranged = review is not None and any(
        m.starts_at > review[0].starts_at and m.level == review[0].level for m in upcoming)
    can_manage = access.can_manage_meetings(user)
    return {
        "nominal": nominal,
        "meetings": meetings,
        "review": review,
        "review_arranged": review_arranged,
        "awaiting": selectors.referrals_awaiting_meeting(user, nominal),
        "can_manage": can_manage and nominal.status != "archived",
        # The referring agency arranges a level 1 discussion (§10.3).
        "can_arrange_level_1": not can_manage and nominal.status != "archived"
        and nominal.level == "1" and access.can_arrange_level_1(user, nominal),
        "today": today,
    }
