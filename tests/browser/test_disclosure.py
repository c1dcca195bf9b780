"""Disclosure in a real browser: a level 3 Chair records "disclose to employer", the senior
officer endorses it, the police officer records it made; a court's request for minutes is
logged, the Chair issues the Executive Summary, and its PDF is read back."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Level
from disclosure.models import (
    ContractBreach,
    Disclosure,
    DisclosureStatus,
    MinutesRequest,
    SummaryStatus,
    WorshipArrangement,
    WorshipStatus,
)
from jmappa.accounts.models import AgencyKind, Grade, Role
from meetings.models import Meeting, MeetingKind, MeetingStatus, Minutes, MinutesStatus

from ..factories import PASSWORD, make_agency, make_nominal, make_user
from ..helpers import pdf_text
from .test_sign_in import sign_in

pytestmark = pytest.mark.journey


def switch_to(page, username):
    page.context.clear_cookies()
    sign_in(page, username, PASSWORD)


def fill_date(page, label, day):
    group = page.get_by_role("group", name=label)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_chair_agrees_a_disclosure_it_is_endorsed_and_made_and_a_summary_is_issued(
        page, live_server, police, settings):
    probation = make_agency("Probation", AgencyKind.PROBATION)
    chair = make_user("coordinator", roles=[Role.COORDINATOR, Role.CHAIR], agency=police,
                      first_name="Alice", last_name="Chair")
    officer = make_user("police.officer", roles=[Role.PRACTITIONER], agency=police,
                        first_name="Paul", last_name="Constable")
    make_user("acc.police", roles=[Role.PRACTITIONER], agency=police, grade=Grade.EXECUTIVE,
              first_name="Helen", last_name="Du Feu", job_title="Assistant Chief Constable")
    nominal = make_nominal(actor=chair, case_manager=officer, level=Level.THREE,
                           level_reason="Level 3", given_names="Terence",
                           family_name="Le Marquand")
    assert probation.pk
    held = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=2),
                                                time(10)))
    meeting = Meeting.objects.create(nominal=nominal, kind=MeetingKind.LEVEL_3,
                                     starts_at=held, chair=chair, status=MeetingStatus.HELD,
                                     created_by=chair)
    Minutes.objects.create(meeting=meeting, status=MinutesStatus.FINAL, drafted_by=chair,
                           finalised_by=chair, finalised_at=held, rosh_overall="high",
                           level_decision="3", disclosure_considered=True,
                           disclosure_decision="disclose",
                           disclosure_reasons="His employer must know.")

    sign_in(page, "coordinator", PASSWORD)
    page.goto(f"/cases/{nominal.pk}/disclosures/")
    page.get_by_role("link", name="Record a disclosure the meeting agreed").click()
    page.goto(page.url + f"?meeting={meeting.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Record a disclosure the meeting agreed")
    page.get_by_label("Recipient's name").fill("Gerald Pallot")
    page.get_by_label("Kind of recipient").select_option(label="Employer")
    page.get_by_label("Role or organisation").fill("Manager, a garden centre")
    page.get_by_label("Grooming behaviours may take place (clubs, churches, employment)").check()
    page.get_by_label("Risk to the offender").fill("Low.")
    page.get_by_label("The recipient is correctly identified").fill("Confirmed in person.")
    page.get_by_label("Alternatives considered and why they were rejected").fill(
        "A licence condition alone: rejected, he meets families at work.")
    page.get_by_label("Consents to the disclosure").check()
    page.get_by_label("Key triggers").fill("If he is alone with a child, call the police.")
    page.get_by_role("group", name="Is the offender told of the disclosure?").get_by_label(
        "Yes").check()
    fill_date(page, "To be carried out by", timezone.localdate() + timedelta(days=5))
    page.get_by_label("Senior officer to endorse it", exact=True).select_option(
        label="Helen Du Feu (States of Jersey Police)")
    page.get_by_role("button", name="Record and ask for endorsement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Disclosure to employer")
    disclosure = Disclosure.objects.get()
    assert disclosure.meeting == meeting and disclosure.status == DisclosureStatus.AGREED

    switch_to(page, "acc.police")
    page.goto(f"/disclosures/{disclosure.pk}/")
    page.get_by_role("link", name="Endorse or refuse").click()
    page.get_by_label("Endorse the disclosure").check()
    page.get_by_label("Reasons").fill("Necessary and proportionate.")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.locator("main")).to_contain_text("Disclosure endorsed")

    switch_to(page, "police.officer")
    page.goto(f"/disclosures/{disclosure.pk}/")
    page.get_by_role("link", name="Record the disclosure made").click()
    page.get_by_role("group", name="Carried out by").get_by_label("Police").check()
    fill_date(page, "Date of the disclosure", timezone.localdate())
    page.get_by_label("In person").check()
    page.get_by_label("What was said").fill("His licence conditions and what to look for.")
    page.get_by_label("The recipient's acknowledgement").fill("Tells only his deputy.")
    page.get_by_role("button", name="Record the disclosure").click()
    expect(page.locator("main")).to_contain_text("recorded as made")
    assert Disclosure.objects.get().status == DisclosureStatus.DISCLOSED

    # A court asks the police officer for the minutes.
    page.goto(f"/cases/{nominal.pk}/minutes-requests/new/")
    page.get_by_label("Court").check()
    page.get_by_label("Name of the requester").fill("The Royal Court")
    fill_date(page, "Received on", timezone.localdate())
    page.get_by_label("Chair it is referred to", exact=True).select_option(
        label="Alice Chair (States of Jersey Police)")
    page.get_by_label("What is asked for").fill("The minutes, for sentencing.")
    page.get_by_role("button", name="Log the request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request for minutes")
    request_ = MinutesRequest.objects.get()

    switch_to(page, "coordinator")
    page.goto(f"/minutes-requests/{request_.pk}/")
    page.get_by_role("button", name="Draft the Executive Summary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Minutes Executive Summary")
    page.get_by_label("I have checked").check()
    page.get_by_role("button", name="Save and finalise").click()
    expect(page.locator("main")).to_contain_text("The Executive Summary is final.")
    page.get_by_role("link", name="Issue the summary").click()
    page.get_by_label("Issued to").fill("The Judicial Greffe, by secure email")
    page.get_by_role("button", name="Record it as issued").click()
    expect(page.locator("main")).to_contain_text("recorded as issued")
    assert request_.summary.__class__.objects.get().status == SummaryStatus.ISSUED

    response = page.request.get(f"/minutes-requests/{request_.pk}/summary.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert settings.PROTECTIVE_MARKING in text and "Le Marquand" in text
    assert "Issued to The Judicial Greffe" in text
    assert "Pallot" not in text
    # The favicon's request is cut short when a page is left quickly: not a page's fault.
    problems = [problem for problem in page.problems if "favicon" not in problem]
    assert not problems, problems


def test_a_case_manager_records_worship_the_contract_signed_and_a_breach_reported(
        page, live_server, police, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = make_user("probation.officer", roles=[Role.PRACTITIONER], agency=police,
                        first_name="Polly", last_name="Officer")
    coordinator = make_user("coordinator", roles=[Role.COORDINATOR, Role.CHAIR], agency=police)
    nominal = make_nominal(actor=coordinator, case_manager=officer, level=Level.TWO,
                           level_reason="Level 2", given_names="Terence",
                           family_name="Le Marquand")
    signed_copy = tmp_path / "signed-contract.pdf"
    signed_copy.write_bytes(b"%PDF-1.4 the signed contract")

    sign_in(page, "probation.officer", PASSWORD)
    page.goto(f"/cases/{nominal.pk}/disclosures/")
    page.get_by_role("link", name="Record a wish to attend a place of worship").click()
    page.get_by_label("Place of worship").fill("St Aubin's Chapel")
    page.get_by_label("Religious leader", exact=True).fill("Pastor Nathan Gallichan")
    page.get_by_label("A registered sex offender whose offences were against children").check()
    page.get_by_label("The case manager's assessment of the risk").fill(
        "Families with young children attend the morning service.")
    page.get_by_role("group", name=re.compile("^Was the need to protect")).get_by_label(
        "Yes").check()
    page.get_by_label("The discussion with the offender").fill(
        "He knows the pastor will be told and that he must sign a contract.")
    page.get_by_role("button", name="Record the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Attendance at St Aubin's Chapel")
    arrangement = WorshipArrangement.objects.get()

    page.get_by_role("link", name="Change the assessment or the contract").click()
    terms = page.get_by_label("The contract's terms")
    terms.fill(terms.input_value().replace("[day and time of each service]",
                                           "the 6.30pm Sunday service"))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("the 6.30pm Sunday service")
    # Each term of the specimen stays its own numbered term after the browser's edit.
    expect(page.locator("main ol.govuk-list--number > li")).to_have_count(6)

    response = page.request.get(f"/worship/{arrangement.pk}/contract.pdf")
    assert response.status == 200
    text = pdf_text(response.body())
    assert "the 6.30pm Sunday service" in text and "Offender's signature" in text

    page.get_by_role("link", name="Record the contract signed").click()
    fill_date(page, "Date signed", timezone.localdate())
    page.get_by_label("Scan of the signed contract").set_input_files(str(signed_copy))
    page.get_by_role("button", name="Record the signed contract").click()
    expect(page.locator("main")).to_contain_text("The signed contract is recorded.")
    assert WorshipArrangement.objects.get().status == WorshipStatus.SIGNED

    page.get_by_role("link", name="Record a breach").click()
    fill_date(page, "Date of the breach", timezone.localdate())
    page.get_by_label("Who reported it").fill("The pastor")
    page.get_by_label("What happened").fill("He went into the crèche after the service.")
    page.get_by_role("button", name="Record the breach").click()
    expect(page.locator("main")).to_contain_text("awaits the action taken")
    breach = ContractBreach.objects.get()

    page.get_by_role("link", name=re.compile("^Record the action")).click()
    page.get_by_label("The action taken").fill("The pastor prohibited attendance.")
    page.get_by_role("button", name="Record the action").click()
    expect(page.locator("main")).to_contain_text("The pastor prohibited attendance.")
    breach.refresh_from_db()
    assert breach.action_at is not None
    assert not page.problems, page.problems
