"""The minutes printed (meetings/pdf.py): OFFICIAL-SENSITIVE (the protective marking) at the
top and bottom of every page, the version, its status and the page number; the Risk
Management Plan in it; DRAFT across a draft; every print audited; 404 for anyone outside the
case."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Level
from jmappa.accounts.models import Role
from jmappa.audit.models import AuditEvent, Verb
from meetings.pdf import render_minutes_pdf
from meetings.services import minutes as services
from plans.models import ActionType
from tests.factories import make_nominal, make_user
from tests.helpers import pdf_pages, pdf_text, sign_in
from tests.meetings.test_minutes_services import (
    complete,
    make_action,
    make_full_plan,
    make_meeting,
)

pytestmark = pytest.mark.django_db

# Enough information shared to run the minutes over several pages.
LONG_INFORMATION = "\n\n".join(
    f"Point {n}: since his release he has twice been seen near his former partner's "
    "workplace, missed a supervision appointment and lost his accommodation; the agencies "
    "each hold part of the picture and agreed to act together."
    for n in range(1, 31)
)


def client_for(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


@pytest.fixture
def administrator(police):
    return make_user("ada", roles=[Role.ADMINISTRATOR], agency=police)


@pytest.fixture
def nominal(coordinator, practitioner):
    return make_nominal(actor=coordinator, case_manager=practitioner, level=Level.TWO,
                        level_reason="Accepted at level 2", given_names="Terence",
                        family_name="Le Marquand")


@pytest.fixture
def meeting(nominal, coordinator):
    return make_meeting(nominal, chair=coordinator)


@pytest.fixture
def draft(meeting, administrator, police):
    minutes = services.minutes_start(meeting=meeting, actor=administrator)
    services.minutes_update(minutes=minutes, actor=administrator, version=minutes.version,
                            information=[{"agency": police, "information": LONG_INFORMATION}])
    return minutes


@pytest.fixture
def final(draft, meeting, coordinator, police):
    make_full_plan(meeting, agency=police, actor=coordinator)
    make_action(meeting, ActionType.EXTERNAL_CONTROL, agency=police, actor=coordinator,
                description="Weekly unannounced home visits by the Public Protection Unit")
    draft.refresh_from_db()
    return services.minutes_finalise(minutes=complete(draft, coordinator), actor=coordinator)


def test_every_page_is_marked_restricted_at_top_and_bottom_with_version_and_page(
        final, coordinator, nominal):
    pages = pdf_pages(render_minutes_pdf(final, user=coordinator))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2, f"page {number}"
        assert f"page {number} of {len(pages)}" in text
        assert re.search(rf"{re.escape(nominal.reference)} · .* · version 1 · Final", text), \
            f"page {number}"
        assert "DRAFT" not in text


def test_the_pdf_holds_the_minutes_and_the_plan_as_agreed(final, coordinator, nominal):
    text = pdf_text(render_minutes_pdf(final, user=coordinator))
    assert "JMAPP MEETING MINUTES" in text
    assert "LE MARQUAND, Terence" in text
    assert "must not be disclosed outside the agencies invited" in text
    assert "RISK MANAGEMENT PLAN" in text
    assert "Install a panic alarm at the former partner's home" in text
    assert "Recall to custody on any contact with the former partner" in text
    assert "Weekly unannounced home visits by the Public Protection Unit" in text
    assert "Victim protection" in text and "Contingency" in text
    assert "Does this case require ongoing JMAPPA management at this level? Yes" in text
    assert "Point 30:" in text


def test_a_draft_is_marked_draft_on_every_page(draft, meeting, administrator, coordinator,
                                               police):
    make_action(meeting, ActionType.VICTIM_PROTECTION, agency=police, actor=coordinator,
                description="Refer the former partner to the victim liaison officer")
    pages = pdf_pages(render_minutes_pdf(draft, user=administrator))
    assert len(pages) >= 2
    for text in pages:
        assert "DRAFT" in text and text.count("OFFICIAL-SENSITIVE") >= 2
    assert "version 1 · DRAFT" in pages[0]
    assert "Refer the former partner to the victim liaison officer" in pdf_text(
        render_minutes_pdf(draft, user=administrator))


def test_printing_is_audited_and_answers_a_pdf(final, meeting, practitioner):
    response = client_for(practitioner).get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert "Install a panic alarm" in pdf_text(response.content)
    event = AuditEvent.objects.get(action=Verb.PRINT)
    assert event.actor == practitioner and event.case_id == meeting.nominal_id
    assert event.object_id == str(final.pk)


def test_a_superseded_version_prints_as_superseded(final, meeting, coordinator):
    correction = services.minutes_correct(minutes=final, actor=coordinator, reason="Typo")
    services.minutes_finalise(minutes=correction, actor=coordinator)
    response = client_for(coordinator).get(
        reverse("meetings:minutes_version_pdf", args=[meeting.pk, 1]))
    text = pdf_text(response.content)
    assert "version 1 · Superseded" in text
    assert "SUPERSEDED" in text


def test_someone_not_on_the_case_gets_404_for_the_pdf(final, meeting, outsider):
    client = client_for(outsider)
    assert client.get(reverse("meetings:minutes_pdf", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:minutes_version_pdf",
                              args=[meeting.pk, 1])).status_code == 404
    assert not AuditEvent.objects.filter(action=Verb.PRINT).exists()
