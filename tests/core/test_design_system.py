"""The pages are built on GOV.UK Frontend and MoJ Frontend, served by the service itself."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from jmappa.accounts.models import Role
from jmappa.core.forms import DateInput, PlainWords
from tests.factories import make_user
from tests.helpers import sign_in


def test_design_system_is_served_locally_without_govuk_typeface_or_crown():
    css_path = finders.find("vendor/design-system/css/frontend.min.css")
    assert css_path, "the built design system is missing: run make frontend"
    css = open(css_path, encoding="utf-8").read()
    assert ".govuk-summary-list" in css and ".moj-sub-navigation" in css
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    for script in ("govuk-frontend.min.js", "moj-frontend.min.js"):
        assert finders.find(f"vendor/design-system/js/{script}")


def test_every_page_carries_the_configured_protective_marking(practitioner_client, settings):
    settings.PROTECTIVE_MARKING = "OFFICIAL"
    body = practitioner_client.get(reverse("home")).content.decode()
    assert "<strong>OFFICIAL</strong> · share only on a need-to-know basis" in body
    assert "OFFICIAL-SENSITIVE" not in body


def test_protective_marking_defaults_to_official_sensitive():
    assert settings.PROTECTIVE_MARKING == "OFFICIAL-SENSITIVE"


class _MeetingForm(PlainWords, forms.Form):
    held_on = forms.DateField(label="Date of the meeting", widget=DateInput())


def test_dates_are_entered_as_day_month_year_never_the_browser_picker():
    html = str(_MeetingForm()["held_on"])
    assert 'type="date"' not in html
    assert [label in html for label in (">Day<", ">Month<", ">Year<")] == [True] * 3
    form = _MeetingForm({"held_on_day": "5", "held_on_month": "12", "held_on_year": "2026"})
    assert form.is_valid()
    assert form.cleaned_data["held_on"] == date(2026, 12, 5)


def test_an_unreal_date_is_refused_in_words_and_keeps_what_was_typed():
    form = _MeetingForm({"held_on_day": "31", "held_on_month": "2", "held_on_year": "2026"})
    assert not form.is_valid()
    assert form.errors["held_on"] == [
        "Enter the date of the meeting as a real date, for example 27 3 2026."]
    html = str(form["held_on"])
    assert 'value="31"' in html and 'value="2"' in html and 'value="2026"' in html
    assert "govuk-input--error" in html


def test_an_iso_date_under_the_field_name_is_still_accepted():
    form = _MeetingForm({"held_on": "2026-12-05"})
    assert form.is_valid()
    assert form.cleaned_data["held_on"] == date(2026, 12, 5)


def test_administration_pages_share_one_navigation_item(client, db):
    admin = make_user("admin.one", roles=[Role.ADMINISTRATOR])
    sign_in(client, admin)
    body = client.get(reverse("home")).content.decode()
    assert body.count("govuk-service-navigation__item") <= 8
    manage = client.get(reverse("manage")).content.decode()
    assert reverse("people:list") in manage and reverse("accounts:agency_list") in manage


def test_every_table_that_scrolls_sideways_is_reached_by_keyboard_and_named():
    # On a phone a wide table scrolls in its wrapper: a keyboard user must be able to
    # focus it to scroll (WCAG 2.1.1), and a screen reader names the region.
    templates = Path(settings.BASE_DIR) / "templates"
    offences = []
    for path in templates.rglob("*.html"):
        for tag in re.findall(r"<div class=\"app-table-wrapper\"[^>]*>", path.read_text()):
            if 'tabindex="0"' not in tag or 'role="region"' not in tag or "aria-label" not in tag:
                offences.append(f"{path.relative_to(templates)}: {tag}")
    assert not offences, offences
