"""Periods and quarters: one home for the date ranges the figures, the returns and the pages
are about. Quarters are financial-year quarters as the OPCC reports them (2026-27-Q1 is
April to June 2026)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    """A closed range of calendar dates, both ends included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"The period ends ({self.end}) before it starts ({self.start}).")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def range(self) -> tuple[date, date]:
        return (self.start, self.end)

    def milestones(self, days: int) -> tuple[date, date]:
        """The dates d for which d + `days` falls in the period (a milestone cohort)."""
        return (self.start - timedelta(days=days), self.end - timedelta(days=days))


@dataclass(frozen=True)
class Quarter:
    """A financial-year quarter as the OPCC reports it: 2026-27-Q1 is April to June 2026."""

    name: str
    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{self.name} ({self.start:%-d %B %Y} to {self.end:%-d %B %Y})"


def quarter_of(day: date) -> Quarter:
    year = day.year if day.month >= 4 else day.year - 1
    index = (day.month - 4) % 12 // 3  # 0..3
    start_month = 4 + 3 * index
    start = date(year + (start_month - 1) // 12, (start_month - 1) % 12 + 1, 1)
    after = date(start.year + (start.month + 2) // 12, (start.month + 2) % 12 + 1, 1)
    return Quarter(f"{year}-{(year + 1) % 100:02d}-Q{index + 1}", start, after - timedelta(days=1))


def previous_quarter(quarter: Quarter) -> Quarter:
    return quarter_of(quarter.start - timedelta(days=1))


def last_complete_quarter(today: date) -> Quarter:
    return previous_quarter(quarter_of(today))


def complete_quarters(today: date, count: int) -> list[Quarter]:
    """The `count` most recent complete quarters, newest first."""
    quarters = [last_complete_quarter(today)]
    while len(quarters) < count:
        quarters.append(previous_quarter(quarters[-1]))
    return quarters


def quarter_named(name: str) -> Quarter | None:
    """The quarter called `name` (e.g. "2025-26-Q3"), or None if the name is not one."""
    try:
        years, q = name.rsplit("-Q", 1)
        year = int(years.split("-", 1)[0])
        index = int(q) - 1
    except ValueError:
        return None
    if not (0 <= index <= 3 and 1900 <= year <= 2100):
        return None
    month = 4 + 3 * index
    quarter = quarter_of(date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1))
    return quarter if quarter.name == name else None


def quarter_name_of(start: date, end: date) -> str:
    """The quarter's name when [start, end] is exactly one quarter, else "START-to-END"."""
    quarter = quarter_of(start)
    if quarter.start == start and quarter.end == end:
        return quarter.name
    return f"{start:%Y-%m-%d}-to-{end:%Y-%m-%d}"


def period_for_quarter(name: str) -> tuple[date, date]:
    """`2026-27-Q3` -> (2026-10-01, 2026-12-31); a clear ValueError for anything else."""
    quarter = quarter_named(name.strip())
    if quarter is None:
        raise ValueError(f"{name!r} is not a quarter: write it like 2026-27-Q3.")
    return quarter.start, quarter.end


def month_named(name: str) -> tuple[date, date] | None:
    """`2026-10` -> (2026-10-01, 2026-10-31), or None if the name is not a month."""
    try:
        year, month = (int(part) for part in name.strip().split("-"))
        start = date(year, month, 1)
    except ValueError:
        return None
    if not 1900 <= year <= 2100 or name.strip() != f"{year:04d}-{month:02d}":
        return None
    after = date(year + month // 12, month % 12 + 1, 1)
    return start, after - timedelta(days=1)


@dataclass(frozen=True)
class FinancialYear:
    """1 April to 31 March: `2026-27` is 2026-04-01 to 2027-03-31."""

    name: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def financial_year_of(day: date) -> FinancialYear:
    year = day.year if day.month >= 4 else day.year - 1
    return FinancialYear(f"{year}-{(year + 1) % 100:02d}", date(year, 4, 1), date(year + 1, 3, 31))


def financial_year_named(name: str) -> tuple[date, date] | None:
    """`2026-27` -> (2026-04-01, 2027-03-31), or None if the name is not a financial year."""
    first = quarter_named(f"{name.strip()}-Q1")
    return (first.start, date(first.start.year + 1, 3, 31)) if first else None


def whole_period_name(start: date, end: date) -> str | None:
    """The name of [start, end] when it is exactly one month, quarter or financial year."""
    if not 1900 <= start.year <= 2100:
        return None
    if month_named(f"{start:%Y-%m}") == (start, end):
        return f"{start:%Y-%m}"
    quarter = quarter_of(start)
    if (quarter.start, quarter.end) == (start, end):
        return quarter.name
    year = quarter.name[:7]
    return year if financial_year_named(year) == (start, end) else None
