"""Money is held in integer pence; people read and write pounds."""

from __future__ import annotations


def format_pounds(pence: int | None) -> str:
    """£1,500 for whole pounds, £1,234.56 otherwise; an empty string for None."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(int(pence)), 100)
    return f"{sign}£{pounds:,}" + (f".{rest:02d}" if rest else "")
