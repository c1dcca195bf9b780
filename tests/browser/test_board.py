"""The Board in a real browser: the Administrator arranges a Board meeting, records each
member's attendance, writes the minutes and adds an action; an SMB member (the Board's Chair
in the demo) reads the dashboard, a quarter's rows behind KPI 4, the Board, its governance
documents and last quarter's case audit, records the Board's outcome of an escalation, and
reads the performance pack back from its PDF."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kpi.models import SmbAttendance, SmbMeeting
from kpi.periods import Period

from ..helpers import pdf_text
from .pages import fill_date, navigation
from .test_sign_in import sign_in

pytestmark = pytest.mark.journey


def test_the_secretariat_records_a_board_meeting_and_a_member_reads_the_figures(
        page, live_server, demo_personas):
    today = timezone.localdate()
    sign_in(page, "admin.officer", demo_personas)
    navigation(page).get_by_role("link", name="KPIs").click()
    page.get_by_role("link", name="The Board: its seats, members, Chair and meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The Board")
    page.get_by_role("link", name="Arrange a Board meeting").click()
    fill_date(page, "Date of the meeting", today)
    page.get_by_label("Where").fill("Police Headquarters, St Helier")
    page.get_by_role("button", name="Arrange the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Board meeting")
    meeting = SmbMeeting.objects.order_by("-pk").first()

    page.get_by_role("link", name="Record the attendance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the attendance")
    answers = page.locator("input[type=radio][value=present]")
    seated = answers.count()
    for index in range(seated):
        answers.nth(index).check()
    page.get_by_role("button", name="Record the attendance").click()
    expect(page.locator("main")).to_contain_text("The attendance is recorded.")
    assert SmbAttendance.objects.filter(meeting=meeting).count() == seated > 0
    page.get_by_role("link", name="Write the minutes").click()
    page.get_by_label("What was discussed and decided").fill(
        "The KPI report for the quarter; Mental Health's missed meetings.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("main")).to_contain_text("The draft minutes are saved.")
    page.get_by_role("link", name="Add an action the Board agreed").click()
    page.get_by_label("What is to be done").fill("Write to the Director of Mental Health.")
    page.get_by_label("Who will do it", exact=True).select_option(index=1)
    fill_date(page, "Due by", today + timedelta(days=14))
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator("main")).to_contain_text("Write to the Director of Mental Health.")

    page.context.clear_cookies()
    sign_in(page, "smb.member", demo_personas)
    navigation(page).get_by_role("link", name="KPIs").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Performance against the KPIs")
    page.get_by_role("link", name=f"Rows behind it (KPI 4, {Period.quarter_of(today).label})"
                     ).click()
    expect(page.locator("main")).to_contain_text("Present")
    page.go_back()
    page.get_by_role("link", name="The Board: its seats, members, Chair and meetings").click()
    expect(page.get_by_role("link", name="Arrange a Board meeting")).to_have_count(0)
    page.get_by_role("link", name="The Board's governance documents and their reviews").click()
    expect(page.locator("main")).to_contain_text("JMAPPA media strategy")
    expect(page.locator("main")).to_contain_text("Overdue")

    page.goto("/kpi/")
    page.get_by_role("link", name="Case audits: the defensibility test, quarter by quarter"
                     ).click()
    last_quarter = Period.quarter_of(today).previous()
    page.get_by_role("link", name=last_quarter.label).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Case audit, {last_quarter.label}")
    expect(page.locator("main")).to_contain_text("cases scored")

    # The member chairs the Board: Mental Health's non-attendance was escalated to them.
    page.goto("/kpi/board/")
    page.get_by_role("link", name="Non-attendance escalated to the Board").click()
    page.get_by_role("link", name="Record the outcome for Mental Health Services").click()
    page.get_by_label("The Board's outcome").fill(
        "The Director of Mental Health will send a deputy or a written report.")
    page.get_by_role("button", name="Record the Board's outcome").click()
    expect(page.locator("main")).to_contain_text("The Board's outcome is recorded.")

    response = page.request.get(f"/kpi/{Period.quarter_of(today).code}/pack.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert "KPI 4" in text and "90% attendance by each SMB member" in text
    assert not page.problems, page.problems


def test_the_administrator_explains_the_annual_report_and_the_board_approves_and_publishes_it(
        page, live_server, demo_personas):
    from cases.models import Nominal
    from kpi.models import AnnualReport

    year = timezone.localdate().year
    sign_in(page, "admin.officer", demo_personas)
    navigation(page).get_by_role("link", name="KPIs").click()
    page.get_by_role("link", name="Annual reports to the Minister").click()
    page.get_by_role("link", name=f"JMAPPA annual report {year}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"JMAPPA annual report {year}")
    expect(page.locator("main")).to_contain_text("JMAPPA offenders by category and level")

    page.get_by_role("link", name="Add a section").click()
    page.get_by_label("Anonymised case example").check()
    page.get_by_label("Heading").fill("A man managed at level 3")
    reference = Nominal.objects.order_by("pk").first().reference
    page.get_by_label("Text", exact=True).fill(f"{reference} was managed at level 3.")
    page.get_by_role("button", name="Add the section").click()
    expect(page.locator("main")).to_contain_text("must be anonymised")
    page.get_by_label("Text", exact=True).fill("A man in his sixties was managed at level 3.")
    page.get_by_role("button", name="Add the section").click()
    expect(page.locator("main")).to_contain_text("A man in his sixties")

    page.get_by_role("link", name="Show them as published").click()
    expect(page.locator("main")).to_contain_text("as published")
    page.get_by_role("link", name="Record the Board's approval").click()
    page.get_by_label("Approved at the Board meeting of").select_option(index=1)
    page.get_by_role("button", name="Record the Board's approval").click()
    expect(page.locator("main")).to_contain_text("its figures are frozen")
    page.get_by_role("link", name="Publish the report").click()
    page.get_by_role("button", name="Publish the report").click()
    expect(page.locator("main")).to_contain_text(f"The {year} report is published.")
    assert AnnualReport.objects.get(year=year).status == "published"

    response = page.request.get(f"/kpi/annual-reports/{year}/report.pdf?version=published")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert "Introduction" in text and "A man in his sixties" in text
    assert "OFFICIAL-SENSITIVE" not in text and "not for publication" not in text.lower()
    assert not page.problems, page.problems
