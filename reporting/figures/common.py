"""What every section of the return shares: periods, day counts in the database, rounding,
and the two states of a case the definitions lean on (open, active)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Value,
)
from django.db.models.fields import DateField

from caseload.models import Contact
from caseload.models.cases import ACTIVE_WITHIN_DAYS
from caseload.models.contacts import CLIENT_CONTACT

FACE_TO_FACE_EMPLOYER = Q(mode=Contact.Mode.FACE_TO_FACE, party=Contact.Party.EMPLOYER)

_TENTH = Decimal("0.1")


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
