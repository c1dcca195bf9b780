"""Documents for partner agencies' systems: /api/v1/documents/.

Whoever sees a case reads its documents' details and downloads their files (each download
audited, as an attachment never stored); a document of a case the client may not see
answers 404, as if it did not exist.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer

from cases.api import VisibleCaseField
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_log
from jmappa.core.api import NOT_FOUND, PersonSerializer, ScopedViewSet, list_and_retrieve

from . import selectors
from .models import Document, DocumentKind
from .views import attachment


class DocumentSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="nominal_id", read_only=True)
    case_reference = serializers.CharField(source="nominal.reference", read_only=True)
    meeting = serializers.IntegerField(source="meeting_id", read_only=True, allow_null=True)
    uploaded_by = PersonSerializer(read_only=True)
    destroyed = serializers.BooleanField(source="is_destroyed", read_only=True)
    destroyed_by = PersonSerializer(read_only=True, allow_null=True,
                                    help_text="Null when the daily sweep destroyed it.")

    class Meta:
        model = Document
        fields = ["id", "case", "case_reference", "meeting", "kind", "title", "original_name",
                  "content_type", "size", "uploaded_by", "uploaded_at",
                  "destroy_after_meeting", "destroyed", "destroyed_at", "destroyed_by",
                  "destroyed_reason"]
        read_only_fields = fields


class DocumentFilterSerializer(serializers.Serializer):
    case = VisibleCaseField(required=False, help_text="Only the documents of this case (id).")
    meeting = serializers.IntegerField(required=False, min_value=1,
                                       help_text="Only the documents of this meeting (id).",
                                       error_messages={"invalid": "Give the meeting's id, a "
                                                                  "number.",
                                                       "min_value": "Give the meeting's id, "
                                                                    "a number."})
    kind = serializers.ChoiceField(choices=DocumentKind.choices, required=False,
                                   help_text="Only documents of this kind.")


class FileRenderer(BaseRenderer):
    """The file as it was uploaded, whatever its type, as an attachment."""

    media_type = "application/octet-stream"
    format = "file"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


@list_and_retrieve(
    DocumentSerializer, listed="The documents of the cases you may see, newest first",
    parameters=[DocumentFilterSerializer], one="One document's details (the read is audited)")
class DocumentViewSet(ScopedViewSet):
    """Documents attached to cases and meetings: reports for meetings, the offender's written
    information, others. A destroyed document (Appendix C) keeps its record, not its file."""

    model = Document
    selector = selectors.documents_for
    case_field = "nominal_id"
    serializer_class = DocumentSerializer

    def filtered(self):
        filters = DocumentFilterSerializer(data=self.request.query_params,
                                           context=self.get_serializer_context())
        filters.is_valid(raise_exception=True)
        documents = self.get_queryset()
        wanted = filters.validated_data
        if "case" in wanted:
            documents = documents.filter(nominal=wanted["case"])
        if "meeting" in wanted:
            documents = documents.filter(meeting_id=wanted["meeting"])
        if "kind" in wanted:
            documents = documents.filter(kind=wanted["kind"])
        return documents

    @extend_schema(
        summary="Download a document's file (the download is audited)",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY,
                   (404, "application/json"): NOT_FOUND,
                   (410, "application/json"): OpenApiResponse(
                       description="The document was destroyed: its file is gone.")},
    )
    @action(detail=True, methods=["get"], renderer_classes=[FileRenderer])
    def download(self, request, *args, **kwargs):
        document = self.get_object()
        if document.is_destroyed:
            raise Gone
        try:
            handle = document.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise NotFound from None
        audit_log(actor=request.user, action=Verb.VIEW, obj=document,
                  case_id=document.nominal_id, detail="Downloaded")
        return attachment(handle, document, content_type="application/octet-stream")


class Gone(NotFound):
    status_code = 410
    default_detail = "This document was destroyed after its meeting: its file is gone."
    default_code = "gone"
