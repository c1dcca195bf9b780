"""The Board's key performance indicators (§16.2), each one function that answers, for a
period, its numerator, its denominator and the rows behind them, in a constant number of
queries whatever the number of cases or meetings.

KPI 3 (public interest disclosure recorded in the minutes) is not measured here.
"""

from __future__ import annotations

from .attendance import kpi5_agency_attendance
from .base import AMBER_MARGIN, KPIS, Kpi, Result, rag_of
from .reviews import kpi1_level3_reviews, kpi2_level2_reviews
from .smb import kpi4_smb_attendance

# The functions in the order of the Guidance's numbering.
MEASURES = {
    1: kpi1_level3_reviews,
    2: kpi2_level2_reviews,
    4: kpi4_smb_attendance,
    5: kpi5_agency_attendance,
}

__all__ = ["AMBER_MARGIN", "KPIS", "MEASURES", "Kpi", "Result", "kpi1_level3_reviews",
           "kpi2_level2_reviews", "kpi4_smb_attendance", "kpi5_agency_attendance", "rag_of"]
