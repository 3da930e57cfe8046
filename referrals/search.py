"""Finding a person: one box for a name, a reference, a date of birth, a phone number or a
postcode, for the staff who work with people's records (the search page and the header's
box).

Who finds whom is `referrals_visible_to`'s rule, the one that opens the referral and case
pages: a specialist finds only the people whose case they may open, a manager every
referral and case. A search narrows that set and never widens it.

What was typed is read once (`search_terms`) into what to compare: the words of a name,
folded as the stored keys are (core.search_keys: case, accents and punctuation ignored),
each found anywhere in the name; a reference, or part of one, without its hyphens; the
digits of a phone number; a postcode or its start; a date of birth written day, month,
year (4/7/2001, 04-07-2001, 4 7 2001, 4 July 2001) or as 2001-07-04. Each is compared with
a key stored on the referral (referrals.models), indexed on PostgreSQL with pg_trgm. There,
a name also matches close spellings (a pg_trgm word similarity of 0.5 or more, which
e4e/settings.py sets for every connection); elsewhere, parts of names only. Each person
found says why.

A person whose details were removed (privacy/retention.py) is found by reference only.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from datetime import date
from functools import reduce
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, OrderBy, Q, QuerySet
from django.utils import timezone

from core.models import User
from core.search_keys import compact, fold, phone_digits
from referrals.models import Referral
from referrals.selectors import referrals_visible_to

#: At most this many people are listed: a longer list is a search to narrow.
RESULTS_LIMIT = 50
#: Letters or digits a search needs: one matches nearly everyone.
MIN_CHARACTERS = 2
#: Digits a phone number search needs.
MIN_PHONE_DIGITS = 3
#: Letters a name needs before close spellings are looked for: shorter ones are close to
#: too many (Al to Ali, Alex, Alfie, ...).
MIN_CLOSE_SPELLING_LETTERS = 4

EMPTY = "Enter a name, reference, date of birth, phone number or postcode"
TOO_SHORT = (
    f"Enter at least {MIN_CHARACTERS} letters or numbers of a name, reference, date of "
    "birth, phone number or postcode"
)
NOT_A_DATE = "Enter a real date of birth, like 4/7/2001 or 4 July 2001"

# Why a person was found, in the order the results are sorted by.
REFERENCE = "Reference"
NAME = "Name"
DATE_OF_BIRTH = "Date of birth"
PHONE = "Phone"
POSTCODE = "Postcode"
#: A name matched only by its spelling being close (PostgreSQL with pg_trgm).
CLOSE_SPELLING = "Close spelling"
#: Every reason a person can be found for.
REASONS = (REFERENCE, NAME, DATE_OF_BIRTH, PHONE, POSTCODE, CLOSE_SPELLING)

_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ /.\-]+(\d{1,2})[ /.\-]+(\d{4}|\d{2})")
_YEAR_MONTH_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WRITTEN_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?,? (\d{4})")
_MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_MONTH_NUMBERS = {
    **{name: number for number, name in enumerate(_MONTHS, 1)},
    **{name[:3]: number for number, name in enumerate(_MONTHS, 1)},
    "sept": 9,
}
_PHONE_CHARACTERS = re.compile(r"[0-9+()\-. ]+")
#: A postcode, or how one starts: B1, B12, B12 9, B12 9LP, SW1A 1AA.
_POSTCODE_START = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?(?:[0-9][A-Z]{0,2})?")


@dataclass(frozen=True)
class SearchTerms:
    """What one search compares, read from what was typed (`search_terms`)."""

    typed: str
    #: The words of a name, folded; each must be found in the person's name.
    words: tuple[str, ...] = ()
    #: A reference, or part of one, in capitals without hyphens or spaces.
    reference: str = ""
    phone: str = ""
    postcode: str = ""
    date_of_birth: date | None = None

    @property
    def name(self) -> str:
        return " ".join(self.words)


def _year(digits: str) -> int:
    """A two-digit year is the latest such year that is not after this one: 01 -> 2001."""
    year = int(digits)
    if len(digits) == 2:
        this_year = timezone.localdate().year
        year += 2000 if 2000 + year <= this_year else 1900
    return year


def _date_of_birth(text: str) -> date | None:
    """The date written, if the text is a date; ValidationError if it is written as one but
    is not a real date (31/2/2001); None if it is not written as a date."""
    lowered = text.lower()
    if match := _DAY_MONTH_YEAR.fullmatch(lowered):
        day, month, year = int(match[1]), int(match[2]), _year(match[3])
    elif match := _YEAR_MONTH_DAY.fullmatch(lowered):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif (match := _WRITTEN_DATE.fullmatch(lowered)) and match[2] in _MONTH_NUMBERS:
        day, month, year = int(match[1]), _MONTH_NUMBERS[match[2]], int(match[3])
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(NOT_A_DATE, code="invalid_date") from None


def search_terms(typed: str) -> SearchTerms:
    """What to compare for the text typed. Raises ValidationError (with the message to show)
    when it is too short to search by, or is written as a date that is not a real one.

    A date is searched as a date of birth only. Otherwise letters alone are a name; with
    digits, a reference (or part of one), and a phone number when there are only digits
    (and + ( ) - .), or a postcode when it is shaped like one or its start."""
    text = " ".join(typed.split())
    if not text:
        raise ValidationError(EMPTY, code="required")
    if sum(ch.isalnum() for ch in text) < MIN_CHARACTERS:
        raise ValidationError(TOO_SHORT, code="too_short")
    day = _date_of_birth(text)
    if day is not None:
        return SearchTerms(typed=text, date_of_birth=day)
    folded = fold(text)
    letters, digits = any(ch.isalpha() for ch in folded), any(ch.isdigit() for ch in folded)
    if not digits:
        return SearchTerms(typed=text, words=tuple(folded.split()))
    squeezed = compact(folded)
    phone = phone_digits(text) if not letters and _PHONE_CHARACTERS.fullmatch(text) else ""
    postcode = squeezed if letters and _POSTCODE_START.fullmatch(squeezed) else ""
    return SearchTerms(
        typed=text,
        reference=squeezed,
        phone=phone if len(phone) >= MIN_PHONE_DIGITS else "",
        postcode=postcode,
    )


# Asked of each database once a process: an extension comes with a migration, not at random.
_TRIGRAMS: dict[str, bool] = {}


def close_spellings_available() -> bool:
    """Whether names match close spellings here: PostgreSQL with pg_trgm installed (which
    migration referrals 0005 does where the database's owner may)."""
    if connection.vendor != "postgresql":
        return False
    database = str(connection.settings_dict["NAME"])
    if database not in _TRIGRAMS:
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')")
            _TRIGRAMS[database] = bool(cursor.fetchone()[0])
    return _TRIGRAMS[database]


def _conditions(terms: SearchTerms, *, close_spellings: bool) -> list[tuple[str, Any]]:
    """(why, condition) for each way the terms can match a referral, in the results' order."""
    # The person's details are searched only while the referral still holds them.
    held = Q(anonymised_at__isnull=True)
    found: list[tuple[str, Any]] = []
    if terms.reference:
        found.append((REFERENCE, Q(search_reference__contains=terms.reference)))
    if terms.words:
        found.append((NAME, held & Q(*(Q(search_name__contains=word) for word in terms.words))))
    if terms.date_of_birth:
        found.append((DATE_OF_BIRTH, held & Q(date_of_birth=terms.date_of_birth)))
    if terms.phone:
        found.append((PHONE, held & Q(search_phone__contains=terms.phone)))
    if terms.postcode:
        found.append((POSTCODE, held & Q(search_postcode__startswith=terms.postcode)))
    if terms.words and close_spellings:
        from django.contrib.postgres.lookups import TrigramWordSimilar

        found.append((CLOSE_SPELLING, held & Q(TrigramWordSimilar(F("search_name"), terms.name))))
    return found


@dataclass(frozen=True)
class Found:
    """A person found: their referral (with its case, if any) and why they matched."""

    referral: Referral
    reasons: tuple[str, ...]

    @property
    def case(self) -> Any:
        return getattr(self.referral, "case", None)


@dataclass(frozen=True)
class SearchResults:
    terms: SearchTerms
    found: list[Found]
    #: More matched than are listed.
    more: bool
    close_spellings: bool
    limit: int = RESULTS_LIMIT

    @property
    def searched(self) -> str:
        """What was searched, for the page: "Searched names and close spellings of names for
        “jo smith”", "Searched dates of birth for 4 July 2001"."""
        terms = self.terms
        if terms.date_of_birth:
            day = terms.date_of_birth
            return f"Searched dates of birth for {day.day} {day:%B %Y}"
        kinds = []
        if terms.words:
            kinds.append("names and close spellings of names" if self.close_spellings else "names")
        if terms.reference:
            kinds.append("references")
        if terms.phone:
            kinds.append("phone numbers")
        if terms.postcode:
            kinds.append("postcodes")
        listed = kinds[0] if len(kinds) == 1 else f"{', '.join(kinds[:-1])} and {kinds[-1]}"
        return f"Searched {listed} for “{terms.typed}”"


#: What the results list reads of each person (templates/search/people.html): nothing more
#: (no notes, no risks) is fetched to list them.
LISTED = (
    "reference",
    "first_name",
    "last_name",
    "date_of_birth",
    "status",
    "anonymised_at",
    "case__closed_date",
    "case__worker__full_name",
)


def people_found(user: User, terms: SearchTerms, *, limit: int = RESULTS_LIMIT) -> SearchResults:
    """The people the user may open that the terms match, at most `limit`, the strongest
    reason first (a reference, then a name, ...), then by name: one query.

    The referrals are chosen and sorted in a subquery of their own table, and only those
    listed are joined to their case and worker: a common name matches a thousand people at
    20,000 clients, and joining them all before choosing fifty was most of the time."""
    close_spellings = (
        len(terms.name.replace(" ", "")) >= MIN_CLOSE_SPELLING_LETTERS
        and close_spellings_available()
    )
    conditions = _conditions(terms, close_spellings=close_spellings)
    flags = {
        f"matched_{index}": ExpressionWrapper(condition, output_field=BooleanField())
        for index, (_, condition) in enumerate(conditions)
    }
    order: list[str | OrderBy] = [
        *(F(flag).desc() for flag in flags),
        "last_name",
        "first_name",
        "-pk",
    ]
    referrals: QuerySet[Referral] = referrals_visible_to(user)
    chosen = (
        referrals.filter(reduce(operator.or_, (condition for _, condition in conditions)))
        .alias(**flags)
        .order_by(*order)
        .values("pk")[: limit + 1]
    )
    rows = list(
        referrals.select_related(None)
        .select_related("case__worker")
        .only(*LISTED)
        .filter(pk__in=chosen)
        .annotate(**flags)
        .order_by(*order)
    )
    found = []
    for referral in rows[:limit]:
        reasons = [
            why for flag, (why, _) in zip(flags, conditions, strict=True) if getattr(referral, flag)
        ]
        if NAME in reasons and CLOSE_SPELLING in reasons:
            reasons.remove(CLOSE_SPELLING)
        found.append(Found(referral=referral, reasons=tuple(reasons)))
    return SearchResults(
        terms=terms,
        found=found,
        more=len(rows) > limit,
        close_spellings=close_spellings,
        limit=limit,
    )
