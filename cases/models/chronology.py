"""The case's chronology: the contact log kept by the case team, one dated entry per contact
with the offender or about them (a home or office visit, a telephone call, information
received), newest first."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jmappa.core.validators import TEXT_MAX_LENGTH

from .nominal import CaseChild, Nominal


class ContactKind(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    OFFICE_VISIT = "office_visit", "Office visit"
    TELEPHONE = "telephone", "Telephone"
    INFORMATION = "information", "Information received"
    OTHER = "other", "Other"


class ContactEntry(CaseChild):
    """One contact: when it happened, what kind, who had it, and what was learned."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="contacts")
    occurred_at = models.DateTimeField("date and time of the contact")
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    who = models.CharField("who had the contact", max_length=300)
    summary = models.TextField(max_length=TEXT_MAX_LENGTH)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    # What was said about the offender stays out of the audit trail: the trail says that an
    # entry was written, by whom and when, not what it says.
    audit_sensitive_fields = frozenset({"summary"})

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = "chronology entry"
        verbose_name_plural = "chronology entries"
        indexes = [models.Index(fields=["nominal", "-occurred_at", "-id"],
                                name="cases_contact_newest")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {timezone.localtime(self.occurred_at):%d %b %Y}"
