"""UK local-government financial years (April–March) and their periods 1–12.

Period 1 is April, period 12 is March. This is the one module that knows it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_SLUG = re.compile(r"^(\d{4})-(\d{2})$")
MONTHS = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]


@dataclass(frozen=True, order=True)
class FinancialYear:
    start_year: int

    @classmethod
    def for_date(cls, day: dt.date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def from_slug(cls, slug: str) -> FinancialYear:
        """Parse "2019-20". Raises ValueError for anything else, including "2019-21"."""
        match = _SLUG.match(slug)
        if not match:
            raise ValueError(f"{slug!r} is not a financial year like 2019-20")
        start = int(match.group(1))
        if (start + 1) % 100 != int(match.group(2)):
            raise ValueError(f"{slug!r} is not a financial year like 2019-20")
        return cls(start)

    @property
    def slug(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def short_label(self) -> str:
        return f"{self.start_year % 100:02d}/{(self.start_year + 1) % 100:02d}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.start_year, 4, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.start_year + 1, 3, 31)

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def period_for(self, day: dt.date) -> int:
        if day not in self:
            raise ValueError(f"{day:%d/%m/%Y} is not in financial year {self.label}")
        return period_for_date(day)

    def period_start(self, period: int) -> dt.date:
        _check_period(period)
        month = (period + 2) % 12 + 1
        year = self.start_year if period <= 9 else self.start_year + 1
        return dt.date(year, month, 1)

    def period_end(self, period: int) -> dt.date:
        if period == 12:
            return self.end
        return self.period_start(period + 1) - dt.timedelta(days=1)

    def quarter_start(self, quarter: int) -> dt.date:
        _check_quarter(quarter)
        return self.period_start(quarter * 3 - 2)

    def quarter_end(self, quarter: int) -> dt.date:
        _check_quarter(quarter)
        return self.period_end(quarter * 3)

    def __str__(self) -> str:
        return self.label


def period_for_date(day: dt.date) -> int:
    """April is period 1, March is period 12."""
    return (day.month - 4) % 12 + 1


def period_month_name(period: int) -> str:
    _check_period(period)
    return MONTHS[period - 1]


def _check_period(period: int) -> None:
    if not 1 <= period <= 12:
        raise ValueError(f"period must be 1 to 12, not {period}")


def quarter_for_date(day: dt.date) -> int:
    """Financial-year quarter 1–4: Q1 is April–June, Q4 is January–March."""
    return (period_for_date(day) - 1) // 3 + 1


def _check_quarter(quarter: int) -> None:
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter must be 1 to 4, not {quarter}")
