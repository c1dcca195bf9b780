"""Each demo persona walks every page their navigation offers and the main pages of a case,
at a desktop's 1280 px and a phone's 390 px: every page is checked by axe (conftest.py),
none scrolls sideways, and each is screenshotted for a person to look at
(test-artifacts/browser/<persona>-<width>-<page>.png)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.db.models import Count, Q
from django.urls import reverse

from cases.models import Nominal
from cases.sections import sections_for
from jmappa.accounts.models import User
from meetings.models import MinutesStatus
from meetings.selectors import meetings_for
from plans.selectors import actions_for
from referrals.models import Referral

from .conftest import ARTIFACTS
from .test_sign_in import PERSONAS, sign_in

pytestmark = pytest.mark.journey

WIDTHS = (1280, 390)

# What the header, service navigation and footer offer (not a skip link, not an anchor).
NAVIGATION_LINKS = (".moj-header a[href], .govuk-service-navigation a[href], "
                    ".govuk-footer a[href]")
# What pushes the page wider than the window, for the failure message: the elements past
# its right edge that no scrolling box of their own holds.
OVERFLOW = """
() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) { return null; }
  const scrolls = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(up).overflowX)) {
        return true;
      }
    }
    return false;
  };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].slice(0, 3).map((c) => '.' + c).join('');
  const wide = [...document.body.querySelectorAll('*')].filter(
    (el) => el.getBoundingClientRect().right > width + 1 && !scrolls(el));
  return {scrollWidth: document.documentElement.scrollWidth, width,
          elements: wide.slice(-5).map((el) => `${describe(el)} (right edge at ${
            Math.round(el.getBoundingClientRect().right)} px)`)};
}
"""


def slug(path: str) -> str:
    """A file-name-safe name for a page, from its path: /referrals/screening/ ->
    referrals-screening."""
    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
    return name or "home"


def navigation_pages(page) -> list[tuple[str, str]]:
    """The pages the navigation offers this person: the header's, the service navigation's
    and the footer's links, and the links of the management page where they have one."""
    page.goto("/")
    found = _same_site_links(page, NAVIGATION_LINKS)
    manage = reverse("manage")
    if manage in found:
        page.goto(manage)
        found += _same_site_links(page, "main a[href]")
    pages, seen = [], set()
    for path in found:
        if path not in seen:
            seen.add(path)
            pages.append((slug(path), path))
    return pages


def _same_site_links(page, selector: str) -> list[str]:
    origin = urlsplit(page.url)
    paths = []
    for href in page.locator(selector).evaluate_all("links => links.map(a => a.href)"):
        url = urlsplit(href)
        if url.netloc == origin.netloc and url.scheme in ("http", "https"):
            paths.append(url.path + (f"?{url.query}" if url.query else ""))
    return paths


def detail_pages(user: User) -> list[tuple[str, str]]:
    """The main pages of the work this person sees: a case (the one with the most final
    minutes) and each of its sections, a meeting and its minutes, a referral, an action."""
    pages = []
    meeting = (meetings_for(user).annotate(final=Count(
        "minutes", filter=Q(minutes__status=MinutesStatus.FINAL)))
        .order_by("-final", "-starts_at", "pk").first())
    nominal = meeting.nominal if meeting else (
        Nominal.objects.visible_to(user).order_by("pk").first())
    if nominal is not None:
        pages.append(("case", reverse("cases:detail", args=[nominal.pk])))
        for section in sections_for(user, nominal):
            pages.append((f"case-{section.slug}", reverse(section.url_name, args=[nominal.pk])))
        pages.append(("case-plan-full", reverse("plans:plan", args=[nominal.pk])))
        pages.append(("case-alerts", reverse("alerts:case", args=[nominal.pk])))
    if meeting is not None:
        pages.append(("meeting", reverse("meetings:detail", args=[meeting.pk])))
        if meeting.final:
            pages.append(("minutes", reverse("meetings:minutes", args=[meeting.pk])))
    referral = Referral.objects.visible_to(user).order_by("-pk").first()
    if referral is not None:
        pages.append(("referral", reverse("referrals:detail", args=[referral.pk])))
    action = actions_for(user).order_by("pk").first()
    if action is not None:
        pages.append(("action", reverse("plans:action_detail",
                                        args=[action.nominal_id, action.pk])))
    # A section may be the case page itself, or offered twice: each page once.
    seen, unique = set(), []
    for name, path in pages:
        if path not in seen:
            seen.add(path)
            unique.append((name, path))
    return unique


@pytest.mark.parametrize("username", [persona[0] for persona in PERSONAS])
def test_each_persona_walks_their_pages_at_desktop_and_phone_widths_without_sideways_scrolling(
    page, live_server, demo_personas, username,
):
    sign_in(page, username, demo_personas)
    user = User.objects.get(username=username)
    pages = navigation_pages(page) + detail_pages(user)
    names = [name for name, _ in pages]
    assert len(names) == len(set(names)), f"two pages share a screenshot name: {names}"

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    broken, overflowing = [], []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages:
            response = page.goto(path)
            if response is None or not response.ok:
                broken.append(f"{path}: {response.status if response else 'no response'}")
                continue
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                overflowing.append(
                    f"{path} at {width} px is {overflow['scrollWidth']} px wide: "
                    + "; ".join(overflow["elements"]))
            page.screenshot(path=str(ARTIFACTS / f"{username}-{width}-{name}.png"),
                            full_page=True)

    assert not broken, f"{username} was offered pages that do not open: {broken}"
    assert not overflowing, (
        f"{username}'s pages scroll sideways:\n" + "\n".join(overflowing))
    assert page.problems == []
