"""The Board's governance documents (§14.11, §15.1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from jmappa.core import uploads
from jmappa.core.validators import TEXT_MAX_LENGTH


class GovernanceKind(models.TextChoices):
    """The Board's own documents (§14.11, §15.1)."""

    MEDIA_STRATEGY = "media_strategy", "Media strategy"
    COMMUNICATION_PLAN = "communication_plan", "Annual communication plan"
    DIVERSITY_PLAN = "diversity_plan", "Diversity plan"
    BUSINESS_PLAN = "business_plan", "Business plan"
    TRAINING_PLAN = "training_plan", "Training plan"
    PROTOCOL = "protocol", "Protocol"
    MEMORANDUM = "memorandum", "Memorandum of understanding"
    OTHER = "other", "Other"


def private_governance_name(instance, filename: str) -> str:
    return uploads.private_name("governance", filename)


class GovernanceDocument(models.Model):
    """A document the Board keeps and reviews (§14.11, §15.1): its owner, when it was last
    approved and when it is next reviewed; a review that falls due raises an alert to its
    owner (the Administrator where it has none)."""

    kind = models.CharField(max_length=20, choices=GovernanceKind.choices)
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField("approved on", null=True, blank=True)
    next_review = models.DateField("next review by", db_index=True)
    notes = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    file = models.FileField(upload_to=private_governance_name, max_length=200, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_content_type = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField("in force", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    # The trail says the copy changed, not where it is stored.
    audit_sensitive_fields = frozenset({"file"})

    class Meta:
        ordering = ["next_review", "title", "id"]
        constraints = [
            models.CheckConstraint(
                name="governance_review_after_approval",
                condition=Q(approved_on__isnull=True) | Q(next_review__gt=F("approved_on")),
                violation_error_code="next_review",
                violation_error_message="The next review comes after the approval."),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
