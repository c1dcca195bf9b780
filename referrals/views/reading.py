"""The referral lists, the Co-ordinator's screening queue and the referral page."""

from __future__ import annotations

from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import ListView, TemplateView

from jmappa import access
from jmappa.core.views import AuditedListMixin

from .. import selectors
from ..forms import ReferralFilterForm
from ..models import (
    OPEN_STATUSES,
    SEX_OFFENDER_MESSAGE,
    ReferralStatus,
)
from .base import ReferralAccessMixin, _matches, countdown

# -- reading -----------------------------------------------------------------------------------


class ReferralListView(access.LoginRequiredMixin, AuditedListMixin, ListView):
    """The referrals the user may see: their agency's, and those sent about their cases."""

    template_name = "referrals/referral_list.html"
    context_object_name = "referrals"
    paginate_by = 50

    @cached_property
    def filter_form(self) -> ReferralFilterForm:
        return ReferralFilterForm(self.request.GET)

    def get_queryset(self):
        form = self.filter_form
        status = form.cleaned_data.get("status") if form.is_valid() else None
        return selectors.referral_list(self.request.user, status=status or None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter_form=self.filter_form, query_string=query.urlencode(),
                       can_refer=access.can_refer(self.request.user),
                       can_screen=access.can_screen_referrals(self.request.user))
        return context


class ScreeningQueueView(access.RoleRequiredMixin, AuditedListMixin, ListView):
    """The Co-ordinator's queue: waiting referrals, the meeting due first at the top."""

    access_check = access.can_screen_referrals
    template_name = "referrals/screening_queue.html"
    context_object_name = "referrals"
    paginate_by = 50

    def get_queryset(self):
        return selectors.screening_queue(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["rows"] = [(referral, countdown(referral, today))
                           for referral in context["referrals"]]
        context["today"] = today
        return context


class ReferralDetailView(ReferralAccessMixin, TemplateView):
    """The referral as Appendix A lays it out, with where it stands and its history."""

    template_name = "referrals/referral_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        referral, user = self.referral, self.request.user
        today = timezone.localdate()
        screening = access.can_screen_referrals(user) and referral.status in OPEN_STATUSES
        context.update(
            referral=referral, today=today, countdown=countdown(referral, today),
            can_edit=access.can_edit_referral(user, referral),
            can_view_victims=access.can_view_referral_victims(user, referral),
            case_visible=referral.nominal_id is not None
            and access.can_view_nominal(user, referral.nominal),
            screening=screening,
            sex_offender_message=SEX_OFFENDER_MESSAGE,
            # Accepted: the Co-ordinator or an Administrator arranges its meeting.
            can_arrange=referral.status == ReferralStatus.ACCEPTED
            and access.can_manage_meetings(user),
            meetings=list(referral.meetings.all()),
            # Level 1 confirmed: the referring agency arranges the discussion (§10.3).
            can_arrange_level_1=referral.status == ReferralStatus.LEVEL_1
            and referral.nominal_id is not None and referral.nominal.status != "archived"
            and access.can_arrange_level_1(user, referral.nominal),
        )
        if screening:
            context["matches"], context["hidden_match"] = _matches(user, referral)
        return context
