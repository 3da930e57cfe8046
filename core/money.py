"""Money is held in whole pence (integers); people read and write pounds.

- `parse_pounds("£1,234.56")` gives 123456, or raises `AmountError` (a ValueError).
- `pounds_to_pence(Decimal("1234.56"))` does the same for a number a form has cleaned.
- `format_pounds(123456)` gives "£1,234.56" and `format_pounds(150000)` "£1,500": pence
  only when there are some, as GOV.UK's style guide says.
- `pounds_for_input(123456)` gives "1234.56", the value to put back in a text box.
- `pence_to_pounds(123456)` gives 1234.56, a number for JSON figures.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Literal

#: Amounts from this many pounds up are refused as typing mistakes (and would not fit the
#: database's 64-bit integers as pence).
TOO_MANY_POUNDS = Decimal(10) ** 15


class AmountError(ValueError):
    """The text is not an amount in pounds. `reason` is "invalid" (not a number),
    "decimal_places" (more than 2 digits of pence) or "too_large"."""

    def __init__(
        self, message: str, reason: Literal["invalid", "decimal_places", "too_large"]
    ) -> None:
        super().__init__(message)
        self.reason = reason


def pounds_to_pence(amount: Decimal | int) -> int:
    """A number of pounds with at most 2 decimal places as whole pence: 1234.5 -> 123450.

    The sign is kept: whether a negative or zero amount is allowed is the caller's rule.
    """
    return _whole_pence(Decimal(amount), shown=str(amount))


def parse_pounds(text: str) -> int:
    """Pounds as people type them ("1500", "1,500.50", "£1,500") as whole pence.

    Raises AmountError, a ValueError whose message quotes the text: "'12.345' is not a
    number with at most 2 decimal places". The sign is kept, as in `pounds_to_pence`.
    """
    plain = text.strip().removeprefix("£").replace(",", "").strip()
    try:
        amount = Decimal(plain)
    except InvalidOperation:
        raise AmountError(f"{text!r} is not a number", "invalid") from None
    return _whole_pence(amount, shown=text)


def _whole_pence(amount: Decimal, *, shown: str) -> int:
    if not amount.is_finite():
        raise AmountError(f"{shown!r} is not a number", "invalid")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise AmountError(
            f"{shown!r} is not a number with at most 2 decimal places", "decimal_places"
        )
    if abs(amount) >= TOO_MANY_POUNDS:
        raise AmountError(f"{shown!r} is too large an amount", "too_large")
    return int(amount * 100)


def _pounds_and_pence(pence: int) -> tuple[str, int, int]:
    pounds, rest = divmod(abs(int(pence)), 100)
    return ("-" if pence < 0 else ""), pounds, rest


def format_pounds(pence: int | None) -> str:
    """ "£1,500" for whole pounds, "£1,234.56" otherwise, "-£5" below zero; "" for None."""
    if pence is None:
        return ""
    sign, pounds, rest = _pounds_and_pence(pence)
    return f"{sign}£{pounds:,}" + (f".{rest:02d}" if rest else "")


def pounds_for_input(pence: int | None) -> str:
    """The value to show in a text box for pounds: "1500" or "1234.56"; "" for None."""
    if pence is None:
        return ""
    sign, pounds, rest = _pounds_and_pence(pence)
    return f"{sign}{pounds}" + (f".{rest:02d}" if rest else "")


def pence_to_pounds(pence: int) -> float:
    """Pence as a number of pounds, for JSON: 120050 -> 1200.5."""
    return float(Decimal(pence) / 100)
