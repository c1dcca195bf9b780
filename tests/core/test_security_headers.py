"""What every answer tells the browser: a strict Content-Security-Policy (no inline script or
style but by the page's nonce, no framing), and nothing carrying case data kept in a cache."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_nominal
from tests.helpers import sign_in
from tests.meetings.test_schedule_services import accepted_referral, make_panel, working_day

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered to PDF on the server, never shown by a browser.
PDF_TEMPLATES = {"referrals/referral_pdf.html", "meetings/minutes/minutes_pdf.html",
                 "disclosure/summary_pdf.html", "disclosure/contract_pdf.html",
                 "kpi/pack_pdf.html", "kpi/annual_report_pdf.html",
                 "support/pack_pdf.html", "support/consent_pdf.html"}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in
            (part.split() for part in header.split(";") if part.strip())}


def test_pages_carry_a_strict_content_security_policy(client):
    csp = policy(client.get(reverse("login")))
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert "'self'" in csp[directive]
        assert "'unsafe-inline'" not in csp[directive] and "'unsafe-eval'" not in csp[directive]


def test_the_inline_script_runs_only_by_the_pages_nonce(coordinator, practitioner):
    referral = accepted_referral(practitioner, coordinator)
    make_panel(coordinator, day=working_day(3))
    client = Client()
    sign_in(client, coordinator)
    response = client.get(reverse("meetings:schedule_referral", args=[referral.pk]))
    assert response.status_code == 200 and referral.meeting_due_by >= timezone.localdate()
    nonces = [value for value in policy(response)["script-src"] if value.startswith("'nonce-")]
    assert len(nonces) == 1
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    assert inline, "the schedule page's inline script is gone: drop this test"
    assert all(f'nonce="{nonces[0][7:-1]}"' in attributes for attributes in inline)


def test_no_template_has_an_inline_script_or_style_without_the_nonce():
    offences = []
    for path in TEMPLATES.rglob("*.html"):
        name = str(path.relative_to(TEMPLATES))
        if name in PDF_TEMPLATES:
            continue
        text = path.read_text()
        if re.search(r"\sstyle=\"", text) or re.search(r"\son[a-z]+=\"", text):
            offences.append(f"{name}: an inline style or event handler attribute")
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", text):
            if "src=" not in tag and "nonce=" not in tag:
                offences.append(f"{name}: {tag}")
    assert not offences, offences


def test_case_pages_are_never_stored(practitioner_client, practitioner):
    nominal = make_nominal(case_manager=practitioner)
    response = practitioner_client.get(reverse("cases:detail", args=[nominal.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in practitioner_client.get(reverse("cases:list"))["Cache-Control"]


def test_api_answers_are_never_stored(practitioner_client, practitioner):
    make_nominal(case_manager=practitioner)
    response = practitioner_client.get("/api/v1/offenders/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]


def test_static_files_may_be_cached():
    from jmappa.middleware import NoStoreMiddleware

    class Request:
        path = f"{settings.STATIC_URL}css/jmappa.css"

    from django.http import HttpResponse

    response = NoStoreMiddleware(lambda request: HttpResponse("css"))(Request())
    assert not response.has_header("Cache-Control")


def test_the_api_documentation_runs_its_inline_script_by_nonce(practitioner_client):
    response = practitioner_client.get(reverse("api-docs"))
    assert response.status_code == 200
    nonce = next(value for value in policy(response)["script-src"]
                 if value.startswith("'nonce-"))[7:-1]
    page = response.content.decode()
    assert page.count(f'nonce="{nonce}"') == 2 and "<script>" not in page and "<style>" not in page
