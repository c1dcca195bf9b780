"""The Meetings section of the case page (cases.sections): the case's referrals to level 2
and 3, the meetings held and to come, when the next review is due (§10.11), the accepted
referrals still waiting for a meeting, and for the Co-ordinator and Administrators the way
to arrange one. A fixed number of queries, whatever the number of meetings."""

from __future__ import annotations

from django.views.generic import DetailView

from cases.views.base import CaseSectionMixin
from jmappa import access

from .. import selectors
from ..models import MeetingStatus


class CaseMeetingsView(access.NominalAccessMixin, CaseSectionMixin, DetailView):
    section = "meetings"
    url_kwarg = "pk"
    context_object_name = "nominal"
    template_name = "meetings/case_section.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nominal, user = self.object, self.request.user
        meetings = selectors.meetings_of_case(nominal)
        review = selectors.next_review(meetings)
        upcoming = [m for m in meetings if m.status == MeetingStatus.SCHEDULED]
        context.update(
            meetings=meetings,
            review=review,
            review_arranged=review is not None and any(
                m.starts_at > review[0].starts_at and m.level == review[0].level
                for m in upcoming),
            awaiting=selectors.referrals_awaiting_meeting(user, nominal),
            can_manage=access.can_manage_meetings(user) and nominal.status != "archived",
        )
        # The referring agency arranges a level 1 discussion (§10.3).
        context["can_arrange_level_1"] = (
            not context["can_manage"] and nominal.status != "archived"
            and nominal.level == "1" and access.can_arrange_level_1(user, nominal))
        return context
