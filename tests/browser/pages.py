"""What every browser journey does with the layout: the service navigation, signing out, and
the GOV.UK date input (day, month and year boxes under the field's legend)."""

from datetime import date


def navigation(page):
    """The service navigation (Home, Cases, Referrals, ...)."""
    return page.get_by_role("navigation", name="Menu")


def sign_out(page):
    # Wait for the signed-out page: a journey that goes on at once would leave it half-loaded.
    with page.expect_navigation():
        page.get_by_role("navigation", name="Your account").get_by_role(
            "button", name="Sign out").click()


def fill_date(scope, legend: str, value: date) -> None:
    """Type a date into the day, month and year boxes of the date field named `legend`."""
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))
