"""The case's own time rules, shared by the pages, the API and the deadline sweep.

- Level 1 review (§9.2): the lead agency reviews a level 1 case at least every 3 months.
- Home visits to Registered Sex Offenders (§14.9), by the overall risk of serious harm
  the case is managed at: very high monthly, high every 3 months, medium every 6,
  low every 12.
"""

from __future__ import annotations

from datetime import date

from jmappa.workdays import add_months

from .models import RiskLevel

LEVEL1_REVIEW_MONTHS = 3
HOME_VISIT_MONTHS = {RiskLevel.VERY_HIGH: 1, RiskLevel.HIGH: 3, RiskLevel.MEDIUM: 6,
                     RiskLevel.LOW: 12}


def level1_review_due(last_reviewed: date) -> date:
    """The latest date of the next level 1 review after one (or a meeting) on `last_reviewed`."""
    return add_months(last_reviewed, LEVEL1_REVIEW_MONTHS)


def home_visit_due(last_visit: date, rosh: str) -> date | None:
    """The next home visit after one on `last_visit`, or None without an overall risk."""
    months = HOME_VISIT_MONTHS.get(rosh)
    return add_months(last_visit, months) if months else None
