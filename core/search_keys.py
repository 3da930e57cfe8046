"""Keys for finding a record by what people type: one normalisation for the words stored and
the words searched for, so that case, accents, spaces and punctuation never stop a match.

    fold("  Zoë  O'Brien-Smith ")   -> "zoe obrien smith"
    phone_digits("+44 7700 900-123") -> "07700900123"
    compact(" b12 9lp ")             -> "B129LP"     (a postcode, a reference: E4E7KQ2XM4D)

A record keeps its keys in `SearchKeyField`s, made from its other fields whenever it is
written (see the field), so the same key comes out on SQLite and PostgreSQL, and a search
compares plain stored strings (which PostgreSQL can index with pg_trgm).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from django.db import models

#: Apostrophes go, straight or curly, so that O'Brien and OBrien are one name.
_APOSTROPHES = dict.fromkeys(map(ord, "'\u2019\u2018`\u00b4\u02bc"), None)
#: Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "\u0131": "i",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
    }
)
#: Anything else that is not a letter or a digit (hyphens, dots, commas) parts words.
_NOT_A_WORD = re.compile(r"[\W_]+")
_NOT_ALPHANUMERIC = re.compile(r"[^A-Z0-9]+")


def fold(text: str) -> str:
    """Lower case (case-folded), accents taken off, apostrophes dropped, any other
    punctuation and runs of spaces made one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_APOSTROPHES))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_LETTERS)
    return " ".join(_NOT_A_WORD.sub(" ", plain).split())


def phone_digits(text: str) -> str:
    """The digits of a phone number, a UK one from its international form (+44 or 0044)
    written from 0, as the referral forms store it."""
    digits = "".join(ch for ch in text if "0" <= ch <= "9")
    if text.strip().startswith("+") and digits.startswith("44"):
        return "0" + digits[2:]
    if digits.startswith("0044"):
        return "0" + digits[4:]
    return digits


def compact(text: str) -> str:
    """Capitals and digits only: a postcode ("B12 9LP" -> "B129LP") or a reference
    ("e4e-7kq2-xm4d" -> "E4E7KQ2XM4D"), or the start of one."""
    return _NOT_ALPHANUMERIC.sub("", text.upper())


class SearchKeyField(models.CharField):
    """A key made from the record's other fields by `derive(record)`, never typed.

    It is made again whenever the record is written, as `auto_now` is: Django asks each field
    for its value on save() and on bulk_create(), and core.bulk's inserts (the legacy import
    and the synthetic history) ask the same way. A save(update_fields=...) that leaves the key
    out, QuerySet.update() and bulk_update() do not ask: none is used on a record with keys
    (tests/core/test_code_rules.py), and the model's app reports a key that disagrees in its
    invariants (referrals/invariants.py).
    A key longer than the column is cut.

    Migrations record it as the CharField it is stored as, so they never depend on `derive`.
    A row written without it (by code that predates it) gets an empty key from the database,
    which the invariants report until the record is saved again.
    """

    def __init__(
        self, *args: Any, derive: Callable[[Any], str] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("default", "")
        # And in the database: rows written by code that predates the key (older processes
        # during a deploy, migration tests' older model states) still insert.
        kwargs.setdefault("db_default", "")
        kwargs["blank"] = True
        kwargs["editable"] = False
        self.derive = derive
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs

    def made_for(self, record: models.Model) -> str:
        """The key the record's fields make now."""
        assert self.derive is not None, f"{self.name} has nothing to make it from"
        return self.derive(record)[: self.max_length]

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if self.derive is None:
            return super().pre_save(model_instance, add)
        value = self.made_for(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def search_key_fields(model: type[models.Model]) -> list[SearchKeyField]:
    """The model's keys, for writers that build rows themselves (core.bulk): each key's
    `pre_save(record, add=True)` makes it as a write would."""
    return [f for f in model._meta.concrete_fields if isinstance(f, SearchKeyField)]
