"""The meeting's time rules, shared by the pages, the API and the deadline sweep.

- Review (§10.11): level 3 no later than 6 weeks after the previous meeting; level 2 and
  level 1 no later than 12 weeks. These are the latest dates: a meeting may set an
  earlier one, and a later one needs a recorded deviation (§1.1).
- Minutes (§10.12): level 3 within 5 working days of the meeting, level 2 within 10
  (Jersey working days). The Guidance sets no date for a level 1 discussion's notes.
"""

from __future__ import annotations

from datetime import date, timedelta

from cases.models import Level
from jmappa.workdays import add_working_days

REVIEW_WEEKS = {Level.ONE: 12, Level.TWO: 12, Level.THREE: 6}
MINUTES_WORKING_DAYS = {Level.TWO: 10, Level.THREE: 5}


def latest_review_date(meeting_date: date, level: str) -> date:
    """The latest date the next review meeting may be held."""
    return meeting_date + timedelta(weeks=REVIEW_WEEKS[level])


def minutes_due_by(meeting_date: date, level: str) -> date | None:
    """The date the minutes must be produced by, or None where no rule applies."""
    days = MINUTES_WORKING_DAYS.get(level)
    return add_working_days(meeting_date, days) if days else None
