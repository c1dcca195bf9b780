"""The Co-ordinator's screening decisions: accept, reject, ask for more information,
confirm level 1 management."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from cases.models import Category
from jmappa import access
from jmappa.core.dates import long_day
from jmappa.core.views import ServiceFormView

from .. import services
from ..forms import (
    AcceptForm,
    ConfirmLevel1Form,
    RejectForm,
    RequestInfoForm,
)
from ..models import (
    OPEN_STATUSES,
    SEX_OFFENDER_MESSAGE,
    Referral,
    ReferralStatus,
)
from ..services import CONFIRMED_CATEGORIES
from .base import ReferralAccessMixin, _matches, countdown

# -- the Co-ordinator's screening decisions -----------------------------------------------------


class DecisionView(ReferralAccessMixin, ServiceFormView):
    """One screening decision: the referral must be visible (else 404), and the user the
    Co-ordinator (else 403). After deciding: back to the queue with a message."""

    template_name = "referrals/decision_form.html"
    submit_label = ""
    submit_class = ""

    access_check = access.for_any(access.can_screen_referrals)
    denied_status = 403

    def blocked(self) -> str:
        """Why this decision cannot be taken on this referral, if it cannot."""
        referral = self.referral
        if referral.status not in OPEN_STATUSES:
            return (f"This referral is {referral.get_status_display().lower()}: it has "
                    "already been screened.")
        return ""

    @cached_property
    def register_check(self) -> tuple[list[dict], bool]:
        if "record" not in self.form_class.base_fields:
            return [], False
        return _matches(self.request.user, self.referral)

    @property
    def matches(self) -> list[dict]:
        return self.register_check[0]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(referral=self.referral, matches=[m["nominal"] for m in self.matches],
                      hidden_match=self.register_check[1])
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(referral=self.referral,
                       matches=self.matches, hidden_match=self.register_check[1],
                       today=today,
                       countdown=countdown(self.referral, today),
                       record_choice="record" in context["form"].fields)
        return context

    def decide(self, form) -> str:
        raise NotImplementedError

    def save(self, form) -> str:
        return self.decide(form)

    def get_success_url(self) -> str:
        return reverse("referrals:screening")


class SexOffenderBlockMixin:
    """Rejecting, or confirming level 1 management, is not open for a sex offender."""

    def blocked(self) -> str:
        if self.referral.status in OPEN_STATUSES and self.referral.is_sex_offender:
            return SEX_OFFENDER_MESSAGE
        return super().blocked()


def _record_words(referral: Referral) -> str:
    nominal = referral.nominal
    return f"{nominal} ({nominal.reference})" if nominal else "the record"


class AcceptView(DecisionView):
    form_class = AcceptForm
    template_name = "referrals/decision_accept.html"
    title = "Accept for a level 2 or 3 meeting"
    intro = ("The case meets the threshold: a level 2 or 3 meeting is arranged by the "
             "meeting-due date. The offender's record is linked, or created, at the level "
             "and category agreed, and the referrer joins the case team.")
    submit_label = "Accept the referral"

    def get_initial(self):
        referral = self.referral
        initial = {"level": referral.level_proposed}
        if referral.category_proposed in CONFIRMED_CATEGORIES:
            initial["category"] = referral.category_proposed
        return initial

    def decide(self, form):
        referral = services.referral_accept(referral=self.referral, actor=self.request.user,
                                            **form.decision())
        return (f"{referral.reference} accepted for a {referral.get_level_agreed_display()} "
                f"meeting, due by {long_day(referral.meeting_due_by)}; linked to "
                f"{_record_words(referral)}. The referrer is told. Now arrange its meeting.")

    def get_success_url(self) -> str:
        # Straight on to arranging the meeting the referral was accepted for.
        return reverse("meetings:schedule_referral", args=[self.referral.pk])


class RejectView(SexOffenderBlockMixin, DecisionView):
    form_class = RejectForm
    title = "Reject the referral"
    intro = ("The case does not meet the eligibility criteria. The rejection is recorded and "
             "the referring agency is told why (§3.5).")
    submit_label = "Reject the referral"
    submit_class = "govuk-button--warning"

    def decide(self, form):
        referral = services.referral_reject(referral=self.referral, actor=self.request.user,
                                            reason=form.cleaned_data["reason"])
        return f"{referral.reference} rejected. The referring agency is told why."


class RequestInfoView(DecisionView):
    form_class = RequestInfoForm
    title = "Ask the referrer for more information"
    intro = ("The referral goes back to the referrer, who can change it and send it again. "
             "The meeting-due date keeps running from the day it was first received.")
    submit_label = "Send the request"

    def blocked(self) -> str:
        if self.referral.status == ReferralStatus.INFO_REQUESTED:
            return ("More information has already been asked for: the referral is with the "
                    "referrer until they send it again.")
        return super().blocked()

    def decide(self, form):
        referral = services.referral_request_info(referral=self.referral,
                                                  actor=self.request.user,
                                                  note=form.cleaned_data["note"])
        return f"{referral.reference} is back with the referrer, with your request."


class ConfirmLevel1View(SexOffenderBlockMixin, DecisionView):
    form_class = ConfirmLevel1Form
    title = "Confirm level 1 management"
    intro = ("No JMAPP meeting is needed: the lead agency manages the case at level 1 and "
             "arranges a multi-agency case management discussion (§10.3).")
    submit_label = "Confirm level 1 management"

    def get_initial(self):
        if self.referral.category_proposed in (Category.TWO, Category.PDP):
            return {"category": self.referral.category_proposed}
        return {}

    def decide(self, form):
        referral = services.referral_confirm_level_1(referral=self.referral,
                                                     actor=self.request.user,
                                                     **form.decision())
        return (f"{referral.reference}: level 1 management confirmed; linked to "
                f"{_record_words(referral)}. The lead agency is told.")
