"""Working days in Jersey (jmappa/workdays.py): weekends and Jersey bank holidays excluded."""

from datetime import date

import pytest

from jmappa.workdays import add_working_days, is_working_day, working_days_between


def test_weekends_are_not_working_days():
    assert is_working_day(date(2025, 3, 7))  # Friday
    assert not is_working_day(date(2025, 3, 8))
    assert not is_working_day(date(2025, 3, 9))


@pytest.mark.parametrize("day", [
    date(2025, 1, 1),    # New Year's Day
    date(2025, 4, 18),   # Good Friday
    date(2025, 4, 21),   # Easter Monday
    date(2025, 5, 9),    # Liberation Day: Jersey's own
    date(2025, 12, 25),
    date(2025, 12, 26),
])
def test_jersey_bank_holidays_are_not_working_days(day):
    assert not is_working_day(day)


def test_adding_working_days_skips_the_weekend():
    assert add_working_days(date(2025, 3, 6), 3) == date(2025, 3, 11)  # Thu + 3 = Tue


def test_adding_working_days_skips_liberation_day():
    # Thursday 8 May 2025; Friday 9 May is Liberation Day.
    assert add_working_days(date(2025, 5, 8), 1) == date(2025, 5, 12)


def test_adding_working_days_over_easter():
    # Thursday 17 April 2025: Good Friday, the weekend and Easter Monday are skipped.
    assert add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 22)


def test_the_start_day_never_counts_even_on_a_weekend():
    assert add_working_days(date(2025, 3, 8), 1) == date(2025, 3, 10)  # Sat + 1 = Mon
    assert add_working_days(date(2025, 3, 8), 0) == date(2025, 3, 8)


def test_fifteen_working_days_over_christmas():
    # Referral received Monday 15 December 2025 (§10.4: meeting within 15 working days).
    assert add_working_days(date(2025, 12, 15), 15) == date(2026, 1, 8)


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(date(2025, 3, 3), date(2025, 3, 3)) == 0
    assert working_days_between(date(2025, 3, 3), date(2025, 3, 6)) == 3  # Mon -> Thu
    assert working_days_between(date(2025, 3, 7), date(2025, 3, 10)) == 1  # Fri -> Mon
    assert working_days_between(date(2025, 5, 8), date(2025, 5, 12)) == 1  # over Liberation Day


def test_working_days_between_is_negative_backwards():
    assert working_days_between(date(2025, 3, 6), date(2025, 3, 3)) == -3


@pytest.mark.parametrize("n", [0, 1, 3, 5, 10, 15, 40])
def test_working_days_between_inverts_add_working_days(n):
    for start in (date(2025, 4, 16), date(2025, 12, 20), date(2026, 5, 8)):
        assert working_days_between(start, add_working_days(start, n)) == n


def test_subtracting_working_days():
    assert add_working_days(date(2025, 3, 10), -1) == date(2025, 3, 7)  # Mon - 1 = Fri
