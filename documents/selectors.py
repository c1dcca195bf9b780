"""Reads of documents, shared by the pages and the API: already restricted by access.py
(a document belongs to its case: whoever reads the case reads its documents)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Document

_PARTS = ("uploaded_by", "meeting", "marked_by", "destroyed_by")


def documents_for(user) -> QuerySet[Document]:
    return Document.objects.visible_to(user).select_related("nominal", *_PARTS)


def documents_of_case(nominal) -> QuerySet[Document]:
    """The caller has checked that the user sees the case."""
    return nominal.documents.select_related(*_PARTS).order_by("-uploaded_at", "-id")


def documents_of_meeting(meeting) -> QuerySet[Document]:
    """The caller has checked that the user sees the meeting's case."""
    return meeting.documents.select_related(*_PARTS).order_by("-uploaded_at", "-id")
