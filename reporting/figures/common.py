"""What every section of the return shares: periods, day counts in the database, rounding,
and the two states of a case the definitions lean on (open, active)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.fields import DateField
from django.db.models.functions import Coalesce

from caseload.models import Contact

#: A case is active on d when a client contact falls within the 28 days ending on d.
ACTIVE_WITHIN_DAYS = 27
#: Client contacts: with the client, in any mode but admin.
CLIENT_CONTACT = Q(party=Contact.Party.CLIENT) & ~Q(mode=Contact.Mode.ADMIN)
FACE_TO_FACE_EMPLOYER = Q(mode=Contact.Mode.FACE_TO_FACE, party=Contact.Party.EMPLOYER)

_TENTH = Decimal("0.1")
_QUARTER = re.compile(r"(\d{4})-(\d{2})-Q([1-4])")


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


def period_for_quarter(name: str) -> tuple[date, date]:
    """`2026-27-Q3` -> (2026-10-01, 2026-12-31): financial-year quarters from April."""
    match = _QUARTER.fullmatch(name.strip())
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"{name!r} is not a quarter: write it like 2026-27-Q3.")
    year, quarter = int(match[1]), int(match[3])
    first_month = 4 + 3 * (quarter - 1)
    if first_month > 12:
        year, first_month = year + 1, first_month - 12
    start = date(year, first_month, 1)
    after = date(year + 1, 1, 1) if first_month == 10 else date(year, first_month + 3, 1)
    return start, after - timedelta(days=1)


class DaysBetween(Func):
    """Whole calendar days from `start` to `end` (end - start), the same on both databases.

    PostgreSQL subtracts dates to an integer; SQLite has no date type, so the difference
    of Julian day numbers (exact: both are x.5 for a date) is cast to an integer.
    """

    output_field = IntegerField()
    arity = 2

    def __init__(self, start: Any, end: Any) -> None:
        super().__init__(_as_date(end), _as_date(start))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra
        )


def _as_date(value: Any) -> Any:
    if isinstance(value, date):
        return Value(value, output_field=DateField())
    if isinstance(value, str):
        return F(value)
    return value


def ratio(numerator: int | Decimal, denominator: int | Decimal | None) -> float | None:
    """numerator / denominator rounded half-even to one decimal place; None for a zero
    denominator. Rounded from the exact decimal ratio, never from a float."""
    if not denominator:
        return None
    exact = Decimal(numerator) / Decimal(denominator)
    return float(exact.quantize(_TENTH, rounding=ROUND_HALF_EVEN))


def percentage(numerator: int, denominator: int | None) -> float | None:
    return ratio(100 * numerator, denominator)


def median(values: list[int]) -> float | None:
    """The median of whole days, to one decimal place (the middle two's mean is exact)."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return ratio(ordered[middle - 1] + ordered[middle], 2)


def count_by(queryset: QuerySet[Any], field: str) -> Coalesce:
    """An annotation for an outer query: how many rows of `queryset` have `field` equal to
    the outer row's pk (0 when none)."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def sum_by(queryset: QuerySet[Any], field: str, value: str) -> Coalesce:
    """An annotation for an outer query: the sum of `value` over the rows of `queryset` that
    have `field` equal to the outer row's pk (0 when none)."""
    summed = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(total=Sum(value))
        .values("total")
    )
    return Coalesce(Subquery(summed, output_field=IntegerField()), 0)


def open_on(day: date) -> Q:
    """For cases: open on `day` (started on or before it, not closed on or before it)."""
    return Q(start_date__lte=day) & (Q(closed_date__isnull=True) | Q(closed_date__gt=day))


def active_on(day: date) -> Q:
    """For cases: open on `day` with a client contact (the initial assessment, on the start
    date, included) on one of the 28 days ending on `day`."""
    since = day - timedelta(days=ACTIVE_WITHIN_DAYS)
    contact = Contact.objects.filter(CLIENT_CONTACT, case=OuterRef("pk"), date__range=(since, day))
    return open_on(day) & Q(Q(start_date__gte=since) | Q(Exists(contact)))


def active_after(days: int) -> Q:
    """For cases annotated with `days_open` (start to closed): active on the day `days`
    after their own start, a different calendar day for each case."""
    contact = (
        Contact.objects.filter(CLIENT_CONTACT, case=OuterRef("pk"))
        .alias(after_start=DaysBetween(OuterRef("start_date"), "date"))
        .filter(after_start__gte=days - ACTIVE_WITHIN_DAYS, after_start__lte=days)
    )
    still_open = Q(Q(closed_date__isnull=True) | Q(days_open__gt=days))
    if days <= ACTIVE_WITHIN_DAYS:
        return still_open  # the initial assessment itself is within the window
    return still_open & Q(Exists(contact))
