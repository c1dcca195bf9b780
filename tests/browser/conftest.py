"""Browser tests: a real Chromium, driven by Playwright, against pytest-django's live server.

Chromium is Debian's (``apt-get install -y chromium``), never one downloaded by
``playwright install``. Set ``CHROMIUM_PATH`` to use another binary; set
``JMAPPA_REQUIRE_BROWSER=1`` (in CI) to turn a missing Chromium into a failure
instead of a skip.
"""

from __future__ import annotations

import os
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from .accessibility import LEDGER, WAIT_S, AxeChecker

# Playwright's sync API runs an asyncio event loop in this thread; without this
# Django refuses database access from the test (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"

# This machine's network is closed: keep Chromium from reaching out at all.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING = (
    "Chromium not found: browser tests skipped "
    "(install Debian's chromium, or set CHROMIUM_PATH)"
)
# An action and an expectation outlast the longest wait for axe on the page being left
# (accessibility.py holds the next page's request until then): on a busy machine axe on a
# long page takes seconds.
TIMEOUT_MS = WAIT_S * 1000 + 10_000


def chromium_path() -> str | None:
    """The Chromium to launch, or None.

    An explicit CHROMIUM_PATH is honoured on its own (no fallback), so that
    pointing it at a missing file really does hide Chromium.
    """
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "journey: a browser journey; its final page is always screenshotted"
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A test that passed still fails on a serious or critical accessibility violation of
    any page it visited (the page it ends on is checked now). A test that failed for another
    reason shows them too."""
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    checker = getattr(page, "axe", None)
    try:
        result = yield
    except BaseException:
        if checker is not None:
            checker.finish()
            item.add_report_section("call", "axe", checker.failures() or "no violations")
        raise
    if checker is not None:
        checker.finish()
        failures = checker.failures()
        if failures:
            pytest.fail(failures, pytrace=False)
    return result


def pytest_sessionfinish(session):
    LEDGER.write(ARTIFACTS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item so that `page` can tell a failure.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("JMAPPA_REQUIRE_BROWSER") == "1":
            explicit = os.environ.get("CHROMIUM_PATH")
            looked = (f"CHROMIUM_PATH={explicit!r} is not an executable" if explicit
                      else "neither /usr/bin/chromium nor chromium on PATH")
            pytest.fail(
                f"JMAPPA_REQUIRE_BROWSER=1 but Chromium was not found ({looked}). "
                f"Install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH.",
                pytrace=False,
            )
        pytest.skip(MISSING)

    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _screenshot_name(item) -> str:
    return re.sub(r"[^A-Za-z0-9_.\-\[\]]+", "_", item.name) + ".png"


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context (no cookies) per test, with the live server as base URL.

    axe checks every page it shows (accessibility.py): the test fails on a serious or
    critical violation."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 800}, locale="en-GB"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.axe = AxeChecker(page, request.node.name)
    page.axe.install(context)
    # What went wrong in the page: script errors and failed requests. A missing
    # favicon is the browser's own guess, not something a page asked for; a request
    # aborted because the test moved on to the next page (the API docs still fetching
    # the schema) is the test's doing, not the page's.
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
    page.on(
        "response",
        lambda response: response.status >= 400
        and not response.url.endswith("/favicon.ico")
        and page.problems.append(f"{response.status} {response.request.method} {response.url}"),
    )
    page.on(
        "requestfailed",
        lambda request: request.failure != "net::ERR_ABORTED"
        and page.problems.append(f"request failed: {request.url} {request.failure}"),
    )
    try:
        yield page
    finally:
        failed = any(
            getattr(getattr(request.node, f"rep_{when}", None), "failed", False)
            for when in ("setup", "call")
        )
        if failed or request.node.get_closest_marker("journey"):
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            try:
                page.screenshot(path=str(ARTIFACTS / _screenshot_name(request.node)),
                                full_page=True)
            except Exception as error:  # noqa: BLE001 - a screenshot must not mask the test
                print(f"Could not save a screenshot: {error}")
        context.close()


@pytest.fixture
def demo_personas(settings):
    # seed_demo refuses to run with DEBUG off; the live server itself runs with it off.
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False
    return settings.JMAPPA_DEMO_PASSWORD
