"""Demo documents for `manage.py seed_demo`: on each demo case with meetings, a document of
the case, a report for its next meeting marked to be destroyed once the minutes are final
(Appendix C), the offender's written information, and, for a meeting whose minutes are
final, a report already destroyed (its record kept). Written through documents.services;
the files are small invented texts and PDFs. Idempotent: a case with documents is left
alone."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cases.models import Nominal
from jmappa import access
from jmappa.accounts.models import User
from jmappa.audit.context import audit_context
from jmappa.audit.models import Channel
from meetings.models import Meeting, MeetingStatus, MinutesStatus

from . import services
from .models import DocumentKind


def text_pdf(line: str) -> bytes:
    """A one-page PDF saying `line` (invented demo content, ASCII)."""
    safe = line.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 12 Tf 72 770 Td ({safe}) Tj ET".encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _text(name: str, body: str) -> ContentFile:
    return ContentFile(body.encode("utf-8"), name=name)


def seed_documents(*, today, stdout=None) -> int:
    """Seed the documents; return how many cases were given some."""
    admin = User.objects.get(username="admin.officer")
    coordinator = User.objects.get(username="coordinator")
    cases = (Nominal.objects.filter(pnc_number__startswith="DEMO/", meetings__isnull=False,
                                    documents__isnull=True)
             .distinct().select_related("case_manager").order_by("pk"))
    created = 0
    with audit_context(Channel.CLI), transaction.atomic():
        for nominal in cases:
            uploader = next((user for user in (nominal.case_manager, admin, coordinator)
                             if user is not None and access.can_add_document(user, nominal)),
                            None)
            if uploader is None:
                continue
            _seed_case(nominal, uploader=uploader, admin=admin, now=timezone.now())
            created += 1
    if stdout:
        stdout.write(f"Demo documents: {created} cases given documents.")
    return created


def _seed_case(nominal, *, uploader, admin, now) -> None:
    reference = nominal.reference
    services.document_upload(
        nominal=nominal, actor=uploader, kind=DocumentKind.OTHER,
        title="Summary of the pre-sentence report",
        upload=_text("pre-sentence-summary.txt",
                     f"Case {reference}: summary of the pre-sentence report (demo text).\n"))
    meetings = Meeting.objects.filter(nominal=nominal).exclude(status=MeetingStatus.CANCELLED)
    upcoming = meetings.filter(starts_at__gte=now).order_by("starts_at").first()
    secretariat = admin if access.can_add_document(admin, nominal) else uploader
    if upcoming is not None:
        services.document_upload(
            nominal=nominal, actor=secretariat, meeting=upcoming, kind=DocumentKind.REPORT,
            title="Police report for the meeting", destroy_after_meeting=True,
            upload=ContentFile(text_pdf(f"Police report for the meeting on case {reference}"),
                               name="police-report.pdf"))
        if access.can_attach_offender_information(secretariat, upcoming):
            services.document_upload(
                nominal=nominal, actor=secretariat, meeting=upcoming,
                kind=DocumentKind.OFFENDER_INFORMATION,
                title="Letter from the offender to the meeting",
                upload=_text("letter.txt", "I would like the meeting to know that I have kept "
                                           "every appointment (demo text).\n"))
    finalised = meetings.filter(minutes__status=MinutesStatus.FINAL).order_by(
        "-starts_at").first()
    if finalised is not None:
        paper = services.document_upload(
            nominal=nominal, actor=secretariat, meeting=finalised, kind=DocumentKind.REPORT,
            title="Housing report for the meeting",
            upload=_text("housing-report.txt", "Housing report (demo text).\n"))
        # Marked at the meeting; the daily check destroyed it once the minutes were final.
        services.document_destroy(document=paper, actor=None,
                                  reason=services.DESTROYED_AFTER_MINUTES)
