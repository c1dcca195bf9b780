"""Documents attached to a case or a meeting: who attaches them, what may be uploaded, the
private download (access checked, audited, an attachment never stored), the lists on the
case and the meeting, and the Appendix C destruction once the minutes are final."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from alerts.sweep import run_sweep
from cases.models import TeamRole
from cases.services import agency_involve
from documents import services
from documents.demo import text_pdf
from documents.models import Document, DocumentKind
from jmappa.accounts.models import Role
from jmappa.audit.models import AuditEvent, Verb
from jmappa.core.uploads import NOT_ALLOWED
from meetings.models import Meeting, MeetingKind, Minutes, MinutesStatus
from tests.factories import add_to_team, make_agency, make_nominal, make_user
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

PDF = text_pdf("A report for the meeting")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world():
    coordinator = make_user(roles=[Role.COORDINATOR])
    probation = make_agency("Probation", kind="probation")
    alice = make_user(agency=probation)  # case manager
    bob = make_user(agency=make_agency())  # on the team
    admin = make_user(roles=[Role.ADMINISTRATOR], agency=probation)
    smb = make_user(roles=[Role.SMB_MEMBER], agency=probation)
    charlie = make_user(agency=make_agency())  # outside the case
    nominal = make_nominal(actor=coordinator, case_manager=alice)
    add_to_team(nominal, alice, TeamRole.CASE_MANAGER, actor=coordinator)
    add_to_team(nominal, bob, actor=coordinator)
    starts = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=7),
                                                  time(10)))
    meeting = Meeting.objects.create(nominal=nominal, kind=MeetingKind.LEVEL_2,
                                     starts_at=starts, chair=coordinator, created_by=admin)
    return {"coordinator": coordinator, "alice": alice, "bob": bob, "admin": admin,
            "smb": smb, "charlie": charlie, "nominal": nominal, "meeting": meeting}


def upload(world, who="alice", *, name="report.pdf", data=PDF, meeting=None,
           kind=DocumentKind.REPORT, destroy=False):
    return services.document_upload(
        nominal=world["nominal"], actor=world[who], upload=ContentFile(data, name=name),
        kind=kind, title="Probation report", meeting=meeting, destroy_after_meeting=destroy)


def finalise(meeting):
    return Minutes.objects.create(meeting=meeting, status=MinutesStatus.FINAL,
                                  drafted_by=meeting.chair, finalised_by=meeting.chair,
                                  finalised_at=timezone.now())


def image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, kind)
    return out.getvalue()


# -- attaching ----------------------------------------------------------------------------------


def test_case_team_attaches_a_document_stored_privately_under_a_name_saying_nothing(
        world, private_media):
    document = upload(world)
    assert document.original_name == "report.pdf"
    assert document.content_type == "application/pdf" and document.size == len(PDF)
    stored = private_media / document.file.name
    assert stored.read_bytes() == PDF
    assert document.file.name.startswith("documents/") and "report" not in document.file.name
    event = AuditEvent.objects.get(object_type="documents.document", action=Verb.CREATE)
    assert event.case_id == world["nominal"].pk
    assert "Probation report" not in str(event.changes)


@pytest.mark.parametrize("name, data", [
    ("notes.txt", "Notes for the meeting, with an é.".encode()),
    ("photo.jpg", image("JPEG")), ("plan.png", image("PNG")),
])
def test_pdf_images_and_text_are_allowed(world, name, data):
    assert upload(world, name=name, data=data).pk


def test_the_administrator_and_the_coordinator_attach_documents_too(world):
    assert upload(world, "admin").pk and upload(world, "coordinator").pk


@pytest.mark.parametrize("who", ["charlie", "smb"])
def test_nobody_off_the_case_attaches_a_document(world, who):
    with pytest.raises(PermissionDenied):
        upload(world, who)


@pytest.mark.parametrize("name, data", [
    ("program.exe", b"MZ\x90\x00"), ("disguised.pdf", b"MZ\x90\x00 not a pdf"),
    ("page.html", b"<html><script>alert(1)</script></html>"),
    ("binary.txt", b"\x00\x01\x02"), ("fake.docx", b"PK\x03\x04 not really a zip"),
])
def test_a_file_of_another_type_is_refused_with_the_types_allowed(world, name, data):
    with pytest.raises(ValidationError) as refused:
        upload(world, name=name, data=data)
    assert refused.value.message_dict == {"upload": [NOT_ALLOWED]}
    assert not Document.objects.exists()


def test_a_file_over_the_size_limit_is_refused(world, settings):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        upload(world, data=PDF + b" " * (1024 * 1024))
    assert refused.value.message_dict == {"upload": ["The file must be smaller than 1 MB."]}


def test_the_offenders_written_information_for_a_meeting_comes_from_the_case_manager(world):
    with pytest.raises(ValidationError) as refused:
        upload(world, "bob", meeting=world["meeting"], kind=DocumentKind.OFFENDER_INFORMATION)
    assert "kind" in refused.value.message_dict
    assert upload(world, "alice", meeting=world["meeting"],
                  kind=DocumentKind.OFFENDER_INFORMATION).pk


def test_only_a_meetings_paper_is_marked_for_destruction(world):
    with pytest.raises(ValidationError) as refused:
        upload(world, destroy=True)
    assert "destroy_after_meeting" in refused.value.message_dict


def test_a_meeting_of_another_case_is_refused(world):
    other = make_nominal(actor=world["coordinator"])
    meeting = Meeting.objects.create(nominal=other, kind=MeetingKind.LEVEL_2,
                                     starts_at=timezone.now(), created_by=world["admin"])
    with pytest.raises(ValidationError):
        upload(world, "coordinator", meeting=meeting)


def test_the_upload_form_explains_a_refused_file_and_keeps_the_title(client, world):
    sign_in(client, world["alice"])
    answer = client.post(reverse("documents:upload", args=[world["nominal"].pk]), {
        "upload": SimpleUploadedFile("virus.exe", b"MZ"), "title": "My typed title",
        "kind": DocumentKind.OTHER})
    body = answer.content.decode()
    assert answer.status_code == 200 and "The file must be a PDF" in body
    assert "My typed title" in body


def test_the_upload_form_attaches_a_paper_to_the_meeting_and_returns_to_it(client, world):
    sign_in(client, world["admin"])
    url = reverse("documents:upload", args=[world["nominal"].pk])
    assert client.get(url, {"meeting": world["meeting"].pk}).status_code == 200
    answer = client.post(url, {
        "upload": SimpleUploadedFile("report.pdf", PDF), "title": "Police report",
        "kind": DocumentKind.REPORT, "meeting": world["meeting"].pk,
        "destroy_after_meeting": "on"})
    assert answer["Location"] == reverse("meetings:detail", args=[world["meeting"].pk])
    document = Document.objects.get()
    assert document.destroy_after_meeting and document.marked_by == world["admin"]


def test_a_reader_off_the_team_is_refused_the_upload_form(client, world):
    agency = make_agency(spoc_sees_agency_cases=True)
    spoc = make_user(roles=[Role.SPOC], agency=agency)
    agency.spoc = spoc
    agency.save()
    agency_involve(nominal=world["nominal"], agency=agency, actor=world["coordinator"])
    sign_in(client, spoc)  # sees the case as its agency's SPOC, is not on its team
    assert client.get(reverse("documents:case", args=[world["nominal"].pk])).status_code == 200
    url = reverse("documents:upload", args=[world["nominal"].pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "x"}).status_code == 403


# -- reading and downloading --------------------------------------------------------------------


def download(document):
    return reverse("documents:download", args=[document.pk])


def test_download_is_an_attachment_never_stored_and_audited(client, world):
    document = upload(world)
    sign_in(client, world["bob"])
    answer = client.get(download(document))
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == PDF
    assert answer["Content-Disposition"].startswith("attachment;")
    assert 'filename="report.pdf"' in answer["Content-Disposition"]
    assert "no-store" in answer["Cache-Control"]
    assert AuditEvent.objects.filter(action=Verb.VIEW, object_id=str(document.pk),
                                     object_type="documents.document", detail="Downloaded",
                                     case_id=world["nominal"].pk, actor=world["bob"]).exists()


def test_the_file_is_not_served_by_the_static_or_media_server(client, world):
    document = upload(world)
    sign_in(client, world["coordinator"])
    for prefix in ("/media/", "/static/", "/"):
        assert client.get(prefix + document.file.name).status_code == 404


def test_user_outside_the_case_gets_404_on_every_document_route(client, world):
    document = upload(world, "admin", meeting=world["meeting"], destroy=True)
    sign_in(client, world["charlie"])
    nominal = world["nominal"].pk
    for url in [download(document), reverse("documents:destruction", args=[document.pk]),
                reverse("documents:case", args=[nominal]),
                reverse("documents:upload", args=[nominal])]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"decision": "keep"}).status_code == 404, url
    document.refresh_from_db()
    assert document.destroy_after_meeting
    assert AuditEvent.objects.filter(action=Verb.DENY, object_type="documents.document",
                                     object_id=str(document.pk)).exists()


def test_case_documents_page_lists_them_with_a_fixed_query_count(client, world):
    sign_in(client, world["bob"])
    url = reverse("documents:case", args=[world["nominal"].pk])
    upload(world)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        upload(world, "admin", meeting=world["meeting"], destroy=True)
    with CaptureQueriesContext(connection) as many:
        answer = client.get(url)
    assert len(answer.context["documents"]) == 5
    assert len(many) == len(few)
    assert "To be destroyed" in answer.content.decode()
    listed = AuditEvent.objects.filter(action=Verb.LIST, object_type="documents.document",
                                       actor=world["bob"]).order_by("pk").last()
    assert len(listed.changes["ids"]) == 5


def test_the_meeting_page_lists_its_documents(client, world):
    paper = upload(world, "admin", meeting=world["meeting"], destroy=True)
    case_only = upload(world)
    sign_in(client, world["bob"])
    body = client.get(reverse("meetings:detail", args=[world["meeting"].pk])).content.decode()
    assert download(paper) in body and download(case_only) not in body


# -- Appendix C: destroyed after the meeting ----------------------------------------------------


def test_a_paper_marked_at_the_meeting_is_destroyed_once_the_minutes_are_final(world):
    paper = upload(world, "admin", meeting=world["meeting"], destroy=True)
    kept = upload(world, "admin", meeting=world["meeting"])
    assert services.destroy_due() == 0  # the minutes are not final yet: still needed
    finalise(world["meeting"])
    assert services.destroy_due() == 1
    paper.refresh_from_db()
    assert paper.is_destroyed and paper.destroyed_by is None and not paper.file
    assert "Appendix C" in paper.destroyed_reason
    assert Document.objects.filter(pk=kept.pk, destroyed_at__isnull=True).exists()
    assert AuditEvent.objects.filter(object_type="documents.document", action=Verb.CHANGE,
                                     object_id=str(paper.pk)).exists()
    assert services.destroy_due() == 0  # twice changes nothing


def test_destroying_deletes_the_file_once_committed(world, private_media,
                                                   django_capture_on_commit_callbacks):
    paper = upload(world, "admin", meeting=world["meeting"], destroy=True)
    stored = private_media / paper.file.name
    finalise(world["meeting"])
    with django_capture_on_commit_callbacks(execute=True):
        services.destroy_due()
    assert not stored.exists()
    assert Document.objects.get(pk=paper.pk).destroyed_at is not None


def test_the_daily_sweep_destroys_the_papers_due(world, django_capture_on_commit_callbacks):
    upload(world, "admin", meeting=world["meeting"], destroy=True)
    finalise(world["meeting"])
    with django_capture_on_commit_callbacks(execute=True):
        result = run_sweep(send_digest=False)
    assert result.destroyed == 1 and result.as_dict()["destroyed"] == 1


def test_a_destroyed_document_says_so_instead_of_a_file(client, world):
    paper = upload(world, "admin", meeting=world["meeting"], destroy=True)
    finalise(world["meeting"])
    services.destroy_due()
    sign_in(client, world["bob"])
    answer = client.get(download(paper))
    assert answer.status_code == 410 and "was destroyed" in answer.content.decode()
    listing = client.get(reverse("documents:case", args=[world["nominal"].pk]))
    assert "Destroyed" in listing.content.decode()


def test_the_secretariat_or_the_uploader_decides_keep_or_destroy(client, world):
    paper = upload(world, "alice", meeting=world["meeting"])
    url = reverse("documents:destruction", args=[paper.pk])
    sign_in(client, world["bob"])
    assert client.get(url).status_code == 403
    sign_in(client, world["alice"])
    assert client.post(url, {"decision": "destroy"}).status_code == 302
    paper.refresh_from_db()
    assert paper.destroy_after_meeting and paper.marked_by == world["alice"]
    sign_in(client, world["admin"])
    client.post(url, {"decision": "keep"})
    paper.refresh_from_db()
    assert not paper.destroy_after_meeting


def test_no_paper_is_marked_for_destruction_after_the_minutes_are_final(world):
    paper = upload(world, "admin", meeting=world["meeting"])
    finalise(world["meeting"])
    with pytest.raises(ValidationError):
        services.document_mark_for_destruction(document=paper, actor=world["admin"],
                                               destroy=True)


def test_a_case_document_cannot_be_marked_for_destruction(client, world):
    document = upload(world, "alice")
    sign_in(client, world["admin"])
    assert client.get(reverse("documents:destruction", args=[document.pk])).status_code == 403


# -- the API ------------------------------------------------------------------------------------


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_lists_and_reads_documents_of_visible_cases(world):
    document = upload(world)
    rows = api(world["bob"]).get("/api/v1/documents/", {"case": world["nominal"].pk}).json()
    assert [row["id"] for row in rows["results"]] == [document.pk]
    one = api(world["bob"]).get(f"/api/v1/documents/{document.pk}/")
    assert one.status_code == 200 and one.json()["original_name"] == "report.pdf"


def test_api_download_is_an_audited_attachment(world):
    document = upload(world)
    answer = api(world["bob"]).get(f"/api/v1/documents/{document.pk}/download/")
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == PDF
    assert answer["Content-Type"] == "application/octet-stream"
    assert answer["Content-Disposition"].startswith("attachment;")
    assert "no-store" in answer["Cache-Control"]
    assert AuditEvent.objects.filter(detail="Downloaded", actor=world["bob"]).exists()


def test_api_answers_404_to_a_user_outside_the_case(world):
    document = upload(world)
    client = api(world["charlie"])
    assert client.get(f"/api/v1/documents/{document.pk}/").status_code == 404
    assert client.get(f"/api/v1/documents/{document.pk}/download/").status_code == 404
    assert client.get("/api/v1/documents/").json()["results"] == []


def test_api_download_of_a_destroyed_document_answers_410(world):
    paper = upload(world, "admin", meeting=world["meeting"], destroy=True)
    finalise(world["meeting"])
    services.destroy_due()
    assert api(world["bob"]).get(f"/api/v1/documents/{paper.pk}/download/").status_code == 410
