"""The lead agency's level 1 reviews of a case (§9.2).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from cases.models import Level
from jmappa import access

from .. import selectors, services
from ..forms import (
    Level1ReviewForm,
)
from ..rules import LEVEL1_REVIEW_WEEKS
from .base import (
    CasePageView,
    PlanFormView,
    _short,
)

# -- level 1 reviews (§9.2) ------------------------------------------------------------------------


def level1_context(user, nominal) -> dict:
    return {
        "reviews": list(selectors.level1_reviews_of(user, nominal)),
        "next_due": selectors.next_level1_review_due(nominal),
        "review_weeks": LEVEL1_REVIEW_WEEKS,
        "is_level_1": nominal.level == Level.ONE,
        "today": timezone.localdate(),
    }


class Level1ReviewListView(CasePageView):
    template_name = "plans/level1_reviews.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(nominal=self.nominal, title="Level 1 reviews",
                       can_record=access.can_record_level1_review(user, self.nominal),
                       **level1_context(user, self.nominal))
        return context


class Level1ReviewAddView(PlanFormView):
    access_check = access.can_record_level1_review
    form_class = Level1ReviewForm
    template_name = "plans/level1_review_form.html"
    title = "Record a level 1 review"
    intro = ("The lead agency reviews its level 1 cases: the new information, the plan, and "
             "whether the case now needs a referral to a level 2 or 3 meeting.")
    submit_label = "Record the review"
    section = "Level 1 reviews"

    def section_url(self) -> str:
        return reverse("plans:level1_reviews", args=[self.nominal.pk])

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
        self.saved = review
        return message
