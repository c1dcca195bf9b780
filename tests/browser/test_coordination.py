"""Coordinated services plans in a real browser: the Co-ordinator records the panel met
today and its endorsement of case 8's plan, which commits the member agencies; the plan's
six-monthly review, overdue before, falls due six months from today."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.demo.people import DEMOS
from cases.models import Nominal
from jmappa.workdays import add_months

from .pages import fill_date
from .test_sign_in import sign_in

pytestmark = pytest.mark.journey


def test_the_panel_endorses_a_services_plan_and_its_six_monthly_review_falls_due(
        page, live_server, demo_personas):
    today = timezone.localdate()
    nominal = Nominal.objects.get(pnc_number=next(d.pnc for d in DEMOS if d.ref == 8))
    sign_in(page, "coordinator", demo_personas)
    page.goto(f"/cases/{nominal.pk}/")
    page.get_by_role("navigation", name="Case sections").get_by_role(
        "link", name="Services plan").click()
    expect(page.locator("main")).to_contain_text("Overdue")
    page.get_by_role("link", name="The multi-agency panel: members, meetings, providers").click()
    page.get_by_role("link", name="Arrange a panel meeting").click()
    fill_date(page, "Date", today)
    page.get_by_role("button", name="Arrange it").click()
    page.get_by_role("link", name=f"Record it held ({today:%-d %B %Y})").click()
    page.get_by_role("button", name="Record it held").click()
    expect(page.locator("main")).to_contain_text("recorded as held")

    page.goto(f"/cases/{nominal.pk}/services-plan/")
    page.get_by_role("link", name="Record the panel's endorsement").click()
    page.get_by_label("Endorsed at the panel of").select_option(label=f"{today:%-d %B %Y}")
    page.get_by_label("Assistant Chief Probation Officer").check()
    page.get_by_label("Superintendent, Public Protection").check()
    page.get_by_role("button", name="Record the endorsement").click()
    expect(page.locator("main")).to_contain_text(f"Endorsed at the panel of {today:%-d %B %Y}")
    expect(page.locator("main")).to_contain_text(
        f"Review due by {add_months(today, 6):%-d %B %Y}")
    assert not page.problems, page.problems
