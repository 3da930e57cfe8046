"""The GOV.UK date input and text fields every app's forms are built from."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.utils import timezone

from core.govuk_forms import GovukDateField, NotInFuture, text_field


class VisitForm(forms.Form):
    date_of_birth = GovukDateField(label="Date of birth", past=True)
    visit_date = GovukDateField(label="Date of the visit", not_future=True, required=False)
    follow_up = GovukDateField(label="Follow up by", name="Follow-up date", required=False)
    notes = text_field("Notes", max_length=20, multiline=True, required=False)
    town = text_field("Town", max_length=50)


def typed(day: datetime.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def errors_for(**answers: list[str] | str) -> dict[str, list[str]]:
    data: dict[str, str] = {
        "date_of_birth_0": "27",
        "date_of_birth_1": "3",
        "date_of_birth_2": "2001",
    }
    data["town"] = "Dudley"
    for name, answer in answers.items():
        if isinstance(answer, str):
            data[name] = answer
        else:
            data.update({f"{name}_{n}": part for n, part in enumerate(answer)})
    form = VisitForm(data)
    form.is_valid()
    return form.errors


def test_a_complete_real_date_comes_out_as_a_date() -> None:
    form = VisitForm(
        {
            "date_of_birth_0": "5",
            "date_of_birth_1": "11",
            "date_of_birth_2": "1999",
            "town": "Dudley",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == datetime.date(1999, 11, 5)
    assert form.cleaned_data["visit_date"] is None


def test_an_empty_required_date_asks_for_it_by_name() -> None:
    assert errors_for(date_of_birth=["", "", ""])["date_of_birth"] == ["Enter the date of birth"]


def test_a_missing_month_is_named() -> None:
    assert errors_for(date_of_birth=["27", "", "2001"])["date_of_birth"] == [
        "Date of birth must include a month"
    ]


def test_a_missing_day_and_year_are_both_named() -> None:
    assert errors_for(date_of_birth=["", "3", ""])["date_of_birth"] == [
        "Date of birth must include a day and a year"
    ]


@pytest.mark.parametrize("answer", [["31", "2", "2001"], ["x", "3", "2001"], ["1", "13", "2001"]])
def test_an_impossible_date_must_be_a_real_date(answer: list[str]) -> None:
    assert errors_for(date_of_birth=answer)["date_of_birth"] == [
        "Date of birth must be a real date"
    ]


def test_a_two_digit_year_is_refused() -> None:
    assert errors_for(date_of_birth=["27", "3", "01"])["date_of_birth"] == [
        "Year must include 4 numbers"
    ]


def test_years_outside_1900_to_2100_are_refused() -> None:
    assert errors_for(date_of_birth=["1", "1", "1899"])["date_of_birth"] == [
        "Date of birth must be after 1900"
    ]
    assert errors_for(follow_up=["1", "1", "2101"])["follow_up"] == [
        "Follow-up date must be the same as or before 31 December 2100"
    ]


def test_a_future_date_must_be_today_or_in_the_past() -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert errors_for(visit_date=typed(tomorrow))["visit_date"] == [
        "Date of the visit must be today or in the past"
    ]


def test_today_is_not_in_the_future() -> None:
    assert "visit_date" not in errors_for(visit_date=typed(timezone.localdate()))


def test_a_date_that_must_be_past_refuses_today() -> None:
    assert errors_for(date_of_birth=typed(timezone.localdate()))["date_of_birth"] == [
        "Date of birth must be in the past"
    ]


def test_messages_use_the_name_given_instead_of_the_label() -> None:
    assert errors_for(follow_up=["", "6", "2030"])["follow_up"] == [
        "Follow-up date must include a day"
    ]


def test_the_not_in_future_rule_works_on_any_date_field() -> None:
    class ContactForm(forms.Form):
        date = forms.DateField(validators=[NotInFuture("Date")])

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = ContactForm({"date": tomorrow.isoformat()})
    assert not form.is_valid()
    assert form.errors["date"] == ["Date must be today or in the past"]


def test_the_date_shows_again_as_day_month_and_year() -> None:
    form = VisitForm(initial={"visit_date": datetime.date(2026, 3, 27)})
    html = str(form["visit_date"])
    assert 'value="27"' in html and 'value="3"' in html and 'value="2026"' in html


def test_an_empty_text_field_asks_for_it_by_its_label() -> None:
    assert errors_for(town="")["town"] == ["Enter town"]


def test_a_text_field_says_how_long_it_may_be() -> None:
    assert errors_for(notes="x" * 21)["notes"] == ["Notes must be 20 characters or fewer"]


def test_a_text_field_can_be_a_textarea_with_its_own_required_message() -> None:
    field = text_field(
        "Reason", max_length=2000, multiline=True, required_message="Say why it changed"
    )
    assert isinstance(field.widget, forms.Textarea)
    with pytest.raises(forms.ValidationError) as error:
        field.clean("")
    assert error.value.messages == ["Say why it changed"]
