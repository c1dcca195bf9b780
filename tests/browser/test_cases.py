"""The case register, in a real browser: recording a case, and need-to-know."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from jmappa.accounts.models import Role

from ..factories import PASSWORD, make_nominal, make_user
from .pages import fill_date
from .test_sign_in import sign_in

pytestmark = pytest.mark.journey


def test_coordinator_records_a_case_after_the_duplicate_warning(page, live_server, police):
    coordinator = make_user("coordinator", roles=[Role.COORDINATOR], agency=police)
    existing = make_nominal(actor=coordinator, given_names="Jonathan", family_name="Smith",
                            date_of_birth=date(1980, 1, 1))
    sign_in(page, "coordinator", PASSWORD)

    page.goto("/cases/")
    page.get_by_role("link", name="New case").click()
    page.get_by_label("Given names").fill("Jonathon")
    page.get_by_label("Family name").fill("Smyth")
    fill_date(page, "Date of birth", date(1980, 1, 1))
    page.get_by_role("button", name="Save").last.click()

    warning = page.locator("#duplicates")
    expect(warning).to_contain_text("This may be a person already on the register")
    expect(warning).to_contain_text(existing.reference)
    # Nothing typed was lost.
    expect(page.get_by_label("Family name")).to_have_value("Smyth")

    page.get_by_label("This is a different person: save anyway").check()
    warning.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("SMYTH, Jonathon")
    expect(page.locator("main")).to_contain_text("Not yet known")


def test_practitioner_finds_their_case_by_alias_and_cannot_open_another(
    page, live_server, police, housing
):
    coordinator = make_user("coordinator", roles=[Role.COORDINATOR], agency=police)
    officer = make_user("officer", roles=[Role.PRACTITIONER], agency=police)
    theirs = make_nominal(actor=coordinator, given_names="Darren", family_name="Le Vraicquet",
                          lead_agency=police, case_manager=officer)
    from cases.services import alias_add

    alias_add(nominal=theirs, actor=coordinator, name="Daz Vraicq", kind="nickname")
    other = make_nominal(actor=coordinator, given_names="Kevin", family_name="Mielbrun")
    sign_in(page, "officer", PASSWORD)

    page.goto("/cases/")
    page.get_by_label("Name, alias or number").fill("Daz Vraik")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name=re.compile("LE VRAICQUET")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("LE VRAICQUET, Darren")

    # Another case answers "not found", exactly as if it did not exist.
    page.problems.clear()
    response = page.goto(f"/cases/{other.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.problems.clear()
