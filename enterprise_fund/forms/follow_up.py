"""After the award: the business starting, its income, and its stopping."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from core.govuk_forms import GovukDateField, text_field
from core.once import OnceForm
from enterprise_fund.forms.common import PoundsField


class BusinessStartForm(OnceForm):
    start_date = GovukDateField(label="Date the business started trading")
    business_name = forms.CharField(
        label="Name of the business",
        max_length=200,
        error_messages={"required": "Enter the name of the business"},
    )
    hours_per_week = forms.DecimalField(
        label="Hours a week",
        min_value=1,
        max_value=80,
        max_digits=4,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": "Enter the hours a week the applicant works in the business",
            "min_value": "Enter at least 1 hour",
            "max_value": "Enter at most 80 hours",
            "invalid": "Enter the hours as a number, like 20",
        },
    )

    def clean_start_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["start_date"]
        if value > timezone.localdate() + datetime.timedelta(days=31):
            raise forms.ValidationError("The start date can be at most a month ahead")
        return value


class IncomeForm(OnceForm):
    period_start = GovukDateField(label="From", name="Start of the period")
    period_end = GovukDateField(label="To", name="End of the period", not_future=True)
    income = PoundsField(label="Income in the period", allow_zero=True, help_text="In pounds")
    notes = text_field("Notes", required=False, max_length=2000, multiline=True)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must end on or after its start")
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "income_pence": data["income"],
            "notes": data["notes"],
        }


class BusinessStopForm(forms.Form):
    end_date = GovukDateField(label="Date the business stopped trading", not_future=True)
    reason = forms.CharField(
        label="Why did it stop?",
        max_length=200,
        widget=forms.Textarea,
        error_messages={"required": "Say why the business stopped"},
    )
