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
    # The new case opens on its Summary; the title names it by its reference only.
    summary = page.get_by_role("navigation", name="Case sections").get_by_role("link",
                                                                               name="Summary")
    expect(summary).to_have_attribute("aria-current", "page")
    assert "Smyth" not in page.title() and "SMYTH" not in page.title()


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


SECTIONS = ["Summary", "Risk", "Team", "Meetings", "Plan", "History"]
WIDER_THAN_THE_PAGE = """() => [...document.querySelectorAll("body *")]
    .filter(e => !e.closest(".app-table-wrapper")
                 && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map(e => `${e.tagName}.${e.className}`)"""


def _crowded_case(coordinator, police):
    """A case with a long record: long words and texts, tables of every section."""
    from datetime import date

    from cases.models import RiskLevel
    from cases.services import (
        address_add,
        alias_add,
        deviation_record,
        nominal_set_level,
        risk_assessment_record,
        rosh_record,
        transfer_record,
    )

    nominal = make_nominal(actor=coordinator, given_names="Maximilian-Alexander",
                           family_name="Vautier-Le-Maistre-Dumaresq", lead_agency=police,
                           case_manager=coordinator,
                           index_offence="Grievous bodily harm with intent " * 8)
    for i in range(3):
        alias_add(nominal=nominal, actor=coordinator, name=f"Maximilian Vautier {i}",
                  kind="alias")
        address_add(nominal=nominal, actor=coordinator,
                    address=f"Flat {i}, Les Quennevais Apartments, La Route de la Haule",
                    postcode="JE3 8BA", is_current=i == 0, date_from=date(2020, 1, 1 + i))
        rosh_record(nominal=nominal, actor=coordinator, assessed_on=date(2025, 1, 1 + i),
                    overall=RiskLevel.HIGH, who_is_at_risk="Known adult: former partner",
                    nature_of_risk="Violence " * 20, imminence="Not imminent",
                    community_known_adult="high", custody_staff="medium")
        risk_assessment_record(nominal=nominal, actor=coordinator, tool="rm2000",
                               score="High", assessed_on=date(2024, 6, 1),
                               assessor="Detective Sergeant Anne-Marie Le Brocq",
                               agency=police)
        nominal_set_level(nominal=nominal, level="2", reason="Accepted at level 2 " * 6,
                          actor=coordinator)
        transfer_record(nominal=nominal, actor=coordinator, direction="in",
                        other_jurisdiction="England and Wales")
        deviation_record(nominal=nominal, actor=coordinator, what="Late meeting " * 10,
                         why="The minute-taker was on sick leave " * 4)
    return nominal


@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)])
def test_no_section_of_the_case_page_scrolls_sideways(page, live_server, police, width,
                                                      height):
    coordinator = make_user("coordinator", roles=[Role.COORDINATOR], agency=police,
                            first_name="Alice", last_name="Coordinator")
    nominal = _crowded_case(coordinator, police)
    sign_in(page, "coordinator", PASSWORD)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"/cases/{nominal.pk}/")
    links = page.get_by_role("navigation", name="Case sections").get_by_role("link")
    labels = links.all_inner_texts()
    assert all(label in labels for label in SECTIONS), labels
    for label in SECTIONS:
        page.get_by_role("navigation", name="Case sections").get_by_role(
            "link", name=label, exact=True).click()
        current = page.get_by_role("navigation", name="Case sections").get_by_role(
            "link", name=label, exact=True)
        expect(current).to_have_attribute("aria-current", "page")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        # What sticks out, for the message: never a table in its own scrolling box.
        wide = page.evaluate(WIDER_THAN_THE_PAGE)
        assert overflow <= 0, (f"{label} at {width} px scrolls sideways by {overflow} px",
                               wide[:10])
        assert nominal.reference in page.title() and "Vautier" not in page.title()
    assert not page.problems, page.problems


def test_coordinator_removes_a_record_at_its_retention_review_after_typing_its_reference(
        page, live_server, police):
    from cases.services import nominal_archive

    coordinator = make_user("coordinator", roles=[Role.COORDINATOR], agency=police)
    today = date.today()
    nominal = make_nominal(actor=coordinator, given_names="Elsie", family_name="Quennevais",
                           date_of_birth=today.replace(year=today.year - 101, day=1))
    nominal_archive(nominal=nominal, reason="Order ended", actor=coordinator)
    sign_in(page, "coordinator", PASSWORD)

    page.goto(f"/cases/{nominal.pk}/")
    expect(page.locator("main")).to_contain_text("due for its retention review")
    page.get_by_role("link", name="Remove the record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove the record")
    expect(page.get_by_role("region", name="Records removed with the case")).to_contain_text(
        "Status change")
    page.get_by_label("Why the record is removed").fill("Reviewed at 100: not needed")
    page.get_by_label("Type the case reference to confirm").fill("J0")
    page.get_by_role("button", name="Remove the record for good").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(nominal.reference)
    # Nothing typed was lost.
    expect(page.get_by_label("Why the record is removed")).to_have_value(
        "Reviewed at 100: not needed")

    page.get_by_label("Type the case reference to confirm").fill(nominal.reference)
    page.get_by_role("button", name="Remove the record for good").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention review")
    expect(page.locator("main")).to_contain_text(f"Record {nominal.reference} is removed")
    assert page.goto(f"/cases/{nominal.pk}/").status == 404
