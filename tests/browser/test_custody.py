"""Custody and joined-up planning in a real browser: the case manager records a sentence (the
Prison Offender Manager leads, Planning Meeting 1 falls due), builds the joined-up team, holds
Planning Meeting 1 and updates the team actions log; after release a breach leads to a recall
and the lead is the Probation Practitioner's, on recall."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.demo.people import DEMOS
from cases.models import Nominal

from .pages import fill_date
from .test_sign_in import sign_in

pytestmark = pytest.mark.journey


def test_a_sentence_a_planning_meeting_the_actions_log_and_a_recall(
        page, live_server, demo_personas):
    today = timezone.localdate()
    nominal = Nominal.objects.get(pnc_number=next(d.pnc for d in DEMOS if d.ref == 7))
    sign_in(page, "probation.officer", demo_personas)
    page.goto(f"/cases/{nominal.pk}/")
    page.get_by_role("navigation", name="Case sections").get_by_role(
        "link", name="Custody").click()
    expect(page.get_by_role("heading", level=2, name="Custody and release")).to_be_visible()

    page.get_by_role("link", name="Record a sentence, remand or recall").click()
    page.get_by_label("Determinate sentence").check()
    page.get_by_label("Length in months").fill("60")
    fill_date(page, "Date of sentence (or of remand or recall)", today - timedelta(days=80))
    fill_date(page, "Earliest release date", today + timedelta(days=700))
    page.get_by_label("Prison or hospital").fill("HMP La Moye")
    page.get_by_role("button", name="Record the sentence").click()
    expect(page.locator("main")).to_contain_text(
        "The joined-up team is led by the Prison Offender Manager (more than 10 months left "
        "to serve).")

    for role, name in [("Prison Offender Manager", "Sarah Le Brocq"),
                       ("Care Experience Specialist", "Amy Renouf")]:
        page.get_by_role("link", name="Add a member of the team").click()
        page.get_by_label(role, exact=True).check()
        page.get_by_role("textbox", name="Name").fill(name)
        page.get_by_role("button", name="Add to the team").click()
        expect(page.locator("main")).to_contain_text(f"The {role} is in the joined-up team.")

    # Ten weeks after sentencing: Planning Meeting 1 is due (the rule the alerts use).
    due = f"Joined-up Planning Meeting 1 by {today - timedelta(days=10):%-d %B %Y} Overdue"
    expect(page.locator("main")).to_contain_text(due)

    page.get_by_role("link", name="Arrange a meeting of the team").click()
    page.get_by_label("Joined-up Planning Meeting 1").check()
    fill_date(page, "Date", today)
    page.get_by_label("By video call").check()
    page.get_by_role("button", name="Arrange the meeting").click()
    expect(page.locator("main")).to_contain_text("is arranged")
    page.get_by_role("link", name=f"Joined-up Planning Meeting 1, {today:%-d %B %Y}").click()
    page.get_by_role("link", name="Record the meeting").click()
    page.get_by_label("Sarah Le Brocq, Prison Offender Manager").check()
    page.get_by_label("Amy Renouf, Care Experience Specialist").check()
    page.get_by_label("The information the team shared").fill("His care journey; the offence.")
    page.get_by_label("The approach and the agenda agreed").fill("Meet him after education.")
    page.get_by_label("Next steps, actions").fill("Planning Meeting 2 within the month.")
    page.get_by_label("The meeting was held: make the record final").check()
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator("main")).to_contain_text("The meeting is recorded as held.")
    expect(page.locator("main")).not_to_contain_text("Joined-up Planning Meeting 1 by")

    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Action", exact=True).fill("Apply for the plumbing course.")
    page.get_by_label("The person themselves completes it").check()
    fill_date(page, "To be completed by", today + timedelta(days=14))
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator("main")).to_contain_text("The action is in the team actions log.")
    page.get_by_role("link", name=f"Update the action due "
                                   f"{today + timedelta(days=14):%-d %B %Y}").click()
    page.get_by_label("Progress, or what the meeting decided").fill("Form sent to education.")
    fill_date(page, "Completed on", today)
    page.get_by_role("button", name="Save the update").click()
    expect(page.locator("main")).to_contain_text("Form sent to education.")

    page.get_by_role("link", name="Record a custody event").click()
    page.get_by_label("Released from custody").check()
    fill_date(page, "Date", today)
    page.get_by_role("button", name="Record the event").click()
    expect(page.locator("main")).to_contain_text("In the community")

    page.get_by_role("link", name="Record a breach or non-compliance").click()
    fill_date(page, "When it happened", today)
    page.get_by_label("What happened").fill("Stayed away from the approved address overnight.")
    page.get_by_label("Who reported it").fill("Approved premises staff")
    page.get_by_label("Recall requested").check()
    fill_date(page, "Action taken on", today)
    page.get_by_role("button", name="Record the breach").click()
    expect(page.locator("main")).to_contain_text("Recall not yet decided")
    page.get_by_role("link", name="Record the recall decision").click()
    page.get_by_label("Yes, recalled").check()
    page.get_by_label("The reasons for the decision").fill("The risk cannot be managed now.")
    page.get_by_label("What led to the recall").fill("He lost his room and his job.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("main")).to_contain_text(
        "The recall is recorded: the Probation Practitioner leads the joined-up team.")
    expect(page.locator("main")).to_contain_text("The Probation Practitioner (on recall)")
    expect(page.locator("main")).to_contain_text("In custody")
    assert not page.problems, page.problems
