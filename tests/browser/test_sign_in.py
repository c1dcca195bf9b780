"""Signing in and out, in a real browser."""

import re
import time

import pytest
from playwright.sync_api import expect

from jmappa.accounts.models import Role, User
from jmappa.accounts.second_factor import hex_key_of

from ..factories import PASSWORD, make_user
from ..helpers import second_factor_device, totp_code

pytestmark = pytest.mark.journey

# (username, job title) of each demo persona; the co-ordinator alone sees the audit trail.
PERSONAS = [
    ("coordinator", "JMAPPA Co-ordinator"),
    ("admin.officer", "JMAPPA Administrator"),
    ("police.inspector", "Inspector"),
    ("probation.officer", "Probation Officer"),
    ("housing.officer", "Housing Manager"),
    ("smb.member", "Assistant Chief Probation Officer"),
]
SEES_AUDIT_TRAIL = {"coordinator"}


def sign_in(page, username, password):
    """Sign in through the real pages: the password, then the code of the user's
    authenticator app (set up for them if they have none), computed as the app would."""
    user = User.objects.filter(username=username).first()
    device = second_factor_device(user) if user else None
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if "/accounts/verify/" in page.url:
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
        page.get_by_label("Code").fill(fresh_code(device))
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()


def fresh_code(device) -> str:
    """The app's code now, or of the next step if this one's was used by an earlier sign-in
    (django-otp takes each code once, and one step either side of now)."""
    device.refresh_from_db()
    step = int((time.time() - device.t0) // device.step)
    return totp_code(device, at=None if device.last_t < step
                     else (device.last_t + 1) * device.step + device.t0)


def login_url_pattern():
    return re.compile(r"/accounts/login/(\?.*)?$")


@pytest.mark.parametrize(("username", "job_title"), PERSONAS, ids=[p[0] for p in PERSONAS])
def test_each_demo_persona_signs_in_and_sees_their_home_page(
    page, live_server, demo_personas, username, job_title
):
    sign_in(page, username, demo_personas)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page).to_have_title(re.compile(r"^Home"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.locator("main")).to_contain_text(job_title)

    # The page is styled: the design system's CSS was served and applied.
    heading = page.get_by_role("heading", level=1)
    assert heading.evaluate("el => getComputedStyle(el).fontWeight") == "700"
    assert page.locator(".moj-header").evaluate(
        "el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"

    # The audit trail is under the one administration item, for whoever may read it.
    page.goto("/manage/")
    audit_link = page.locator("main").get_by_role("link", name="Audit trail")
    if username in SEES_AUDIT_TRAIL:
        expect(audit_link).to_be_visible()
    else:
        expect(audit_link).to_have_count(0)
    assert page.problems == []


def test_wrong_password_shows_error_summary_and_keeps_username(page, live_server, police):
    make_user("bob", roles=[Role.PRACTITIONER], agency=police)

    sign_in(page, "bob", PASSWORD + "-wrong")

    expect(page).to_have_url(login_url_pattern())
    summary = page.locator(".error-summary")
    expect(summary.get_by_role("alert")).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("The username or password is not right")
    expect(summary).to_be_focused()
    # At the top: the first thing in the form, above the fields.
    summary_box = summary.bounding_box()
    username = page.get_by_label("Username")
    assert summary_box["y"] + summary_box["height"] <= username.bounding_box()["y"]
    first_in_form = page.locator("main form > :not(input[type=hidden])").first
    expect(first_in_form).to_have_class(re.compile(r"\berror-summary\b"))
    expect(username).to_have_value("bob")
    expect(page.get_by_label("Password")).to_have_value("")
    assert page.problems == []


def test_signing_out_returns_to_sign_in_and_protects_pages(page, live_server, police):
    make_user("bob", roles=[Role.PRACTITIONER], agency=police,
              first_name="Bob", last_name="Practitioner")
    sign_in(page, "bob", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, Bob")

    navigation = page.get_by_role("navigation", name="Your account")
    sign_out = navigation.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()
    sign_out.click()

    expect(page).to_have_url(login_url_pattern())
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert page.problems == []


def test_coordinator_sets_up_a_second_factor_at_first_sign_in(page, live_server, police):
    from django_otp.oath import TOTP

    make_user("alice", roles=[Role.COORDINATOR], agency=police, first_name="Alice")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/accounts/second-factor/set-up/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your second factor")
    expect(page.locator(".qr-code svg")).to_be_visible()
    # What an authenticator app does with the key typed in.
    key = bytes.fromhex(hex_key_of(page.locator("[data-secret]").inner_text()))
    page.get_by_label("Code", exact=True).fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.get_by_role("list", name="Recovery codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, Alice")
    assert page.problems == []
