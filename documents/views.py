"""The documents' pages: a case's documents, the upload, the download (access checked and
audited, never served by the static server) and the decision to destroy a meeting's paper
after it."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import ListView, View

from cases.views.base import CaseSectionMixin
from jmappa import access
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_log
from jmappa.core.uploads import private_file_response
from jmappa.core.views import AuditedListMixin, ServiceFormView
from meetings.models import MeetingStatus

from . import selectors, services
from .forms import DestructionForm, DocumentForm
from .models import Document
from .templatetags.documents import may_mark

DOCUMENTS_PAGE = 25


class CaseDocumentsView(access.NominalAccessMixin, CaseSectionMixin, AuditedListMixin,
                        ListView):
    url_kwarg = "pk"
    section = "documents"
    template_name = "documents/case_documents.html"
    context_object_name = "documents"
    listed_model = Document
    paginate_by = DOCUMENTS_PAGE

    def get_queryset(self):
        return selectors.documents_of_case(self.nominal)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            nominal=self.nominal, title="Documents",
            can_add=access.can_add_document(self.request.user, self.nominal), **kwargs)
        context["may_mark"] = may_mark(self.request.user, context["documents"])
        return context


class DocumentUploadView(access.NominalAccessMixin, CaseSectionMixin, ServiceFormView):
    """The case team, the Co-ordinator and the Administrators attach documents; anyone else
    who sees the case is told no (403)."""

    url_kwarg = "pk"
    access_check = access.can_add_document
    denied_status = 403
    section = "documents"
    form_class = DocumentForm
    template_name = "cases/section_form.html"
    title = "Attach a document"
    submit_label = "Upload the document"

    def meetings(self):
        return self.nominal.meetings.exclude(status=MeetingStatus.CANCELLED).order_by(
            "-starts_at")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meetings": self.meetings()}

    def get_initial(self):
        initial = super().get_initial()
        asked = self.request.GET.get("meeting", "")
        meeting = self.meetings().filter(pk=asked).first() if asked.isdigit() else None
        if meeting is not None:
            initial.update(meeting=meeting, destroy_after_meeting=True)
        return initial

    def get_context_data(self, **kwargs):
        meeting = self.get_initial().get("meeting")
        cancel_url = (reverse("meetings:detail", args=[meeting.pk]) if meeting
                      else reverse("documents:case", args=[self.nominal.pk]))
        return super().get_context_data(nominal=self.nominal, cancel_url=cancel_url, **kwargs)

    def save(self, form):
        data = form.cleaned_data
        self.saved = services.document_upload(
            nominal=self.nominal, actor=self.request.user, upload=data["upload"],
            kind=data["kind"], title=data["title"], meeting=data["meeting"],
            destroy_after_meeting=data["destroy_after_meeting"])
        return f"“{self.saved.title}” uploaded."

    def get_success_url(self) -> str:
        if self.saved.meeting_id:
            return reverse("meetings:detail", args=[self.saved.meeting_id])
        return reverse("documents:case", args=[self.nominal.pk])


class DocumentAccessMixin(access.ObjectAccessMixin):
    selector = selectors.documents_for
    object_name = "document"

    def audit_case_id(self, obj):
        return obj.nominal_id


class DocumentDownloadView(DocumentAccessMixin, View):
    """The file, to whoever reads the case, as an attachment never kept by the browser; each
    download is in the audit trail. A destroyed document says so (410)."""

    audit_reads = False

    def get(self, request, *args, **kwargs):
        document = self.document
        if document.is_destroyed:
            return render(request, "documents/destroyed.html",
                          {"document": document, "nominal": document.nominal}, status=410)
        try:
            handle = document.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        audit_log(actor=request.user, action=Verb.VIEW, obj=document,
                  case_id=document.nominal_id, detail="Downloaded")
        return attachment(handle, document, content_type=document.content_type)


def attachment(handle, document: Document, *, content_type: str) -> FileResponse:
    return private_file_response(handle, filename=document.original_name,
                                 content_type=content_type)


class DestructionView(DocumentAccessMixin, CaseSectionMixin, ServiceFormView):
    """Whether a meeting's paper is kept or destroyed after it (Appendix C)."""

    access_check = access.can_mark_for_destruction
    denied_status = 403
    section = "documents"
    form_class = DestructionForm
    template_name = "cases/section_form.html"
    title = "Keep or destroy after the meeting"
    intro = ("Copies of a meeting's papers that are not to be kept are destroyed once the "
             "minutes are final (Appendix C).")
    submit_label = "Save"

    def blocked(self) -> str:
        if self.document.is_destroyed:
            return "This document has already been destroyed."
        return ""

    def get_initial(self):
        return {"decision": "destroy" if self.document.destroy_after_meeting else "keep"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(nominal=self.document.nominal,
                                        cancel_url=self.get_success_url(), **kwargs)

    def save(self, form):
        destroy = form.cleaned_data["decision"] == "destroy"
        services.document_mark_for_destruction(document=self.document,
                                               actor=self.request.user, destroy=destroy)
        return ("Marked for destruction once the minutes are final." if destroy
                else "It will be kept with the case.")

    def get_success_url(self) -> str:
        return reverse("meetings:detail", args=[self.document.meeting_id])
