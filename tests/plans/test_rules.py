"""The case's time rules: level 1 reviews within 12 weeks (§9.2, §10.11), home visits to Registered
Sex Offenders by overall risk (§14.9)."""

from datetime import date

import pytest

from cases.models import RiskLevel
from jmappa.workdays import add_months
from plans import rules


def test_level1_review_due_12_weeks_after_the_last_never_later_than_three_months():
    """§10.11's 12 weeks and §9.2's three months are one obligation: the earlier, 12 weeks."""
    assert rules.level1_review_due(date(2026, 11, 23)) == date(2027, 2, 15)
    assert rules.level1_review_due(date(2026, 11, 30)) == date(2027, 2, 22)
    for day in (date(2026, 1, 1), date(2026, 11, 30), date(2027, 12, 31)):
        assert rules.level1_review_due(day) <= add_months(day, 3)


@pytest.mark.parametrize("rosh,due", [
    (RiskLevel.VERY_HIGH, date(2027, 2, 28)),
    (RiskLevel.HIGH, date(2027, 4, 30)),
    (RiskLevel.MEDIUM, date(2027, 7, 31)),
    (RiskLevel.LOW, date(2028, 1, 31)),
])
def test_home_visit_due_monthly_quarterly_six_monthly_or_yearly_by_risk(rosh, due):
    assert rules.home_visit_due(date(2027, 1, 31), rosh) == due


def test_no_home_visit_date_without_an_overall_risk():
    assert rules.home_visit_due(date(2027, 1, 31), "") is None


def test_adding_months_keeps_the_day_or_takes_the_shorter_months_last():
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2027, 8, 31), -6) == date(2027, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2027, 1, 15), -1) == date(2026, 12, 15)
