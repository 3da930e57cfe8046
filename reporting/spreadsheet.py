"""Cells for the CSV files people open in a spreadsheet: the returns and the evaluators'
extract write every value through safe_cell."""

from __future__ import annotations

from typing import Any

#: Spreadsheets run cells that start with these as formulas: never let a cell do so.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A value as a CSV cell: null is empty, booleans are true/false, numbers as they are,
    and text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(FORMULA_STARTS) and text != "-" and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
