"""A person using the keyboard alone: Tab and Shift+Tab to move, Enter and Space to act, the
arrow keys inside a group of radios or a list, and typing into a field. At every stop the
element that has the focus must show it with the GOV.UK focus colour (#ffdd00): on itself,
or, for a radio or a checkbox, on its label's drawn box."""

from __future__ import annotations

FOCUS_COLOUR = "rgb(255, 221, 0)"

# What has the focus, and whether it shows the focus colour.
FOCUSED = """
(colour) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) { return null; }
  const shows = (style) => (style.outlineStyle !== 'none' && style.outlineColor === colour
                            && parseFloat(style.outlineWidth) >= 2)
    || style.backgroundColor === colour || (style.boxShadow || '').includes(colour);
  const drawn = [el, ...(el.labels || [])];
  const visible = drawn.some((part) => [null, '::before', '::after'].some(
    (pseudo) => shows(getComputedStyle(part, pseudo))));
  const name = (el.getAttribute('aria-label') || (el.labels && el.labels[0]
    && el.labels[0].textContent) || el.textContent || el.getAttribute('name') || '')
    .trim().replace(/\\s+/g, ' ').slice(0, 60);
  return {visible, describe: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${name}"`};
}
"""


class Keyboard:
    """Moves through a page as a keyboard user does, and notes every stop whose focus is not
    visible (``unseen``)."""

    def __init__(self, page, *, limit: int = 250):
        self.page = page
        self.limit = limit
        self.unseen: list[str] = []

    def _press(self, key: str) -> None:
        self.page.keyboard.press(key)
        focused = self.page.evaluate(FOCUSED, FOCUS_COLOUR)
        if focused and not focused["visible"]:
            where = f"{self.page.url.split('/', 3)[-1]}: {focused['describe']}"
            if where not in self.unseen:
                self.unseen.append(where)

    def _has_focus(self, locator) -> bool:
        return locator.evaluate("el => el === document.activeElement")

    def tab_to(self, locator) -> None:
        """Tab until `locator` has the focus; Shift+Tab if it comes before the focus now."""
        backwards = locator.evaluate(
            "el => { const now = document.activeElement;"
            " return !!now && now !== document.body"
            " && !!(now.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING); }")
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(self.limit):
            self._press(key)
            if self._has_focus(locator):
                return
        raise AssertionError(f"{locator} was not reached with {key} in {self.limit} stops "
                             f"on {self.page.url}")

    def type_into(self, locator, text: str) -> None:
        self.tab_to(locator)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.insert_text(text)

    def activate(self, locator, *, key: str = "Enter") -> None:
        """Tab to a link or button and press Enter (or Space): what follows is the next page,
        or the part of this one that it updates."""
        self.tab_to(locator)
        self.page.keyboard.press(key)

    def check(self, locator) -> None:
        """Tab to a checkbox and tick it with Space."""
        self.tab_to(locator)
        if not locator.is_checked():
            self._press("Space")

    def choose(self, radio) -> None:
        """Tab into a group of radios and move to `radio` with the arrow keys (which choose
        it); Space makes sure of it."""
        name = radio.get_attribute("name")
        group = self.page.locator(f"input[type=radio][name='{name}']")
        for _ in range(self.limit):
            self._press("Tab")
            if group.evaluate_all("(els) => els.includes(document.activeElement)"):
                break
        else:
            raise AssertionError(f"the radios {name!r} were not reached with Tab")
        for _ in range(group.count()):
            if self._has_focus(radio):
                break
            self._press("ArrowDown")
        self._press("Space")
        assert radio.is_checked(), f"{radio} could not be chosen with the keyboard"

    def select(self, select, text: str) -> None:
        """Tab to a list and move down it from the top, with the arrow key, to the option
        containing `text`."""
        self.tab_to(select)
        self._press("Home")
        for _ in range(select.locator("option").count() + 1):
            if text in select.evaluate("el => el.selectedOptions[0]?.text || ''"):
                return
            self._press("ArrowDown")
        raise AssertionError(f"no option {text!r} in {select} reached with the arrow key")

    def assert_focus_always_visible(self) -> None:
        assert not self.unseen, ("the focus was not visible (no GOV.UK yellow) on:\n"
                                 + "\n".join(self.unseen))
