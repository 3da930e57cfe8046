"""What the fund's forms share: amounts in pounds, uploads, and the application's version."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from core.money import AmountError, parse_pounds
from core.uploads import MAX_BYTES, TOO_BIG
from enterprise_fund.files import check_attachment
from enterprise_fund.models import FundApplication

#: No single amount on these forms may be more than this (the fund is at most £75,000).
MAX_POUNDS = Decimal("1000000")
FILE_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


class PoundsField(forms.Field):
    """An amount in pounds and pence ("1500", "£1,500.00"), cleaned to whole pence."""

    def __init__(self, *, allow_zero: bool = False, **kwargs: Any) -> None:
        self.allow_zero = allow_zero
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        label = str(kwargs.get("label", "the amount")).lower()
        messages = {
            "required": f"Enter {label}",
            "invalid": "Enter an amount in pounds, like 450 or 450.50",
            "decimal_places": "Enter the pence as 2 digits at most, like 450.50",
            "too_large": f"Enter an amount of at most £{MAX_POUNDS:,}",
            "not_positive": "Enter more than £0",
            "negative": "Enter an amount of £0 or more",
        }
        super().__init__(error_messages={**messages, **kwargs.pop("error_messages", {})}, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        try:
            return parse_pounds(str(value))
        except AmountError as error:
            raise forms.ValidationError(
                self.error_messages[error.reason], code=error.reason
            ) from None

    def validate(self, value: int | None) -> None:
        super().validate(value)
        if value is None:
            return
        if value < 0 or (value == 0 and not self.allow_zero):
            code = "negative" if self.allow_zero else "not_positive"
            raise forms.ValidationError(self.error_messages[code], code=code)
        if value > MAX_POUNDS * 100:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")


class UploadField(forms.FileField):
    """A PDF, PNG or JPEG of at most 10 MB, checked by its content as well as its name."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": FILE_ACCEPT}))
        kwargs.setdefault("error_messages", {"required": "Choose a file to upload"})
        kwargs.setdefault("help_text", "A PDF, PNG or JPEG, 10 MB at most")
        super().__init__(max_length=255, allow_empty_file=False, **kwargs)
        self.error_messages["empty"] = "The selected file is empty"
        self.error_messages["invalid"] = "Choose a file to upload"
        self.error_messages["missing"] = "Choose a file to upload"
        self.error_messages["max_length"] = "The file's name must be 255 characters or fewer"

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload:
            if getattr(upload, "size", MAX_BYTES + 1) > MAX_BYTES:
                raise forms.ValidationError(TOO_BIG)
            check_attachment(upload)
        return upload


class VersionForm(forms.Form):
    """Carries the application's version: the one-time token of the page (CI-4)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)

    def __init__(self, *args: Any, application: FundApplication, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {"version": application.version, **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        self.fields["version"].error_messages["required"] = (
            "This form is out of date: open the application again"
        )
        self.fields["version"].error_messages["invalid"] = self.fields["version"].error_messages[
            "required"
        ]
