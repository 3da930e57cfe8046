"""Form fields in the GOV.UK Design System's patterns, with its error messages.

Every app builds its forms from these: `GovukDateField` for a date typed as day, month and
year (the "Date input" pattern), `NotInFuture` for a day that must have happened, and
`text_field` for a text box or textarea. Templates render them with
`{{ form.field.as_field_group }}`: the form renderer (core/forms_renderer.py) draws a text
field with includes/field.html and a `GovukDateField` with includes/date_input.html.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

#: The years a date may fall in: outside these it is a typing mistake.
FIRST_YEAR = 1900
LAST_YEAR = 2100

_NUMBER = re.compile(r"[0-9]{1,4}")


class NotInFuture:
    """A validator for a day that has happened: today or earlier.

    Its message names the date, as GOV.UK's do: "Date of the assessment must be today or in
    the past". `GovukDateField(not_future=True)` uses it; other date fields can list it in
    their `validators`.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.message = f"{name} must be today or in the past"

    def __call__(self, value: datetime.date | None) -> None:
        if value is not None and value > timezone.localdate():
            raise ValidationError(self.message, code="not_future")


class DateInputWidget(forms.MultiWidget):
    """Three text boxes, day, month and year; rendered by includes/date_input.html."""

    #: The partial `as_field_group` draws a field with this widget in (core/forms_renderer.py).
    field_template_name = "includes/date_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        parts = [forms.TextInput(attrs={"inputmode": "numeric"}) for _ in range(3)]
        super().__init__(parts, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK's error messages.

    The messages call the date by `name`, which is the label unless given ("Enter the date
    of birth", "Date of birth must include a month", "Date of birth must be a real date").
    `not_future=True` refuses a date after today ("... must be today or in the past");
    `past=True` refuses today and later ("... must be in the past").
    """

    widget = DateInputWidget

    def __init__(
        self,
        *,
        label: str,
        name: str = "",
        not_future: bool = False,
        past: bool = False,
        **kwargs: Any,
    ) -> None:
        self.name = name or label
        self.past = past
        parts = tuple(forms.CharField(required=False) for _ in range(3))
        kwargs.setdefault("error_messages", {"required": f"Enter the {self.name.lower()}"})
        validators = list(kwargs.pop("validators", []))
        if not_future:
            validators.append(NotInFuture(self.name))
        super().__init__(
            parts, label=label, require_all_fields=False, validators=validators, **kwargs
        )

    def clean(self, value: Any) -> datetime.date | None:
        values = list(value) if isinstance(value, list | tuple) else []
        parts = [str(part or "").strip() for part in [*values, None, None, None][:3]]
        if not any(parts):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        labels = ("day", "month", "year")
        missing = [label for label, text in zip(labels, parts, strict=True) if not text]
        if missing:
            raise ValidationError(
                f"{self.name} must include a {' and a '.join(missing)}", code="incomplete"
            )
        if not all(_NUMBER.fullmatch(text) for text in parts):
            raise ValidationError(f"{self.name} must be a real date", code="invalid")
        if len(parts[2]) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        day, month, year = (int(text) for text in parts)
        try:
            result = datetime.date(year, month, day)
        except ValueError:
            raise ValidationError(f"{self.name} must be a real date", code="invalid") from None
        if year < FIRST_YEAR:
            raise ValidationError(f"{self.name} must be after {FIRST_YEAR}", code="too_early")
        if year > LAST_YEAR:
            raise ValidationError(
                f"{self.name} must be the same as or before 31 December {LAST_YEAR}",
                code="too_late",
            )
        if self.past and result >= timezone.localdate():
            raise ValidationError(f"{self.name} must be in the past", code="past")
        self.run_validators(result)
        return result

    def compress(self, data_list: list[Any]) -> Any:  # pragma: no cover - clean() does it
        return data_list


def text_field(
    label: str,
    *,
    max_length: int,
    required: bool = True,
    required_message: str = "",
    multiline: bool = False,
    **kwargs: Any,
) -> forms.CharField:
    """A text box (a textarea if `multiline`) with GOV.UK's messages: "Enter <label>" when
    it is empty (or `required_message`) and "<Label> must be 2,000 characters or fewer"."""
    messages = {"max_length": f"{label} must be {max_length:,} characters or fewer"}
    if required:
        messages["required"] = required_message or f"Enter {label.lower()}"
    if multiline:
        kwargs.setdefault("widget", forms.Textarea)
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages=messages,
        **kwargs,
    )


#: The longest reason the history keeps (simple-history's change-reason column).
REASON_MAX_LENGTH = 100


class ReasonForm(forms.Form):
    """Why an action is taken, kept in the record's history: for the confirmation pages of
    actions that need one (withdrawing a referral, the waiting list, reopening a case)."""

    def __init__(
        self, *args: Any, label: str, required_message: str, hint: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = text_field(
            label,
            max_length=REASON_MAX_LENGTH,
            required_message=required_message,
            help_text=hint,
        )

    def clean_reason(self) -> str:
        return str(self.cleaned_data["reason"]).strip()
