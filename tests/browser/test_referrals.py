"""Referrals in a real browser: a probation officer sends one, the Co-ordinator accepts it,
and the referral prints with its protective marking."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from jmappa.accounts.models import AgencyKind, Role
from referrals.models import Referral, ReferralStatus

from ..factories import PASSWORD, make_agency, make_user
from ..helpers import pdf_text
from .pages import fill_date, navigation, sign_out
from .test_sign_in import sign_in

pytestmark = pytest.mark.journey


def test_probation_officer_refers_a_case_and_the_coordinator_accepts_it(page, live_server,
                                                                       police, housing):
    probation = make_agency("Probation and After-Care Service", AgencyKind.PROBATION,
                            address="Probation HQ, Lemprière Street, St Helier")
    make_user("probation.officer", roles=[Role.PRACTITIONER], agency=probation,
              first_name="Polly", last_name="Officer", email="polly.officer@probation.je")
    make_user("coordinator", roles=[Role.COORDINATOR], agency=police,
              first_name="Alice", last_name="Coordinator")

    sign_in(page, "probation.officer", PASSWORD)
    navigation(page).get_by_role("link", name="Referrals").click()
    page.get_by_role("link", name="New referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Refer a case to a level 2 or 3 meeting")
    # The lead agency's contact details start from the officer and their agency.
    expect(page.get_by_label("Contact's name")).to_have_value("Polly Officer")
    expect(page.get_by_label(re.compile("^Email address"))).to_have_value(
        "polly.officer@probation.je")

    subject = page.locator("#section-the-subject")
    subject.get_by_label("Given names").fill("Reginald")
    subject.get_by_label("Family name").fill("Quayle")
    fill_date(subject, "Date of birth", date(1975, 3, 14))
    subject.get_by_label("Address").fill("4 Rue des Pres, St Saviour")
    page.get_by_label(re.compile("^Conviction")).fill("Wounding with intent (2024)")
    page.locator("#section-lead-agency-contact-details").get_by_label(re.compile("^Telephone")).fill(
        "01534 441900")
    page.get_by_label("Reasons for the referral").fill(
        "Threats to kill a former partner since release; drinking again.")
    page.get_by_label("Why the case cannot be managed at level 1").fill(
        "Police, Probation and Housing must act together on the threats.")
    page.get_by_label("Potential or actual victims").fill("Former partner, St Brelade.")
    page.get_by_label("Level 2").check()
    page.get_by_label("JMAPPA category").select_option(
        label="Category 2: violent and other sexual offender")

    rows = page.locator("[data-agency-row]")
    expect(rows).to_have_count(1)
    first = rows.nth(0)
    first.get_by_label(re.compile("^Agency")).select_option(label="States of Jersey Police")
    first.get_by_label("Name of the person to invite").fill("DS Jane Renouf")
    first.get_by_label(re.compile("^Their email")).fill("j.renouf@police.je")
    page.get_by_role("button", name="Add another agency").click()
    expect(rows).to_have_count(2)
    second = rows.nth(1)
    expect(second.get_by_role("heading")).to_have_text("Agency 2")
    second.get_by_label(re.compile("^Agency")).select_option(label="Housing")
    second.get_by_label("Name of the person to invite").fill("Hugh Le Marquand")
    second.get_by_label(re.compile("^Their telephone")).fill("01534 445500")

    page.get_by_role("button", name="Save and send to the Co-ordinator").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("QUAYLE, Reginald")
    expect(page.locator("main")).to_contain_text("is sent to the JMAPPA Co-ordinator")
    expect(page.locator("main")).to_contain_text("Awaiting screening")
    referral = Referral.objects.get(family_name="Quayle")
    assert [row.contact_name for row in referral.agencies.order_by("id")] == [
        "DS Jane Renouf", "Hugh Le Marquand"]
    assert referral.status == ReferralStatus.SUBMITTED

    sign_out(page)
    sign_in(page, "coordinator", PASSWORD)
    navigation(page).get_by_role("link", name=re.compile(
        "^Screening")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals to screen")
    page.get_by_role("link", name=f"Screen {referral.reference}").click()
    page.get_by_role("link", name="Accept for level 2 or 3").click()
    page.get_by_label("Level 2").check()
    expect(page.get_by_label("Category 2: violent and other sexual offender")).to_be_checked()
    page.get_by_label("Note for the referrer").fill("Meeting on the next level 2 day.")
    page.get_by_role("button", name="Accept the referral").click()

    # Straight on to arranging its meeting.
    expect(page.get_by_role("heading", level=1)).to_have_text("Arrange a meeting")
    expect(page.locator("main")).to_contain_text(
        f"{referral.reference} accepted for a Level 2 meeting")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.nominal is not None

    page.goto(f"/referrals/{referral.pk}/")
    expect(page.get_by_role("link", name="Print (PDF)")).to_be_visible()
    response = page.request.get(f"/referrals/{referral.pk}/pdf/")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert "QUAYLE" in text.upper() and "Reginald" in text
    assert "OFFICIAL-SENSITIVE" in text
