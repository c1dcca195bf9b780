import pytest

from jmappa.exports import safe_cell


@pytest.mark.parametrize("value", ["=1+1", "+44 1534", "-2", "@SUM(A1)", "\tcmd", "\rx"])
def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_escaped(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value,expected", [("Jane", "Jane"), (None, ""), (12, "12"),
                                            ("a=b", "a=b")])
def test_csv_plain_cells_are_left_alone(value, expected):
    assert safe_cell(value) == expected
