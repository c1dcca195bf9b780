"""The retention review's outcome on one archived record (§13.3): the Co-ordinator keeps it
(why, and the next review date) or removes it for good, after a page that says what goes
and asks for the case reference to be typed. 404 outside the case, 403 to anyone else who
sees it (access.can_review_retention)."""

from __future__ import annotations

from django.urls import reverse

from jmappa import access

from .. import retention
from ..forms.retention import RetentionKeepForm, RetentionRemoveForm
from .base import CaseFormView, _short


class RetentionFormView(CaseFormView):
    access_check = access.for_any(access.can_review_retention)
    denied_status = 403

    def blocked(self) -> str:
        return "" if retention.is_due(self.nominal) else retention.NOT_DUE


class RetentionKeepView(RetentionFormView):
    form_class = RetentionKeepForm
    title = "Keep the record"
    intro = ("The record stays archived. Say why it is kept past its review and when it is "
             "reviewed again: the review alert clears until that date.")
    submit_label = "Keep the record"

    def save(self, form):
        review = retention.retention_keep(
            nominal=self.nominal, reason=form.cleaned_data["reason"],
            next_review_on=form.cleaned_data["next_review_on"], actor=self.request.user)
        return f"The record is kept. It is next reviewed on {_short(review.next_review_on)}."


class RetentionRemoveView(RetentionFormView):
    form_class = RetentionRemoveForm
    template_name = "cases/retention_remove.html"
    title = "Remove the record"
    intro = ("The record and everything recorded under it are deleted for good: this cannot "
             "be undone. The audit trail keeps who did what and when, but no longer what the "
             "records said, and one entry that says the record was removed.")
    submit_label = "Remove the record for good"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context["blocked"]:
            context["removed"] = retention.removal_of(self.nominal).counts()
        return context

    def save(self, form):
        kept = retention.nominal_remove(
            nominal=self.nominal, reason=form.cleaned_data["reason"],
            confirm_reference=form.cleaned_data["confirm_reference"], actor=self.request.user)
        return (f"Record {kept['reference']} is removed. The audit trail says so, without the "
                "person's details.")

    def get_success_url(self) -> str:
        return reverse("cases:retention")
