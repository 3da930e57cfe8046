"""Dates formatted as Django's `date` filter formats them, for the long lists of dates the
case file shows (a case's timeline, its history): `format_date(value, "j F Y")`, or for many
values `date_formatter("j F Y")`.

Django formats each value afresh: it looks up the active language, reads the format, and
translates the month's name every time, and a template calls a filter for each value; for a
timeline of a few hundred entries that took longer than the rest of the page. Here a format
is read once per language into its parts, with the names of the months and weekdays already
translated, and each value is formatted with plain arithmetic. The output is Django's; a
format with a letter not handled here (or a format setting's name) is left to Django.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable
from typing import Any

from django.utils import dates as names
from django.utils import formats, translation

#: How django.utils.dateformat reads a format: its letters, and a backslash's escapes.
FORMAT_LETTERS = re.compile(r"(?<!\\)([aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ])")
ESCAPED = re.compile(r"\\(.)")

Part = Callable[[Any], str]

#: The letters that need only the day, as django.utils.dateformat.DateFormat gives them.
DAY_LETTERS: dict[str, Part] = {
    "d": lambda v: f"{v.day:02d}",
    "j": lambda v: str(v.day),
    "m": lambda v: f"{v.month:02d}",
    "n": lambda v: str(v.month),
    "y": lambda v: f"{v.year % 100:02d}",
    "Y": lambda v: f"{v.year:04d}",
}
#: The letters that need the time, as django.utils.dateformat.TimeFormat gives them.
TIME_LETTERS: dict[str, Part] = {
    "G": lambda v: str(v.hour),
    "H": lambda v: f"{v.hour:02d}",
    "i": lambda v: f"{v.minute:02d}",
    "s": lambda v: f"{v.second:02d}",
}


def _text(text: str) -> Part:
    return lambda v: text


def _named(letter: str) -> Part | None:
    """The letters that name a month or a weekday, in the active language."""
    if letter == "F":
        months = {n: str(name) for n, name in names.MONTHS.items()}
        return lambda v: months[v.month]
    if letter == "M":
        short = {n: str(name).title() for n, name in names.MONTHS_3.items()}
        return lambda v: short[v.month]
    if letter == "l":
        weekdays = {n: str(name) for n, name in names.WEEKDAYS.items()}
        return lambda v: weekdays[v.weekday()]
    if letter == "D":
        abbreviated = {n: str(name) for n, name in names.WEEKDAYS_ABBR.items()}
        return lambda v: abbreviated[v.weekday()]
    return None


@functools.lru_cache(maxsize=256)
def compiled(fmt: str, language: str | None) -> tuple[list[Part], bool] | None:
    """The format's parts and whether any needs the time, or None when a letter is not
    handled here. `language` is part of the key: the names are translated into it."""
    parts: list[Part] = []
    needs_time = False
    for index, piece in enumerate(FORMAT_LETTERS.split(fmt)):
        if index % 2 == 0:
            if piece:
                parts.append(_text(ESCAPED.sub(r"\1", piece)))
            continue
        part = DAY_LETTERS.get(piece) or _named(piece)
        if part is None and piece in TIME_LETTERS:
            part, needs_time = TIME_LETTERS[piece], True
        if part is None:
            return None
        parts.append(part)
    return parts, needs_time


def format_date(value: datetime.date, fmt: str) -> str:
    """As `django.utils.formats.date_format(value, fmt)`; a datetime is shown as it is (give
    it in local time, as the template filter does)."""
    return date_formatter(fmt)(value)


def date_formatter(fmt: str) -> Callable[[datetime.date], str]:
    """`format_date` with this format, for many values: the active language (a lookup that
    takes as long as the formatting) and the format are looked up once."""
    found = None if fmt in formats.FORMAT_SETTINGS else compiled(fmt, translation.get_language())
    if found is None:
        return lambda value: formats.date_format(value, fmt)
    parts, needs_time = found

    def formatted(value: datetime.date) -> str:
        if needs_time and not isinstance(value, datetime.datetime):
            return formats.date_format(value, fmt)  # refused, as Django refuses it
        return "".join([part(value) for part in parts])

    return formatted
