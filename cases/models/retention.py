"""The retention review at the 100th anniversary of birth (§13.3): an archived record is kept
until then, then reviewed and, "in most cases", removed. A review that keeps the record says
why and when it is next reviewed; a removal leaves no row here (the record and everything
under it are gone: cases/retention.py), only the audit trail's entry that says so."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from jmappa.core.rules import AddMonths
from jmappa.core.validators import TEXT_MAX_LENGTH

from .nominal import CaseChild, Nominal

RETENTION_YEARS = 100
NEXT_REVIEW_MESSAGE = "The next review must be after the date of this review."


class RetentionReview(CaseChild):
    """The Co-ordinator's decision to keep an archived record past its review date."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE,
                                related_name="retention_reviews")
    reviewed_on = models.DateField()
    reason = models.TextField("why the record is kept", max_length=TEXT_MAX_LENGTH)
    next_review_on = models.DateField("next review")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="next_retention_review_after_this_one",
                violation_error_code="next_review_on",
                violation_error_message=NEXT_REVIEW_MESSAGE,
                condition=Q(next_review_on__gt=F("reviewed_on"))),
        ]

    def __str__(self) -> str:
        return f"Retention review of {self.reviewed_on:%-d %B %Y}: kept"


def retention_due():
    """When a nominal's record is (next) reviewed, in the database: the next review date the
    latest decision to keep it gave, else the 100th anniversary of birth (29 February's on
    28 February in a common year). The deadline sweep's rule and the review list share it."""
    latest = RetentionReview.objects.filter(nominal=OuterRef("pk")).order_by(
        "-reviewed_on", "-id").values("next_review_on")[:1]
    return Coalesce(Subquery(latest), AddMonths(F("date_of_birth"), RETENTION_YEARS * 12))
