"""The chronology and the documents of a case, in a real browser: a practitioner on the case
adds a contact and attaches a report for the next meeting, using the keyboard and the labels
only; the pages have no serious or critical accessibility fault (axe), and fit 390 px."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import TeamRole
from documents.demo import text_pdf
from jmappa.accounts.models import Role
from meetings.models import Meeting, MeetingKind

from ..factories import PASSWORD, add_to_team, make_nominal, make_user
from .test_sign_in import sign_in

pytestmark = pytest.mark.journey


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it stands."""
    return page.axe.violations_now()


def fits(page, width: int) -> bool:
    page.set_viewport_size({"width": width, "height": 800})
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_case_manager_adds_a_contact_and_a_report_for_the_meeting(page, live_server, police,
                                                                  settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    coordinator = make_user("coordinator", roles=[Role.COORDINATOR], agency=police)
    officer = make_user("officer", roles=[Role.PRACTITIONER], agency=police)
    nominal = make_nominal(actor=coordinator, lead_agency=police, case_manager=officer)
    add_to_team(nominal, officer, TeamRole.CASE_MANAGER, actor=coordinator)
    starts = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=7),
                                                  time(10)))
    meeting = Meeting.objects.create(nominal=nominal, kind=MeetingKind.LEVEL_2,
                                     starts_at=starts, chair=coordinator,
                                     created_by=coordinator)
    report = tmp_path / "police-report.pdf"
    report.write_bytes(text_pdf("Police report"))
    sign_in(page, "officer", PASSWORD)

    page.goto(f"/cases/{nominal.pk}/chronology/")
    expect(page).to_have_title(f"Chronology · {nominal.reference} · JMAPPA Case Manager")
    page.get_by_role("link", name="Add to the chronology").click()
    page.get_by_label("Time of the contact").fill("9 o'clock")
    page.get_by_label("Home visit").check()
    page.get_by_label("Who had the contact").fill("PC Le Brun, Police")
    page.get_by_label("Summary").fill("Unannounced visit; nobody else present.")
    page.get_by_role("button", name="Add the entry").press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text("for example 14:30")
    expect(page.get_by_label("Summary")).to_have_value("Unannounced visit; nobody else present.")
    yesterday = timezone.localdate() - timedelta(days=1)
    day = page.get_by_role("group", name="Date of the contact")
    day.get_by_label("Day").fill(str(yesterday.day))
    day.get_by_label("Month").fill(str(yesterday.month))
    day.get_by_label("Year").fill(str(yesterday.year))
    page.get_by_label("Time of the contact").fill("09:15")
    page.get_by_role("button", name="Add the entry").press("Enter")
    timeline = page.locator(".moj-timeline")
    expect(timeline).to_contain_text("Home visit")
    expect(timeline).to_contain_text("Unannounced visit; nobody else present.")
    assert serious_violations(page) == []
    assert fits(page, 390)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("link", name="Documents").click()
    page.get_by_role("link", name="Attach a document").click()
    page.get_by_label("The document").set_input_files(str(report))
    page.get_by_label("Title").fill("Police report for the review")
    page.get_by_label("Report for the meeting").check()
    page.get_by_label("Meeting it is for").select_option(str(meeting.pk))
    page.get_by_label("Destroy it once the meeting's minutes are final").check()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Upload the document").click()
    expect(page.get_by_role("heading", name="Documents for the meeting")).to_be_visible()

    page.goto(f"/cases/{nominal.pk}/documents/")
    expect(page.locator("main table")).to_contain_text("Police report for the review")
    expect(page.locator("main table")).to_contain_text("To be destroyed")
    assert serious_violations(page) == []
    assert fits(page, 390)
