"""The automatic checks: age on the received date, Birmingham district, consent; and the
working-day arithmetic of the queue's highlight."""

from __future__ import annotations

from datetime import date

import pytest

from referrals.eligibility import (
    age_on,
    area_check,
    birmingham_districts,
    normalise_postcode,
    postcode_district,
    working_days_before,
)
from referrals.models import Referral


def referral(**fields: object) -> Referral:
    defaults: dict[str, object] = {
        "received_date": date(2026, 3, 1),
        "date_of_birth": date(2000, 1, 1),
        "postcode": "B12 9LP",
        "consent": True,
    }
    return Referral(**(defaults | fields))


@pytest.mark.parametrize(
    ("born", "age"),
    [
        (date(2008, 3, 1), 18),
        (date(2008, 3, 2), 17),
        (date(1990, 3, 1), 36),
        (date(1990, 3, 2), 35),
    ],
)
def test_age_is_counted_on_the_received_date(born: date, age: int) -> None:
    assert age_on(born, date(2026, 3, 1)) == age


def test_a_leap_day_birthday_counts_from_the_first_of_march() -> None:
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_the_district_list_covers_birmingham_and_sutton_coldfield_only() -> None:
    districts = birmingham_districts()
    assert {"B1", "B21", "B23", "B38", "B40", "B42", "B48", "B72", "B76"} <= districts
    assert not {"B22", "B39", "B41", "B49", "B66", "B90", "B99", "WS1", "CV1"} & districts


@pytest.mark.parametrize(
    ("postcode", "district"),
    [("b12 9lp", "B12"), ("B129LP", "B12"), ("B1 1AA", "B1"), ("SW1A 1AA", "SW1A"), ("B7", "B7")],
)
def test_the_district_is_the_outward_code(postcode: str, district: str) -> None:
    assert postcode_district(postcode) == district


def test_postcodes_are_tidied() -> None:
    assert normalise_postcode(" b12  9lp ") == "B12 9LP"


@pytest.mark.parametrize(
    ("postcode", "passed"),
    [("B12 9LP", True), ("B75 5AA", True), ("B66 1AA", False), ("WS2 9ZZ", False), ("", None)],
)
def test_the_area_check(postcode: str, passed: bool | None) -> None:
    assert area_check(referral(postcode=postcode)).passed is passed


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 18), date(2026, 3, 11)),  # Wednesday -> Wednesday before
        (date(2026, 3, 16), date(2026, 3, 9)),  # Monday -> Monday before
        (date(2026, 3, 15), date(2026, 3, 9)),  # Sunday -> Monday before
    ],
)
def test_working_days_skip_weekends(today: date, expected: date) -> None:
    assert working_days_before(today, 5) == expected
