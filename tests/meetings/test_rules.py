"""The meeting's time rules (§10.11 reviews, §10.12 minutes), in Jersey working days."""

from datetime import date

import pytest

from cases.models import Level
from meetings import rules


@pytest.mark.parametrize("level,latest", [
    (Level.THREE, date(2027, 1, 5)),   # 6 weeks
    (Level.TWO, date(2027, 2, 16)),    # 12 weeks
    (Level.ONE, date(2027, 2, 16)),    # 12 weeks
])
def test_review_due_no_later_than_six_or_twelve_weeks_after_the_meeting(level, latest):
    assert rules.latest_review_date(date(2026, 11, 24), level) == latest


def test_level3_minutes_due_five_working_days_after_the_meeting():
    # Monday 23 November 2026: Tue to Fri, then Monday 30.
    assert rules.minutes_due_by(date(2026, 11, 23), Level.THREE) == date(2026, 11, 30)


def test_level2_minutes_due_ten_working_days_after_the_meeting():
    assert rules.minutes_due_by(date(2026, 11, 23), Level.TWO) == date(2026, 12, 7)


def test_minutes_due_skip_christmas_boxing_day_substitute_and_new_year():
    # Level 3 on Thursday 24 December 2026: 25 and 28 December and 1 January are holidays,
    # so the five working days are 29, 30, 31 December, 4 and 5 January.
    assert rules.minutes_due_by(date(2026, 12, 24), Level.THREE) == date(2027, 1, 5)
    # Level 2 on Thursday 17 April 2025: Good Friday, Easter Monday, Early May Monday.
    assert rules.minutes_due_by(date(2025, 4, 17), Level.TWO) == date(2025, 5, 6)


def test_no_minutes_deadline_for_a_level1_discussion():
    assert rules.minutes_due_by(date(2026, 11, 23), Level.ONE) is None
