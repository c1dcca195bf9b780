from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

# Records that moved to another app keep the label they were written under on the rows
# of the trail written before the move (the trail is never rewritten): read through
# `current_object_type`.
RENAMED_OBJECT_TYPES = {
    "cases.planaction": "plans.planaction",
    "cases.actionprogress": "plans.actionprogress",
    "cases.level1review": "plans.level1review",
    "cases.homevisit": "plans.homevisit",
}


def current_object_type(object_type: str) -> str:
    """The label the record an event is about goes by today."""
    return RENAMED_OBJECT_TYPES.get(object_type, object_type)


class EveryField:
    """`audit_sensitive_fields = EVERY_FIELD`: every field of the model is sensitive, those
    added later too, and so is its text (`str`), which the trail names by its kind only."""

    def __contains__(self, name) -> bool:
        return True

    def __repr__(self) -> str:
        return "EVERY_FIELD"


EVERY_FIELD = EveryField()


class Channel(models.TextChoices):
    WEB = "web", "Web"
    API = "api", "API"
    JOB = "job", "Scheduled job"
    CLI = "cli", "Command line"


class Verb(models.TextChoices):
    """What was done to the record. (In this project an "action" is a plan's action; the
    column keeps its name `action` so the trail and its exports read as before.)"""

    VIEW = "view", "Viewed"
    LIST = "list", "Listed"
    DENY = "deny", "Denied"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    ARCHIVE = "archive", "Archived"
    REACTIVATE = "reactivate", "Re-activated"
    REMOVE = "remove", "Removed"
    EXPORT = "export", "Exported"
    PRINT = "print", "Printed"
    DISCLOSE = "disclose", "Disclosed"
    LOGIN = "login", "Signed in"
    LOGOUT = "logout", "Signed out"
    LOGIN_FAILED = "login_failed", "Failed sign-in"


class AuditEvent(models.Model):
    """One consultation or change of a record: who, when, through what, to what.

    Append-only: a database trigger (migration 0002) refuses UPDATE and DELETE,
    so not even a bug or a compromised admin account can rewrite history. One change
    only is let through (migration 0005): when a case is removed at its retention review
    (§13.3), `erase_removed_case` withholds what its entries said (the text, the values,
    the details), keeping who did what, when, through what, to which record.
    Actor name and agency are copied as text so the row reads true even after
    the user moves agency. The case is kept as a bare id, not a foreign key,
    so that the trail never blocks or cascades with the records it describes.
    """

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=True,
    )
    actor_username = models.CharField(max_length=150, blank=True)
    actor_agency = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    action = models.CharField(max_length=16, choices=Verb.choices, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    detail = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-occurred_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return (f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} "
                f"{self.object_repr}")

    def change_lines(self) -> list[str]:
        """The changes as readable lines: "field: old → new", or the field alone if sensitive."""
        lines = []
        for name, change in (self.changes or {}).items():
            if isinstance(change, dict):
                lines.append(f"{name}: {change.get('from')!s} → {change.get('to')!s}")
            else:
                lines.append(f"{name} {change}")
        return lines
