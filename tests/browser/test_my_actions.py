"""My actions on a phone (390 px wide): each action's progress form is on the screen, the
page does not scroll sideways, and progress is logged there."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jmappa.accounts.models import AgencyKind, Role
from plans.models import ActionStatus, ActionType, PlanAction

from ..factories import PASSWORD, make_agency, make_nominal, make_user
from .test_sign_in import sign_in

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_my_actions_progress_form_is_on_screen_at_390_px(page):
    police = make_agency("States of Jersey Police", AgencyKind.POLICE)
    officer = make_user("police.officer", roles=[Role.PRACTITIONER], agency=police,
                        password=PASSWORD, email="police.officer@example.je")
    coordinator = make_user("coordinator", roles=[Role.COORDINATOR], agency=police)
    nominal = make_nominal(actor=coordinator, case_manager=officer)
    action = PlanAction.objects.create(
        nominal=nominal, description="Unannounced home visit within the month.",
        action_type=ActionType.EXTERNAL_CONTROL, owner_agency=police, owner=officer,
        due_date=timezone.localdate() - timedelta(days=3), created_by=coordinator)

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "police.officer", PASSWORD)
    page.goto("/actions/")
    row = page.locator(f"#row-{action.pk}")
    form = row.locator("form")
    form.scroll_into_view_if_needed()
    box = form.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    row.get_by_label("What was done").fill("Visited; nothing of concern.")
    row.get_by_label("New status").select_option(label="Done")
    row.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.locator(f"#row-{action.pk}")).to_contain_text("Saved:")
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
