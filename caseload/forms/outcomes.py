"""Recording an outcome's start and its end."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from caseload.models import Outcome
from core.govuk_forms import GovukDateField
from core.once import OnceForm


class OutcomeForm(OnceForm):
    type = forms.ChoiceField(
        label="What has started?",
        choices=Outcome.Type.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what has started"},
    )
    start_date = GovukDateField(label="Start date")
    employer_name = forms.CharField(
        label="Employer, business or provider", required=False, max_length=200
    )
    role = forms.CharField(label="Job title or course", required=False, max_length=150)
    hours_per_week = forms.DecimalField(
        label="Hours a week",
        required=False,
        min_value=1,
        max_value=80,
        max_digits=4,
        decimal_places=1,
        error_messages={
            "min_value": "Enter at least 1 hour",
            "max_value": "Enter at most 80 hours",
            "invalid": "Enter the hours as a number, like 37.5",
        },
    )
    contract = forms.ChoiceField(
        label="Contract",
        required=False,
        choices=[
            ("", "Not applicable"),
            ("permanent", "Permanent"),
            ("fixed_term", "Fixed term"),
            ("zero_hours", "Zero hours"),
            ("agency", "Agency"),
            ("apprenticeship", "Apprenticeship"),
        ],
    )
    competitive = forms.TypedChoiceField(
        label="Is it competitive employment?",
        required=False,
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        choices=[("yes", "Yes: open to anyone, paid at least the going rate"), ("no", "No")],
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("type")
        if kind in Outcome.PAID and cleaned.get("hours_per_week") is None:
            self.add_error("hours_per_week", "Enter the hours a week for paid work")
        if kind == Outcome.Type.PAID_EMPLOYMENT and not cleaned.get("employer_name"):
            self.add_error("employer_name", "Enter the employer")
        start = cleaned.get("start_date")
        if start and start > timezone.localdate() + datetime.timedelta(days=31):
            self.add_error("start_date", "The start date can be at most a month ahead")
        return cleaned


class OutcomeEndForm(forms.Form):
    end_date = GovukDateField(label="Date it ended", not_future=True)
    reason = forms.CharField(
        label="Why did it end?", max_length=200, error_messages={"required": "Say why it ended"}
    )
