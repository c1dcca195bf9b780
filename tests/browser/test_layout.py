"""The layout at the widths people use: the Co-ordinator's navigation, the longest, stays on
one line on a laptop's screen, and no width scrolls the page sideways."""

from __future__ import annotations

import pytest

from .test_sign_in import sign_in


@pytest.mark.parametrize("width", [1024, 1280, 1440])
def test_coordinators_navigation_stays_on_one_line_on_a_laptop(page, live_server,
                                                               demo_personas, width):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, "coordinator", demo_personas)
    tops = page.locator(".govuk-service-navigation__item").evaluate_all(
        "items => items.map(item => item.getBoundingClientRect().top)")
    assert len(tops) >= 9
    assert len(set(tops)) == 1, f"the navigation wraps at {width} px"
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_on_a_phone_the_navigation_folds_into_a_menu(page, live_server, demo_personas):
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, "coordinator", demo_personas)
    menu = page.get_by_role("button", name="Menu")
    assert menu.is_visible()
    assert not page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Cases").is_visible()
    menu.click()
    assert page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Cases").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
