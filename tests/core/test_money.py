"""Money is held in whole pence and read and written in pounds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.money import (
    AmountError,
    format_pounds,
    parse_pounds,
    pence_to_pounds,
    pounds_for_input,
    pounds_to_pence,
)
from core.templatetags.money import pounds


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("1500", 150_000),
        ("1,234.56", 123_456),
        ("£1,234.56", 123_456),
        (" £60,000 ", 6_000_000),
        ("450.5", 45_050),
        ("0", 0),
    ],
)
def test_pounds_as_people_type_them_become_whole_pence(text: str, pence: int) -> None:
    assert parse_pounds(text) == pence


def test_more_than_two_digits_of_pence_is_refused() -> None:
    with pytest.raises(
        ValueError, match=r"^'12\.345' is not a number with at most 2 decimal places$"
    ):
        parse_pounds("12.345")


@pytest.mark.parametrize("text", ["lots", "", "£", "NaN", "Infinity", "12..3"])
def test_text_that_is_not_a_number_is_refused(text: str) -> None:
    with pytest.raises(AmountError) as error:
        parse_pounds(text)
    assert error.value.reason == "invalid"
    assert str(error.value) == f"{text!r} is not a number"


def test_an_absurdly_large_amount_is_refused_rather_than_overflowing() -> None:
    with pytest.raises(AmountError) as error:
        parse_pounds("1e999999")
    assert error.value.reason == "too_large"


def test_the_sign_is_left_for_the_caller_to_judge() -> None:
    assert parse_pounds("-5") == -500


def test_a_cleaned_decimal_becomes_whole_pence() -> None:
    assert pounds_to_pence(Decimal("60000.00")) == 6_000_000
    with pytest.raises(AmountError):
        pounds_to_pence(Decimal("0.001"))


@pytest.mark.parametrize(
    ("pence", "shown"),
    [
        (123_456, "£1,234.56"),
        (150_000, "£1,500"),
        (5, "£0.05"),
        (0, "£0"),
        (-500, "-£5"),
        (None, ""),
    ],
)
def test_pence_are_shown_in_pounds_with_pence_only_when_there_are_some(
    pence: int | None, shown: str
) -> None:
    assert format_pounds(pence) == shown
    assert pounds(pence) == shown


@pytest.mark.parametrize(
    ("pence", "text"), [(123_456, "1234.56"), (150_000, "1500"), (125_050, "1250.50"), (None, "")]
)
def test_an_amount_goes_back_into_a_text_box_without_the_pound_sign_or_commas(
    pence: int | None, text: str
) -> None:
    assert pounds_for_input(pence) == text
    if pence is not None:
        assert parse_pounds(text) == pence


def test_pence_become_a_number_of_pounds_for_json() -> None:
    assert pence_to_pounds(120_050) == 1200.5
    assert pence_to_pounds(0) == 0.0
