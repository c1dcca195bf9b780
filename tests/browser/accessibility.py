"""axe-core on every page a browser test visits: WCAG 2.2 AA measured, not assumed.

The ``page`` fixture (conftest.py) gives each test an :class:`AxeChecker`. Every document the
main frame shows is checked once: axe starts when the document has loaded (or, if the test
leaves it sooner, as it leaves), and the request of the next document is held until the
result is in, so that no page goes unchecked however fast a test moves on. A violation of
impact serious or critical fails the test, naming the page, the rule and the elements.

axe is added to each document by the browser itself (``add_init_script``), which the
application's Content-Security-Policy does not govern: the policy stays as it is served.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
AXE_SCRIPT = HERE / "vendor" / "axe.min.js"

# The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = ("serious", "critical")
REPORT = "__jmappaAxeReport"
# How long a test waits for axe on a page before it says so (a large page takes a second).
WAIT_S = 20

# Requests of documents only: the static files (styles, scripts, images) never navigate.
DOCUMENT_REQUESTS = re.compile(r"^(?!https?://[^/]+/static/)")

# Added to every document after axe itself. In the main frame's HTML documents only (not a
# frame, not a PDF): say the document is open, and run axe once, when it has loaded or as it
# is left, whichever comes first; report what it found.
CHECK_ON_LOAD = """
(() => {
  if (window.top !== window || !/^https?:$/.test(location.protocol)
      || document.contentType !== 'text/html') {
    return;
  }
  const report = (message) => window[%(report)s](message);
  const token = Math.random().toString(36).slice(2) + Date.now().toString(36);
  let started = false;
  const check = () => {
    if (started) { return; }
    started = true;
    const page = {token, url: location.pathname + location.search, width: window.innerWidth};
    if (typeof window.axe === 'undefined') {
      report({...page, error: 'axe was not loaded'});
      return;
    }
    window.axe.run(document, {runOnly: {type: 'tag', values: %(tags)s},
                              resultTypes: ['violations']})
      .then((results) => report({
        ...page,
        title: document.title,
        violations: results.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map((n) => ({
            target: n.target.join(' '), html: n.html,
            why: [...n.any, ...n.all, ...n.none].map((c) => c.message).filter(Boolean)[0] || '',
          })),
        })),
      }))
      .catch((error) => report({...page, error: String(error)}));
  };
  report({token, opened: true});
  window.addEventListener('load', () => setTimeout(check, 0));
  window.addEventListener('beforeunload', check);
  Object.defineProperty(window, '__jmappaAxeCheck', {value: check});
})();
"""


def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise FileNotFoundError(
            f"{AXE_SCRIPT.relative_to(HERE.parents[1])} is missing: the browser tests run "
            f"axe-core on every page. Take axe.min.js from the axe-core npm package "
            f"(npm pack axe-core) and put it there."
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


@dataclass
class PageResult:
    test: str
    url: str
    width: int
    title: str
    violations: list[dict]

    def failing(self) -> list[dict]:
        return [v for v in self.violations if v["impact"] in FAILING_IMPACTS]

    def describe(self) -> str:
        lines = [f"{self.url} at {self.width} px (title {self.title!r}):"]
        for violation in self.failing():
            lines.append(f"  {violation['impact']}: {violation['id']}: {violation['help']}")
            for node in violation["nodes"][:10]:
                lines.append(f"    - {node['target']}: {_shorten(node['html'])}")
                if node.get("why"):
                    lines.append(f"      {_shorten(node['why'], 200)}")
            if len(violation["nodes"]) > 10:
                lines.append(f"    - and {len(violation['nodes']) - 10} more elements")
        return "\n".join(lines)


def _shorten(html: str, limit: int = 160) -> str:
    html = " ".join(html.split())
    return html if len(html) <= limit else html[: limit - 1] + "…"


@dataclass
class AxeLedger:
    """Every page checked in this run of the suite, for test-artifacts/browser/."""

    results: list[PageResult] = field(default_factory=list)

    def write(self, folder: Path) -> None:
        if not self.results:
            return
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "axe-pages.txt").write_text(f"{len(self.results)}\n", encoding="utf-8")
        lines = []
        for result in self.results:
            failing = result.failing()
            verdict = ("clean" if not failing
                       else "FAILS " + ", ".join(sorted({v["id"] for v in failing})))
            lines.append(f"{result.test}\t{result.url}\t{result.width}\t{verdict}")
        (folder / "axe-results.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


LEDGER = AxeLedger()


class AxeChecker:
    """Checks every document the page shows; the test fails on what it found."""

    def __init__(self, page, test_name: str, *, ledger: AxeLedger = LEDGER):
        self.page = page
        self.test_name = test_name
        self.ledger = ledger
        self.results: list[PageResult] = []
        self.errors: list[str] = []
        self.pending: dict[str, str] = {}  # token of each open document not yet reported

    def install(self, context) -> None:
        context.expose_binding(REPORT, self._report)
        context.add_init_script(script=axe_source())
        context.add_init_script(
            script=CHECK_ON_LOAD % {"report": repr(REPORT), "tags": WCAG_TAGS})
        self.page.route(DOCUMENT_REQUESTS, self._before_request)

    def _report(self, source, message: dict) -> None:
        if source["page"] != self.page:
            return  # another tab: a test that opens one checks it with a checker of its own
        token = message["token"]
        if message.get("opened"):
            self.pending[token] = ""
            return
        self.pending.pop(token, None)
        if "error" in message:
            self.errors.append(f"axe could not check {message['url']}: {message['error']}")
            return
        result = PageResult(test=self.test_name, url=message["url"], width=message["width"],
                            title=message["title"], violations=message["violations"])
        self.results.append(result)
        self.ledger.results.append(result)

    def _before_request(self, route) -> None:
        """Hold a navigation of the main frame until axe has reported on the page left."""
        request = route.request
        try:
            navigates = (request.is_navigation_request()
                         and request.frame == self.page.main_frame)
        except Exception:  # noqa: BLE001 - a request of no frame (a worker's) navigates nothing
            navigates = False
        if navigates:
            self._wait_for_reports(waiter=self.page)
        route.fallback()

    def _wait_for_reports(self, *, waiter) -> None:
        deadline = time.monotonic() + WAIT_S
        while self.pending and time.monotonic() < deadline:
            waiter.wait_for_timeout(25)
        if self.pending:
            self.errors.append(f"axe did not finish within {WAIT_S} s on a page left "
                               f"for {self.page.url}")
            self.pending.clear()

    def finish(self) -> None:
        """Check the page the test ends on, and wait for every report."""
        try:
            self.page.evaluate("() => window.__jmappaAxeCheck && window.__jmappaAxeCheck()")
        except Exception as error:  # noqa: BLE001 - said in the failure, never swallowed
            self.errors.append(f"axe could not start on {self.page.url}: {error}")
        self._wait_for_reports(waiter=self.page)

    def violations_now(self) -> list[str]:
        """The serious and critical findings on the page as it stands now (after a change made
        in place, or at another width), once the automatic check of this document is in: two
        runs of axe at once in one document are refused by axe."""
        self.finish()
        return self.page.evaluate(
            "async ([tags, impacts]) => (await window.axe.run("
            "document, {runOnly: {type: 'tag', values: tags}})).violations"
            ".filter(v => impacts.includes(v.impact))"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target).join(' '))",
            [WCAG_TAGS, list(FAILING_IMPACTS)])

    def failures(self) -> str | None:
        """What the test must fail on: each page with a serious or critical violation."""
        failing = [result for result in self.results if result.failing()]
        if not failing and not self.errors:
            return None
        parts = []
        if failing:
            parts.append(
                f"axe found serious or critical accessibility violations on "
                f"{len(failing)} of the {len(self.results)} pages checked:"
            )
            parts.extend(result.describe() for result in failing)
        parts.extend(self.errors)
        return "\n".join(parts)
