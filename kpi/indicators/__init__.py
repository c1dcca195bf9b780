"""The Board's key performance indicators (§16.2), each one function that answers, for a
period, its numerator, its denominator and the rows behind them, in a constant number of
queries whatever the number of cases or meetings; and one that answers the figures alone
(numerator, denominator, by agency or member, the further counts) counted by the database,
for the pages that show no rows."""

from __future__ import annotations

from datetime import date

from ..periods import Period
from . import running
from .attendance import kpi5_agency_attendance, kpi5_figures, kpi5_many
from .base import AMBER_MARGIN, KPIS, Kpi, Result, rag_of
from .disclosure import kpi3_disclosure_recorded, kpi3_figures, kpi3_many
from .reviews import (
    kpi1_figures,
    kpi1_level3_reviews,
    kpi1_many,
    kpi2_figures,
    kpi2_level2_reviews,
    kpi2_many,
    review_figures,
)
from .smb import kpi4_figures, kpi4_many, kpi4_smb_attendance

# The functions in the order of the Guidance's numbering.
MEASURES = {
    1: kpi1_level3_reviews,
    2: kpi2_level2_reviews,
    3: kpi3_disclosure_recorded,
    4: kpi4_smb_attendance,
    5: kpi5_agency_attendance,
}
MEASURED = tuple(MEASURES)
_MANY = {1: kpi1_many, 2: kpi2_many, 3: kpi3_many, 4: kpi4_many, 5: kpi5_many}
_FIGURES = {1: kpi1_figures, 2: kpi2_figures, 3: kpi3_figures, 4: kpi4_figures,
            5: kpi5_figures}


def measure_all(periods: list[Period], *, today: date, numbers=MEASURED,
                with_rows: bool = True) -> dict[int, list[Result]]:
    """Each KPI for each of `periods` (in their order), in a constant number of queries
    (seventeen for the five KPIs), however many periods and cases. Without the rows, the
    figures are counted by the database (six queries for the five KPIs; seven for the running
    quarter alone, from the rows kept case by case)."""
    if with_rows:
        return {number: _MANY[number](periods, today=today) for number in numbers}
    if running.is_running(periods, today):
        # The running quarter alone: from the rows kept case by case (kpi/indicators/running).
        found = running.measure(periods[0], today)
        return {number: found[number] if number in found
                else _FIGURES[number](periods, today=today) for number in numbers}
    # KPIs 1 and 2 read the same level history: one query counts both.
    reviews = tuple(number for number in numbers if number in (1, 2))
    found = review_figures(periods, today=today, numbers=reviews) if reviews else {}
    return {number: found[number] if number in found else _FIGURES[number](periods, today=today)
            for number in numbers}


__all__ = ["AMBER_MARGIN", "KPIS", "MEASURED", "MEASURES", "Kpi", "Result",
           "kpi1_level3_reviews", "kpi2_level2_reviews", "kpi3_disclosure_recorded",
           "kpi4_smb_attendance", "kpi5_agency_attendance", "measure_all", "rag_of"]
