"""The referral printed in the layout of Appendix A: marked OFFICIAL-SENSITIVE (the service's
one protective marking) on every page, the victims only for those who may read them, every
print audited, 404 for anyone else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jmappa.accounts.models import AgencyKind, Role
from jmappa.audit.models import AuditEvent, Verb
from jmappa.core import pdf as pdf_kit
from referrals import pdf
from referrals.models import SupervisionType
from referrals.services import referral_accept
from tests.factories import add_to_team, make_agency, make_referral, make_user
from tests.helpers import pdf_pages, pdf_text, sign_in

pytestmark = pytest.mark.django_db

VICTIMS = "Former partner, Ms Invented-Witness, now living in St Brelade."
# Enough text to run the referral over two pages or more.
LONG_REASONS = "\n\n".join(
    f"Paragraph {n}: since his release he has made repeated threats to a former partner, "
    "breached the conditions of his licence twice, lost his accommodation and resumed "
    "drinking; the agencies each hold part of the picture and must act together."
    for n in range(1, 41)
)


@pytest.fixture
def referral(practitioner, housing):
    return make_referral(
        practitioner, given_names="Bartholomew", family_name="Invented-Subject",
        victims=VICTIMS, pnc_number="00/123456X", supervision_type=SupervisionType.LICENCE,
        agencies=[{"agency": housing, "contact_name": "Hilda Housing",
                   "contact_email": "hilda.housing@example.je",
                   "contact_details": "Le Bas Centre, St Helier"}],
    )


@pytest.fixture
def accepted(referral, coordinator):
    """Accepted, so the referral has a case and a team."""
    return referral_accept(referral=referral, actor=coordinator, level="2", category="2",
                           create_new=True)


@pytest.fixture
def probation_member(accepted, coordinator):
    """On the case team, without the victim permission."""
    probation = make_agency("Probation", AgencyKind.PROBATION)
    member = make_user("dora", roles=[Role.PRACTITIONER], agency=probation)
    add_to_team(accepted.nominal, member, actor=coordinator, sees_victims=False)
    return member


def test_pdf_has_the_appendix_a_title_the_name_and_the_reference(referral, practitioner):
    text = pdf_text(pdf.render_referral_pdf(referral, user=practitioner))
    assert "JERSEY MULTI-AGENCY PUBLIC PROTECTION ARRANGEMENTS LEVEL 2/3 SUBJECT REFERRAL" in text
    assert "Bartholomew" in text
    assert "INVENTED-SUBJECT" in text
    assert referral.reference in text
    assert "00/123456X" in text
    assert "AGENCIES TO BE INVOLVED" in text
    assert "Hilda Housing" in text
    assert "LEAD AGENCY CONTACT DETAILS" in text


def test_every_page_of_a_long_referral_is_marked_with_reference_and_page(
        practitioner):
    referral = make_referral(practitioner, given_names="Bartholomew",
                             family_name="Invented-Subject", reasons=LONG_REASONS)
    pages = pdf_pages(pdf.render_referral_pdf(referral, user=practitioner))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") == 2, f"page {number}: top and bottom"
        assert "(when complete)" in text
        assert referral.reference in text
        assert f"page {number} of {len(pages)}" in text
    assert "Paragraph 40" in " ".join(pages)


def test_referrer_and_coordinator_read_the_victims(referral, practitioner, coordinator):
    for reader in (practitioner, coordinator):
        text = pdf_text(pdf.render_referral_pdf(referral, user=reader))
        assert "Ms Invented-Witness" in text
        assert "Withheld" not in text


def test_victims_are_withheld_from_a_case_team_member_without_the_victim_permission(
        accepted, probation_member):
    text = pdf_text(pdf.render_referral_pdf(accepted, user=probation_member))
    assert "Bartholomew" in text
    assert "Ms Invented-Witness" not in text
    assert pdf.VICTIMS_WITHHELD in text


def test_printing_the_referral_answers_an_inline_pdf_and_writes_a_print_event(
        client, accepted, practitioner):
    sign_in(client, practitioner)
    response = client.get(reverse("referrals:pdf", args=[accepted.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="referral-{accepted.reference}.pdf"')
    assert response["Cache-Control"] == "no-store"
    assert "Bartholomew" in pdf_text(response.content)
    event = AuditEvent.objects.get(action=Verb.PRINT)
    assert event.actor == practitioner
    assert event.object_type == "referrals.referral"
    assert event.object_id == str(accepted.pk)
    assert event.case_id == accepted.nominal_id


def test_a_team_member_without_the_victim_permission_prints_it_without_victims(
        client, accepted, probation_member):
    sign_in(client, probation_member)
    response = client.get(reverse("referrals:pdf", args=[accepted.pk]))
    assert response.status_code == 200
    assert "Ms Invented-Witness" not in pdf_text(response.content)


def test_an_agency_outside_the_referral_gets_404_and_nothing_is_audited(
        client, referral, outsider):
    sign_in(client, outsider)
    response = client.get(reverse("referrals:pdf", args=[referral.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=Verb.PRINT).exists()


def test_a_draft_cannot_be_printed_by_the_coordinator(client, practitioner, coordinator):
    draft = make_referral(practitioner, submit=False)
    sign_in(client, coordinator)
    assert client.get(reverse("referrals:pdf", args=[draft.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action=Verb.PRINT).exists()


def test_anonymous_is_sent_to_sign_in(client, referral):
    url = reverse("referrals:pdf", args=[referral.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not AuditEvent.objects.filter(action=Verb.PRINT).exists()


@pytest.mark.parametrize("url", [
    "http://example.com/tracker.png",
    "https://fonts.example.com/font.woff2",
    "file:///etc/passwd",
    "ftp://example.com/x",
])
def test_printing_refuses_to_load_anything_outside_the_static_files(url):
    with pytest.raises(ValueError):
        pdf_kit.LocalOnlyFetcher().fetch(url)


def test_printing_loads_data_urls_and_its_own_stylesheet():
    fetcher = pdf_kit.LocalOnlyFetcher()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    assert b"@top-center" in fetcher.fetch(pdf_kit.static_file_url(pdf.STYLESHEET)).read()


def test_a_link_in_the_referral_text_is_never_fetched(practitioner, monkeypatch):
    fetched = []
    original = pdf_kit.LocalOnlyFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf_kit.LocalOnlyFetcher, "fetch", spy)
    referral = make_referral(
        practitioner, reasons='<img src="http://example.com/x.png"> <link rel=stylesheet '
                              'href="http://example.com/x.css">')
    text = pdf_text(pdf.render_referral_pdf(referral, user=practitioner))
    assert '<img src="http://example.com/x.png">' in text  # printed as text, not loaded
    assert all(not url.startswith("http") for url in fetched)



def test_pdf_carries_the_configured_protective_marking(referral, practitioner, settings):
    """One marking scheme, configurable: the referral prints the service's marking."""
    settings.PROTECTIVE_MARKING = "OFFICIAL"
    text = pdf_text(pdf.render_referral_pdf(referral, user=practitioner))
    assert "OFFICIAL" in text and "OFFICIAL-SENSITIVE" not in text and "RESTRICTED" not in text
