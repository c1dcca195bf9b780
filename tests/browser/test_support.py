"""Support planning in a real browser: the case manager puts a case released ten days ago
under support planning, adds a member of the network, records the person's consent, holds
the first Support Planning Meeting within four weeks, agrees the safety plan at it, sends the
member their pack and reads it back from its PDF."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.demo.people import DEMOS
from cases.models import Nominal

from ..helpers import pdf_text
from .pages import fill_date
from .test_sign_in import sign_in

pytestmark = pytest.mark.journey


def test_the_case_manager_holds_a_support_planning_meeting_and_sends_a_members_pack(
        page, live_server, demo_personas):
    today = timezone.localdate()
    nominal = Nominal.objects.get(pnc_number=next(d.pnc for d in DEMOS if d.ref == 5))
    sign_in(page, "probation.officer", demo_personas)
    page.goto(f"/cases/{nominal.pk}/")
    page.get_by_role("navigation", name="Case sections").get_by_role(
        "link", name="Support").click()
    expect(page.get_by_role("heading", level=2, name="Support planning")).to_be_visible()
    page.get_by_role("link", name="Start support planning").click()
    page.get_by_label("Release from prison").check()
    fill_date(page, "Date of release or of the order's start", today - timedelta(days=10))
    page.get_by_role("button", name="Start support planning").click()
    expect(page.locator("main")).to_contain_text(
        f"The first meeting is due by {today + timedelta(days=18):%-d %B %Y}")

    page.get_by_role("link", name="Add a member of the network").click()
    page.get_by_label("Name").fill("Susan Le Brun")
    page.get_by_label("Relationship or role").fill("Sister")
    page.get_by_label("Practical role").fill("Drives him to appointments; phones each evening.")
    page.get_by_label("Phone").fill("07797 123456")
    page.get_by_label("May be sent the safety plan").check()
    page.get_by_role("button", name="Add to the network").click()
    expect(page.locator("main")).to_contain_text("Susan Le Brun is in the support network.")

    page.get_by_role("link", name="Record a signed consent").click()
    page.get_by_label("The information the person agreed to share").fill(
        "My safety plan and my warning signs.")
    fill_date(page, "Signed on", today)
    page.get_by_role("button", name="Record the consent").click()
    expect(page.locator("main")).to_contain_text("The consent is recorded.")

    page.get_by_role("link", name="Arrange a Support Planning Meeting").click()
    fill_date(page, "Date", today)
    page.get_by_label("Time").fill("09:00")
    page.get_by_role("button", name="Arrange the meeting").click()
    page.get_by_role("link", name="Record the meeting held").click()
    page.get_by_label("The person was at the meeting").check()
    page.get_by_label("Susan Le Brun").check()
    for label, text in [("Introductions", "Each said who they are to him."),
                        ("What risk means", "The chance he offends again."),
                        ("The specific risks", "Drinking alone; going online at night."),
                        ("Strategies to cope", "Phone his sister when lonely."),
                        ("Each person's commitment", "Each agreed their part."),
                        ("Where to from here", "Meet again in a month.")]:
        page.get_by_label(label).fill(text)
    page.get_by_label("Monthly").check()
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator("main")).to_contain_text("The record is saved.")
    page.get_by_role("link", name="Review the safety plan at this meeting").click()
    page.get_by_label("Strategies for an offence-free life").fill("Evenings with family.")
    page.get_by_label("Each supporter's part").fill("Susan phones him each evening.")
    page.get_by_role("button", name="Save the new version").click()
    expect(page.locator("main")).to_contain_text("Version 1 of the safety plan is saved.")

    page.get_by_role("link", name="Send the pack to Susan Le Brun").click()
    page.get_by_label("Handed over").check()
    fill_date(page, "Sent on", today)
    page.get_by_role("button", name="Send the pack").click()
    expect(page.locator("main")).to_contain_text("logged as sent")
    link = page.get_by_role("link", name=f"the pack sent to Susan Le Brun on {today:%-d %B %Y}")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert "Evenings with family." in text and "Susan phones him each evening." in text
    assert nominal.family_name not in text
    assert not page.problems, page.problems
