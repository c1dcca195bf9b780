from django.views.generic import DetailView

from jmappa import access

from . import selectors


class ReferralDetailView(access.LoginRequiredMixin, DetailView):
    template_name = "referrals/referral_detail.html"

    def get_queryset(self):
        return selectors.referral_page(self.request.user)
