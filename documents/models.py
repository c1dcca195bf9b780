"""Documents attached to a case or to one of its meetings: reports for the meeting, the
offender's written information (§3.6), and others. The file is kept privately under
MEDIA_ROOT and reached only through the download view, which checks access and audits it.

A meeting's paper that is not to be kept (Appendix C: "JMAPPA will destroy any copies
left") is marked for destruction at the meeting; once the meeting's minutes are final (the
copy has served the minutes' preparation) the daily sweep destroys it: the file is deleted,
and the record stays, saying that it was destroyed, when, by whom and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import CaseChild, Nominal
from jmappa.core import uploads
from jmappa.core.validators import TEXT_MAX_LENGTH


class DocumentKind(models.TextChoices):
    REPORT = "report", "Report for the meeting"
    OFFENDER_INFORMATION = "offender_information", "The offender's written information"
    OTHER = "other", "Other"


def private_name(instance, filename: str) -> str:
    return uploads.private_name("documents", filename)


class Document(CaseChild):
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="documents")
    meeting = models.ForeignKey("meetings.Meeting", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=24, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=private_name, max_length=200, blank=True)
    original_name = models.CharField("file name", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("size in bytes")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    # Appendix C: not to be kept after the meeting.
    destroy_after_meeting = models.BooleanField(default=False)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(null=True, blank=True)
    # Destroyed: the file is gone, this record says so. No one named: the daily sweep.
    destroyed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    destroyed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    destroyed_reason = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)

    # A title or a file name may name people: the trail says a document changed, not what
    # it is called.
    audit_sensitive_fields = frozenset({"title", "original_name", "file"})

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["nominal", "-uploaded_at"], name="documents_newest"),
                   models.Index(fields=["meeting", "-uploaded_at"], name="documents_meeting")]
        constraints = [
            models.CheckConstraint(
                condition=Q(destroy_after_meeting=False) | Q(meeting__isnull=False),
                name="documents_destroyed_after_a_meeting_only",
                violation_error_code="destroy_after_meeting",
                violation_error_message="Only a meeting's paper is destroyed after the "
                                        "meeting: choose the meeting it is for."),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (document {self.pk})"

    @property
    def is_destroyed(self) -> bool:
        return self.destroyed_at is not None
