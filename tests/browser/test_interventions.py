"""Intervention packages in a real browser: the case manager opens case 32's package with the
engagement record, adds a programme from the catalogue and chooses it with the person, refers
him, records the provider's acceptance and his agreement, logs the programme under way, and
agrees a review point that falls due today and is then recorded."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.demo.people import DEMOS
from cases.models import Nominal
from interventions.forms import intervention_label
from interventions.selectors import active_catalogue
from jmappa.accounts.models import User
from jmappa.core.forms import UserChoiceField

from .pages import fill_date
from .test_sign_in import sign_in

pytestmark = pytest.mark.journey

PROGRAMME = "Building Better Relationships"


def test_the_case_manager_builds_a_package_refers_and_reviews_it(page, live_server,
                                                                  demo_personas):
    today = timezone.localdate()
    nominal = Nominal.objects.get(pnc_number=next(d.pnc for d in DEMOS if d.ref == 32))
    programme = intervention_label(active_catalogue().get(name=PROGRAMME))
    officer = User.objects.get(username="probation.officer")
    sign_in(page, "probation.officer", demo_personas)
    page.goto(f"/cases/{nominal.pk}/")
    page.get_by_role("navigation", name="Case sections").get_by_role(
        "link", name="Interventions").click()
    expect(page.get_by_role("heading", level=2, name="Intervention package")).to_be_visible()
    page.get_by_role("link", name="Start an intervention package").click()
    fill_date(page, "Engagement meeting held on", today)
    page.get_by_label("Their rights and responsibilities").check()
    page.get_by_label("The confidentiality policy").check()
    page.get_by_label("The interventions the sentence of the court requires").fill(
        "Attendance at an accredited programme for domestic abuse.")
    page.get_by_label("Their needs, as they put them").fill("Work, and contact with his son.")
    page.get_by_role("button", name="Start the package").click()
    expect(page.locator("main")).to_contain_text("The package is started")

    page.get_by_role("link", name="Add an intervention").click()
    page.get_by_label("Intervention", exact=True).select_option(label=programme)
    page.get_by_label("The risk factors it addresses").fill("Violence towards a partner.")
    page.get_by_role("textbox", name=re.compile("^Advantages")).fill("Required by the order.")
    page.get_by_label("Disadvantages, as weighed with the person").fill("Six months long.")
    page.get_by_role("button", name="Add the intervention").click()
    expect(page.locator("main")).to_contain_text(f"{PROGRAMME} is added as an option.")

    step = f"step 1, {PROGRAMME}"
    page.get_by_role("link", name=f"Change {step}").click()
    page.get_by_label("Chosen with the person").check()
    page.get_by_label("Why the package changes").fill("He chose the evening group.")
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator("main")).to_contain_text("Chosen with the person")

    page.get_by_role("link", name=f"Refer {step}").click()
    fill_date(page, "Referred on", today)
    page.get_by_label("What was discussed with the provider").fill(
        "Its role, what he may gain, and how what he says is kept confidential.")
    page.get_by_label("The information given to the provider").fill("His offence and order.")
    page.get_by_role("button", name="Record the referral").click()
    expect(page.locator("main")).to_contain_text("The referral is recorded.")

    page.get_by_role("link", name=f"Record the provider's answer for {step}").click()
    fill_date(page, "The provider answered on", today)
    page.get_by_role("group", name="The provider is willing").get_by_label("Yes").check()
    page.get_by_role("group", name="The provider is able").get_by_label("Yes").check()
    page.get_by_label("The resources it needs").fill("A place in the Tuesday group.")
    page.get_by_label("The contribution agreed with the provider").fill(
        "The weekly group and a monthly progress report.")
    page.get_by_role("button", name="Record the answer").click()
    expect(page.locator("main")).to_contain_text("The provider accepts")

    page.get_by_role("link", name=f"Record the person's agreement to {step}").click()
    page.get_by_role("group", name="The person agrees").get_by_label("Yes").check()
    fill_date(page, "Asked on", today)
    page.get_by_role("button", name="Record it").click()
    expect(page.locator("main")).to_contain_text(f"The person agreed {today:%-d %B %Y}.")

    page.get_by_role("link", name=f"Log progress of {step}").click()
    fill_date(page, "Date", today)
    page.get_by_label("What happened, or what was said").fill("Attended the first session.")
    page.get_by_label("Under way").check()
    page.get_by_role("button", name="Add to the log").click()
    expect(page.locator("main")).to_contain_text("Attended the first session.")
    expect(page.locator("main")).to_contain_text(f"Started {today:%-d %B %Y}.")

    page.get_by_role("link", name="Agree a review point").click()
    fill_date(page, "Review by", today)
    page.get_by_label("What is reviewed").fill("How he has settled into the group.")
    page.get_by_label("Who makes it happen", exact=True).select_option(
        label=UserChoiceField().label_from_instance(officer))
    page.get_by_role("button", name="Add the review point").click()
    expect(page.locator("main")).to_contain_text(f"The review point of {today:%-d %B %Y}")

    page.get_by_role("link", name=f"Record the review due by {today:%-d %B %Y}").click()
    fill_date(page, "Reviewed on", today)
    page.get_by_label("What the review found and agreed").fill("Settled in; keep going.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator("main")).to_contain_text(f"Reviewed {today:%-d %B %Y}")
    assert not page.problems, page.problems
