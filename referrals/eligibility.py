"""The automatic eligibility checks shown to the screener, each with its reason.

They inform the screener's decision; they never decide on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from referrals.models import Referral

MIN_AGE = 18
MAX_AGE = 35
DISTRICTS_FILE = Path(__file__).resolve().parent / "data" / "birmingham_districts.txt"

# A full UK postcode: outward code (area letters, district digits, optional letter or digit),
# then the inward code (a digit and two letters).
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


@dataclass(frozen=True)
class Check:
    """One check: `passed` is True, False, or None when it cannot be told."""

    name: str
    passed: bool | None
    reason: str

    @property
    def outcome(self) -> str:
        return {True: "Met", False: "Not met", None: "Check"}[self.passed]

    @property
    def colour(self) -> str:
        return {True: "green", False: "red", None: "yellow"}[self.passed]


@cache
def birmingham_districts() -> frozenset[str]:
    lines = DISTRICTS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().upper() for line in lines if line.strip() and not line.startswith("#")
    )


def normalise_postcode(value: str) -> str:
    """'b12 9lp' -> 'B12 9LP'; an outward code alone ('b12') -> 'B12'; otherwise as typed."""
    compact = "".join(value.split()).upper()
    match = _POSTCODE.match(compact)
    if match:
        return f"{match.group(1)} {match.group(2)}"
    return compact if _OUTWARD.match(compact) else value.strip().upper()


def is_valid_postcode(value: str) -> bool:
    compact = "".join(value.split()).upper()
    return bool(_POSTCODE.match(compact) or _OUTWARD.match(compact))


def postcode_district(postcode: str) -> str | None:
    """The outward code of a postcode (or of an outward code given alone), else None."""
    compact = "".join(postcode.split()).upper()
    match = _POSTCODE.match(compact)
    if match:
        return match.group(1)
    return compact if _OUTWARD.match(compact) else None


def age_on(date_of_birth: date, on: date) -> int:
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def _when(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def age_check(referral: Referral) -> Check:
    name = f"Aged {MIN_AGE} to {MAX_AGE}"
    age = age_on(referral.date_of_birth, referral.received_date)
    on = f"on the date the referral was received ({_when(referral.received_date)})"
    if age < MIN_AGE:
        return Check(name, False, f"Aged {age} {on}: under {MIN_AGE}.")
    if age > MAX_AGE:
        return Check(name, False, f"Aged {age} {on}: over {MAX_AGE}.")
    return Check(name, True, f"Aged {age} {on}.")


def area_check(referral: Referral) -> Check:
    name = "Lives in Birmingham"
    if not referral.postcode:
        return Check(name, None, "No postcode was given: ask the referrer where they live.")
    district = postcode_district(referral.postcode)
    if district is None:
        return Check(name, None, "The postcode is not in a recognised format: check it.")
    if district in birmingham_districts():
        return Check(name, True, f"{district} is a Birmingham postcode district.")
    return Check(name, False, f"{district} is not a Birmingham postcode district.")


def consent_check(referral: Referral) -> Check:
    name = "Consent recorded"
    if referral.consent:
        return Check(name, True, "The referrer recorded that the person agreed to the referral.")
    return Check(
        name,
        False,
        "The person's agreement is not recorded: check with the referrer before accepting.",
    )


def eligibility_checks(referral: Referral) -> list[Check]:
    return [age_check(referral), area_check(referral), consent_check(referral)]


def working_days_before(day: date, count: int) -> date:
    """The date `count` working days (Monday to Friday) before `day`.

    Bank holidays are counted as working days: the highlight may come a day early
    around them, never late.
    """
    while count > 0:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day
