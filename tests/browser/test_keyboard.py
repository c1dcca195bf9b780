"""The main forms, with the keyboard alone (keyboard.py): a referral, arranging its meeting,
the minutes, an action added to the plan, and progress logged from My actions. Every stop
shows the GOV.UK focus colour; each form is sent with Enter and does what it says."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting, Minutes, MinutesStatus
from plans.models import ActionStatus, PlanAction
from referrals.models import Referral, ReferralStatus

from .keyboard import Keyboard
from .test_sign_in import sign_in

pytestmark = pytest.mark.journey


def keyboard_on(page, path: str) -> Keyboard:
    page.goto(path)
    return Keyboard(page)


def fill_date(keys: Keyboard, legend: str, value) -> None:
    group = keys.page.get_by_role("group", name=legend)
    keys.type_into(group.get_by_label("Day"), str(value.day))
    keys.type_into(group.get_by_label("Month"), str(value.month))
    keys.type_into(group.get_by_label("Year"), str(value.year))


def test_a_referral_is_made_with_the_keyboard_alone(page, live_server, demo_personas):
    sign_in(page, "probation.officer", demo_personas)
    keys = keyboard_on(page, "/")
    keys.activate(page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Referrals"))
    keys.activate(page.get_by_role("link", name="New referral"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Refer a case to a level 2 or 3 meeting")

    subject = page.locator("#section-the-subject")
    keys.type_into(subject.get_by_label("Given names"), "Reginald")
    keys.type_into(subject.get_by_label("Family name"), "Quayle")
    group = subject.get_by_role("group", name="Date of birth")
    for part, value in (("Day", "14"), ("Month", "3"), ("Year", "1975")):
        keys.type_into(group.get_by_label(part), value)
    keys.type_into(subject.get_by_label("Address"), "4 Rue des Pres, St Saviour")
    keys.type_into(page.get_by_label(re.compile("^Conviction")), "Wounding with intent (2024)")
    keys.type_into(page.locator("#section-lead-agency-contact-details").get_by_label(
        re.compile("^Telephone")), "01534 441900")
    keys.type_into(page.get_by_label("Reasons for the referral"),
                   "Threats to kill a former partner since release; drinking again.")
    keys.type_into(page.get_by_label("Why the case cannot be managed at level 1"),
                   "Police, Probation and Housing must act together on the threats.")
    keys.type_into(page.get_by_label("Potential or actual victims"),
                   "Former partner, St Brelade.")
    keys.choose(page.get_by_label("Level 2"))
    keys.select(page.get_by_label("JMAPPA category"), "Category 2")
    row = page.locator("[data-agency-row]").first
    keys.select(row.get_by_label(re.compile("^Agency")), "States of Jersey Police")
    keys.type_into(row.get_by_label("Name of the person to invite"), "DS Jane Renouf")
    keys.type_into(row.get_by_label(re.compile("^Their email")), "j.renouf@police.je")
    keys.activate(page.get_by_role("button", name="Save and send to the Co-ordinator"))

    expect(page.locator("main")).to_contain_text("is sent to the JMAPPA Co-ordinator")
    referral = Referral.objects.get(family_name="Quayle")
    assert referral.status == ReferralStatus.SUBMITTED
    keys.assert_focus_always_visible()


def test_a_meeting_is_arranged_with_the_keyboard_alone(page, live_server, demo_personas):
    referral = Referral.objects.filter(status=ReferralStatus.ACCEPTED,
                                       meetings__isnull=True).order_by("pk").first()
    assert referral is not None, "the demo has an accepted referral awaiting its meeting"
    sign_in(page, "admin.officer", demo_personas)
    keys = keyboard_on(page, f"/referrals/{referral.pk}/")
    keys.activate(page.get_by_role("link", name="Arrange its meeting"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arrange")

    keys.choose(page.locator("#id_panel input[type=radio]").first)
    keys.select(page.get_by_label("Chair", exact=True), "Renouf")
    keys.activate(page.get_by_role("button", name="Arrange the meeting"))

    expect(page.get_by_role("heading", level=1)).to_contain_text("meeting")
    assert Meeting.objects.filter(referral=referral).exists()
    keys.assert_focus_always_visible()


def test_the_minutes_are_drafted_with_the_keyboard_alone(page, live_server, demo_personas):
    draft = Minutes.objects.filter(status=MinutesStatus.DRAFT).order_by("pk").first()
    assert draft is not None, "the demo has a meeting whose minutes are a draft"
    meeting = draft.meeting
    sign_in(page, "coordinator", demo_personas)
    keys = keyboard_on(page, f"/meetings/{meeting.pk}/minutes/")

    addition = "Seen in St Aubin twice this week, near her workplace."
    field = page.get_by_label("How imminent it is")
    keys.tab_to(field)
    page.keyboard.press("End")
    page.keyboard.insert_text(" " + addition)
    keys.activate(page.get_by_role("button", name="Save the draft"))

    expect(page.locator("main")).to_contain_text("are saved")
    draft.refresh_from_db()
    assert draft.imminence.endswith(addition)
    keys.assert_focus_always_visible()


def test_an_action_is_added_to_the_plan_with_the_keyboard_alone(page, live_server,
                                                                demo_personas):
    meeting = Meeting.objects.filter(minutes__status=MinutesStatus.FINAL).order_by("pk").first()
    nominal = meeting.nominal
    before = PlanAction.objects.filter(nominal=nominal).count()
    sign_in(page, "coordinator", demo_personas)
    keys = keyboard_on(page, f"/cases/{nominal.pk}/plan/")
    keys.activate(page.get_by_role("link", name="Add an action").first)

    keys.type_into(page.get_by_label("What will be done"),
                   "Check his licence address each week with Housing.")
    keys.select(page.get_by_label("Type of action"), "Monitoring")
    keys.select(page.get_by_label("Owning agency"), "Housing")
    fill_date(keys, "Completion date", timezone.localdate() + timedelta(days=21))
    keys.activate(page.get_by_role("button", name="Add the action"))

    expect(page.locator("main")).to_contain_text("Action added to the plan")
    assert PlanAction.objects.filter(nominal=nominal).count() == before + 1
    keys.assert_focus_always_visible()


def test_progress_is_logged_from_my_actions_with_the_keyboard_alone(page, live_server,
                                                                    demo_personas):
    action = PlanAction.objects.filter(owner__username="probation.officer",
                                       status=ActionStatus.OPEN).order_by("pk").first()
    assert action is not None, "the demo names the probation officer on an open action"
    sign_in(page, "probation.officer", demo_personas)
    keys = keyboard_on(page, "/")
    keys.activate(page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="My actions"))
    row = page.locator(f"#row-{action.pk}")

    keys.type_into(row.get_by_label("What was done"),
                   "Spoke to him at the office about the conditions.")
    keys.select(row.get_by_label("New status"), "In progress")
    keys.activate(row.get_by_role("button", name=re.compile("^Save")), key="Space")

    expect(page.locator(f"#row-{action.pk}")).to_contain_text("Saved:")
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    keys.assert_focus_always_visible()
