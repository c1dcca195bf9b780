"""The periods the KPIs are reported for: calendar quarters and years."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar quarter (`quarter` 1 to 4) or a whole year (`quarter` None)."""

    year: int
    quarter: int | None = None

    @classmethod
    def parse(cls, text: str) -> Period:
        """From "2026-Q3" or "2026"; ValueError otherwise."""
        text = (text or "").strip().upper()
        if match := _QUARTER.match(text):
            return cls(int(match[1]), int(match[2]))
        if match := _YEAR.match(text):
            return cls(int(match[1]))
        raise ValueError("Give a quarter as 2026-Q3 or a year as 2026.")

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * (self.quarter - 1) + 1 if self.quarter else 1, 1)

    @property
    def end(self) -> date:
        """The last day of the period."""
        if self.quarter is None or self.quarter == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.quarter + 1, 1) - timedelta(days=1)

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def label(self) -> str:
        return f"Q{self.quarter} {self.year}" if self.quarter else f"Year {self.year}"

    def previous(self) -> Period:
        if self.quarter is None:
            return Period(self.year - 1)
        return Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year,
                                                                         self.quarter - 1)

    def quarters(self) -> list[Period]:
        return [self] if self.quarter else [Period(self.year, q) for q in range(1, 5)]

    def is_closed(self, today: date) -> bool:
        """Over by `today`: its figures may be frozen. An open period is provisional."""
        return self.end < today

    def __str__(self) -> str:
        return self.label


def last_quarters(today: date, count: int = 8) -> list[Period]:
    """The `count` quarters up to and including today's, oldest first."""
    quarters = [Period.quarter_of(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return list(reversed(quarters))
