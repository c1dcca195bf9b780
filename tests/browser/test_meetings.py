"""A meeting in a real browser, from an accepted referral to the probation officer's
progress on an action: the Administrator arranges it and records who came, drafts the
minutes with the Risk Management Plan; the Chair finalises them; the officer logs progress
from "My actions" without leaving the page; the minutes print with their marking."""

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from jmappa.accounts.models import AgencyKind, Grade, Role
from jmappa.workdays import add_working_days
from meetings import services as meeting_services
from meetings.models import Meeting, MeetingStatus, MinutesStatus
from plans.models import ActionStatus, ActionType, PlanAction
from referrals import services as referral_services

from ..factories import PASSWORD, make_agency, make_referral, make_user
from ..helpers import pdf_text
from .pages import fill_date, navigation, sign_out
from .test_sign_in import sign_in

pytestmark = pytest.mark.journey

VICTIM_ACTION = ("Tell the former partner, through the Victim Liaison Officer, of his "
                 "release address and licence conditions within two days.")
CONTINGENCY_ACTION = ("If he goes near the former partner's home: recall to custody the "
                      "same day, with the police told at once.")


def choose(select, text):
    """Select the option whose label contains `text`."""
    select.select_option(select.locator("option", has_text=text).first.get_attribute("value"))


@pytest.fixture
def clock(monkeypatch):
    """The server's clock, moved on to the day of the meeting: the same process serves the
    live server, so every `timezone.now()` (and `localdate()`) of the application follows."""
    real_now = timezone.now

    class Clock:
        offset = timedelta(0)

        def move_to(self, moment):
            self.offset = moment - real_now()

    moved = Clock()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + moved.offset)
    return moved


def test_administrator_arranges_and_minutes_a_meeting_and_the_officer_logs_progress(
    page, live_server, police, clock,
):
    probation = make_agency("Jersey Probation and After-Care Service", AgencyKind.PROBATION)
    officer = make_user("probation.officer", roles=[Role.PRACTITIONER], agency=probation,
                        first_name="Tom", last_name="Gallichan",
                        email="probation.officer@example.je")
    chair = make_user("coordinator", roles=[Role.COORDINATOR, Role.CHAIR], agency=police,
                      grade=Grade.MIDDLE_MANAGER, first_name="Jane", last_name="Renouf",
                      email="coordinator@example.je")
    admin = make_user("admin.officer", roles=[Role.ADMINISTRATOR], agency=police,
                      first_name="Paul", last_name="Le Brocq", email="admin.officer@example.je")
    referral = make_referral(officer, given_names="Reginald", family_name="Quayle",
                             agencies=[{"agency": probation, "contact_name": "Tom Gallichan",
                                        "contact_email": officer.email}])
    referral = referral_services.referral_accept(
        referral=referral, actor=chair, level="2", category="2", create_new=True,
        note="Level 2 meeting on the next panel date.")
    nominal = referral.nominal
    day = add_working_days(timezone.localdate(), 2)
    panel = meeting_services.panel_date_add(
        level="2", starts_at=meeting_services.local_datetime(day, time(10)), actor=admin,
        location="Conference room, Police Headquarters")

    # The Administrator arranges the meeting from the referral.
    sign_in(page, "admin.officer", PASSWORD)
    page.goto(f"/referrals/{referral.pk}/")
    page.get_by_role("link", name="Arrange its meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arrange")
    page.locator(f"#id_panel input[value='{panel.pk}']").check()
    # The person picker's filter box has its own label.
    page.get_by_label("Filter chair").fill("Renouf")
    choose(page.get_by_label("Chair", exact=True), "Renouf")
    page.get_by_role("button", name="Arrange the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Level 2 meeting")
    meeting = Meeting.objects.get(referral=referral)
    assert meeting.panel == panel and meeting.chair == chair
    invitations = page.locator("section[aria-labelledby=h-invitations]")
    expect(invitations).to_contain_text("Tom Gallichan")
    expect(invitations).to_contain_text("Referrer")

    # Before the day, the meeting page says when recording the attendance opens.
    expect(page.locator("#attendance-opens")).to_contain_text("opens on the day of the meeting")
    expect(page.get_by_role("link", name="Record attendance")).to_have_count(0)

    # The day of the meeting: the Administrator records who came, from the meeting page.
    clock.move_to(meeting_services.local_datetime(day, time(15)))
    sign_in(page, "admin.officer", PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Record attendance").click()
    page.get_by_label(f"How {probation} attended").select_option(label="In person")
    choose(page.get_by_label(f"Who attended for {probation}", exact=True), "Gallichan")
    page.get_by_label(f"How {police} attended").select_option(label="In person")
    choose(page.get_by_label(f"Who attended for {police}", exact=True), "Renouf")
    page.get_by_role("button", name=re.compile("^Save the attendance")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Held")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.minutes_due_by

    # The minutes: the structured draft, then the plan's actions.
    page.get_by_role("link", name="Minutes", exact=True).click()
    page.get_by_role("button", name="Start the minutes").click()
    page.get_by_label("The confidentiality statement was read to the meeting").check()
    page.get_by_label("Overall risk of serious harm").select_option(label="High")
    page.get_by_label("Who is at risk").fill("His former partner, St Brelade.")
    page.get_by_label("The nature of the harm").fill("Serious physical harm.")
    page.get_by_label("How imminent it is").fill("High since his release.")
    page.locator("#section-information").get_by_label("Agency").first.select_option(
        label=str(probation))
    page.locator("#section-information").get_by_label("Information shared").first.fill(
        "Released on licence a month ago; has twice gone near her home.")
    page.get_by_label("Level 2", exact=True).check()
    ongoing = page.get_by_role("group", name=re.compile("require ongoing JMAPPA management"))
    ongoing.get_by_label("Yes").check()
    page.get_by_label("What will be achieved at this level, and the actions needed").fill(
        "Police and Probation share every sighting; the licence conditions protect her.")
    page.get_by_label("Discharge from JMAPPA was considered").check()
    page.get_by_label("What the meeting concluded").fill("Too early: he was released a month ago.")
    page.get_by_label("Third-party disclosure was considered").check()
    page.get_by_label("Do not disclose").check()
    page.get_by_label("Reasons for the decision").fill(
        "She knows his history: she is the victim. No new partner is known.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("main")).to_contain_text("The draft minutes (version 1) are saved")

    for link, kind, description, owner in [
        ("add a victim protection action", ActionType.VICTIM_PROTECTION, VICTIM_ACTION,
         "Gallichan"),
        ("add a contingency action", ActionType.CONTINGENCY, CONTINGENCY_ACTION, None),
    ]:
        # The plan's action form comes into the minutes page, and is sent from it.
        page.get_by_role("link", name=link).click()
        expect(page.get_by_label("Type of action")).to_have_value(kind)
        page.get_by_label("What will be done").fill(description)
        page.get_by_label("Owning agency").select_option(label=str(probation))
        if owner:
            choose(page.get_by_label("Named owner (optional)", exact=True), owner)
        fill_date(page, "Completion date", day + timedelta(days=14))
        page.get_by_role("button", name="Add the action").click()
        expect(page.locator("#plan-table")).to_contain_text(description)
        expect(page.get_by_role("button", name="Add the action")).to_have_count(0)
        assert page.url.endswith(f"/meetings/{meeting.pk}/minutes/")
    actions = PlanAction.objects.filter(nominal=nominal, meeting=meeting)
    assert set(actions.values_list("action_type", flat=True)) == {
        ActionType.VICTIM_PROTECTION, ActionType.CONTINGENCY}
    victim = actions.get(action_type=ActionType.VICTIM_PROTECTION)
    assert victim.owner == officer and victim.owner_agency == probation

    page.goto(f"/meetings/{meeting.pk}/minutes/")
    plan = page.locator("#plan")
    expect(plan).to_contain_text(VICTIM_ACTION)
    expect(plan).to_contain_text(CONTINGENCY_ACTION)
    # The Administrator drafts; only the Chair finalises.
    expect(page.get_by_role("button", name="Save and finalise")).to_have_count(0)
    sign_out(page)

    # The Chair finalises.
    sign_in(page, "coordinator", PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    page.get_by_role("button", name="Save and finalise").click()
    expect(page.locator("main")).to_contain_text("The minutes are final (version 1)")
    final = meeting.minutes.get()
    assert final.status == MinutesStatus.FINAL and final.finalised_by == chair
    sign_out(page)

    # The probation officer logs progress on their action from "My actions".
    sign_in(page, "probation.officer", PASSWORD)
    navigation(page).get_by_role("link", name="My actions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    row = page.locator(f"#row-{victim.pk}")
    expect(row).to_contain_text("Named to you")
    expect(row).to_contain_text("Open")
    url = page.url
    page.evaluate("window.notReloaded = true")
    row.get_by_label("What was done").fill(
        "Victim Liaison Officer told her of the address and the conditions by telephone.")
    row.get_by_label("New status").select_option(label="Done")
    row.get_by_role("button", name=re.compile("^Save")).click()
    row = page.locator(f"#row-{victim.pk}")
    expect(row).to_contain_text("Saved:")
    expect(row).to_contain_text("Done")
    expect(row).to_contain_text("it leaves your list")
    assert page.url == url
    assert page.evaluate("window.notReloaded === true"), "the page was reloaded"
    victim.refresh_from_db()
    assert victim.status == ActionStatus.DONE
    assert victim.progress.get().recorded_by == officer

    # The minutes print, marked OFFICIAL-SENSITIVE, with the plan.
    response = page.request.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    flat = pdf_text(response.body())
    assert "OFFICIAL-SENSITIVE" in flat
    assert "Victim Liaison Officer, of his release address" in flat
    assert "recall to custody the same day" in flat
