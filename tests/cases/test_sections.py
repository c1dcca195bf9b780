"""The case page in sections under one sub-navigation (cases.sections): each its own URL,
the case's own URL its Summary, 404 outside the case; the History in words."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from cases.models import CustodyStatus, RiskLevel
from cases.services import nominal_archive, nominal_update, rosh_record
from tests.factories import make_nominal
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

SECTIONS = ["cases:detail", "cases:risk", "cases:team", "meetings:case", "plans:case",
            "cases:history"]


def url(name, nominal):
    return reverse(name, args=[nominal.pk])


def sub_navigation(content: str) -> list[tuple[str, bool]]:
    """The sub-navigation's items: (label, whether it is the current page)."""
    nav = re.search(r'<nav class="moj-sub-navigation".*?</nav>', content, re.S).group(0)
    return [(label, "aria-current" in attrs) for attrs, label in
            re.findall(r'<a class="moj-sub-navigation__link"([^>]*)>([^<]+)</a>', nav)]


def test_the_case_page_is_in_sections_under_one_sub_navigation(coordinator_client,
                                                                 coordinator):
    nominal = make_nominal(actor=coordinator)
    for name in SECTIONS:
        response = coordinator_client.get(url(name, nominal))
        assert response.status_code == 200, name
        items = sub_navigation(response.content.decode())
        labels = [label for label, _ in items]
        # Disclosures and Documents come with their own apps; these are always there.
        for expected in ["Summary", "Risk", "Team", "Meetings", "Plan", "History"]:
            assert expected in labels, (name, labels)
        assert labels.index("Summary") < labels.index("Risk") < labels.index("Team") \
            < labels.index("Meetings") < labels.index("Plan") < labels.index("History")
        current = [label for label, is_current in items if is_current]
        assert len(current) == 1, (name, current)


def test_the_case_address_shows_the_summary(coordinator_client, coordinator):
    nominal = make_nominal(actor=coordinator)
    content = coordinator_client.get(f"/cases/{nominal.pk}/").content.decode()
    assert ("Summary", True) in sub_navigation(content)
    assert "At a glance</h2>" in content and "Identity and aliases</h2>" in content


@pytest.mark.parametrize("name", SECTIONS)
def test_every_section_of_a_case_outside_the_users_sight_answers_404(client, coordinator,
                                                                      outsider, name):
    nominal = make_nominal(actor=coordinator)
    sign_in(client, outsider)
    assert client.get(url(name, nominal)).status_code == 404


def test_no_section_names_the_offender_in_its_title(coordinator_client, coordinator):
    nominal = make_nominal(actor=coordinator, given_names="Wilfred", family_name="Quennevais")
    for name in SECTIONS:
        content = coordinator_client.get(url(name, nominal)).content.decode()
        title = re.search(r"<title>(.*?)</title>", content, re.S).group(1)
        assert nominal.reference in title and "Quennevais" not in title \
            and "Wilfred" not in title, (name, title)


def test_history_says_what_changed_in_words(coordinator_client, coordinator, practitioner):
    nominal = make_nominal(actor=coordinator, custody_status=CustodyStatus.CUSTODY,
                           lead_agency=practitioner.agency)
    nominal_update(nominal=nominal, actor=coordinator, case_manager=practitioner,
                   custody_status=CustodyStatus.COMMUNITY,
                   earliest_release_date=date(2026, 12, 5))
    rosh_record(nominal=nominal, actor=coordinator, assessed_on=date(2026, 12, 1),
                overall=RiskLevel.HIGH, who_is_at_risk="Former partner",
                nature_of_risk="Violence", imminence="Not imminent")
    nominal_archive(nominal=nominal, reason="Order ended", actor=coordinator)
    content = coordinator_client.get(url("cases:history", nominal)).content.decode()
    history = content[content.index('class="moj-timeline"'):]
    # The field's name, the choice's label, the person's name, the date in words.
    assert f"Case manager set to {practitioner}" in history
    assert "Custody status changed from In custody to In the community" in history
    assert "Earliest release date set to 5 December 2026" in history
    assert "Case record changed" in history and "Risk of serious harm assessment added" in history
    # Never the stored codes, ids, None, ISO dates or dict dumps.
    text = re.sub(r'<[^>]+>', " ", history)
    for internal in ["None", "→", "2026-12-05", "custody_status", "case_manager",
                     "from custody", "{", "'from'"]:
        assert internal not in text, internal
    assert f"by {coordinator}" in history
