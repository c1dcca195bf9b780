"""Every write to a document: one transaction each, with its audit event."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jmappa import access
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_create, audit_log
from jmappa.core.uploads import check_upload
from meetings.models import MinutesStatus

from .models import Document, DocumentKind

ONLY_A_MEETINGS_PAPER = ("Only a meeting's paper is destroyed after the meeting: choose the "
                         "meeting it is for.")
WRONG_MEETING = "Choose one of this case's meetings."
MINUTES_FINAL = ("The minutes of this meeting are final: a paper for it is no longer kept "
                 "for destruction after it.")
DESTROYED_AFTER_MINUTES = ("Not to be kept after the meeting (Appendix C): destroyed once the "
                           "meeting's minutes were final.")


def _minutes_final(meeting) -> bool:
    return meeting.minutes.filter(
        status__in=[MinutesStatus.FINAL, MinutesStatus.SUPERSEDED]).exists()


@transaction.atomic
def document_upload(*, nominal, actor, upload, kind: str, title: str, meeting=None,
                    destroy_after_meeting: bool = False) -> Document:
    """A document attached to a case, or to one of its meetings, by the case team, the
    Co-ordinator or an Administrator. The offender's written information for a meeting is
    brought by their case manager (§3.6) or entered by the Administrator."""
    if not access.can_add_document(actor, nominal):
        raise PermissionDenied("The case team, the Co-ordinator and the Administrators "
                               "attach documents.")
    if destroy_after_meeting and meeting is None:
        raise ValidationError({"destroy_after_meeting": ONLY_A_MEETINGS_PAPER})
    if meeting is not None and meeting.nominal_id != nominal.pk:
        raise ValidationError({"meeting": WRONG_MEETING})
    if (kind == DocumentKind.OFFENDER_INFORMATION and meeting is not None
            and not access.can_attach_offender_information(actor, meeting)):
        raise ValidationError({"kind": "The offender's written information is brought by "
                                       "their case manager (§3.6) or the Administrator."})
    if destroy_after_meeting and meeting is not None and _minutes_final(meeting):
        raise ValidationError({"destroy_after_meeting": MINUTES_FINAL})
    try:
        content_type = check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"upload": error.messages}) from None
    now = timezone.now()
    document = Document(
        nominal=nominal, meeting=meeting, kind=kind, title=title.strip(),
        original_name=PurePath(upload.name).name[:255], content_type=content_type,
        size=upload.size, uploaded_by=actor, destroy_after_meeting=destroy_after_meeting,
        marked_by=actor if destroy_after_meeting else None,
        marked_at=now if destroy_after_meeting else None)
    document.full_clean(exclude=["file"])
    document.file.save(upload.name, upload, save=False)
    stored = document.file.name
    try:
        document.save()
        audit_create(actor=actor, obj=document, case_id=nominal.pk)
    except Exception:
        # A refused record leaves no file behind.
        document.file.storage.delete(stored)
        raise
    return document


@transaction.atomic
def document_mark_for_destruction(*, document: Document, actor, destroy: bool) -> Document:
    """Settle at the meeting whether its paper is kept or destroyed after it (Appendix C)."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not access.can_mark_for_destruction(actor, document):
        raise PermissionDenied("The meeting's secretariat, or who brought the paper, decides.")
    if document.is_destroyed:
        raise ValidationError("This document has already been destroyed.")
    if destroy and _minutes_final(document.meeting):
        raise ValidationError({"destroy_after_meeting": MINUTES_FINAL})
    if document.destroy_after_meeting == destroy:
        return document
    document.destroy_after_meeting = destroy
    document.marked_by = actor if destroy else None
    document.marked_at = timezone.now() if destroy else None
    document.save(update_fields=["destroy_after_meeting", "marked_by", "marked_at"])
    audit_log(actor=actor, action=Verb.CHANGE, obj=document, case_id=document.nominal_id,
              changes={"destroy_after_meeting": {"from": not destroy, "to": destroy}},
              detail="Marked for destruction after the meeting" if destroy
              else "To be kept after the meeting")
    return document


@transaction.atomic
def document_destroy(*, document: Document, actor, reason: str) -> Document:
    """The file deleted; the record kept, saying when, by whom (no one: the daily sweep)
    and why. Destroying it twice changes nothing."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.is_destroyed:
        return document
    stored = document.file.name
    document.file = ""
    document.destroyed_at = timezone.now()
    document.destroyed_by = actor
    document.destroyed_reason = reason
    document.save(update_fields=["file", "destroyed_at", "destroyed_by", "destroyed_reason"])
    audit_log(actor=actor, action=Verb.CHANGE, obj=document, case_id=document.nominal_id,
              changes={"destroyed": {"from": False, "to": True}}, detail=reason,
              username="" if actor is not None else "daily sweep")
    if stored:
        storage = Document._meta.get_field("file").storage
        # Deleted only once the record of it is committed: a rollback keeps both.
        transaction.on_commit(lambda: storage.delete(stored))
    return document


def destroy_due() -> int:
    """Every paper marked for destruction whose meeting's minutes are final, destroyed (the
    daily sweep's step; safe to run twice). How many were destroyed."""
    due = Document.objects.filter(
        destroy_after_meeting=True, destroyed_at__isnull=True,
        meeting__minutes__status__in=[MinutesStatus.FINAL, MinutesStatus.SUPERSEDED],
    ).distinct().values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        document_destroy(document=Document(pk=pk), actor=None,
                         reason=DESTROYED_AFTER_MINUTES)
        count += 1
    return count
