from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from caseload.models import Case, InitialAssessment


class DayMonthYearField(forms.MultiValueField):
    """A date entered as day, month and year boxes (the GOV.UK date input pattern)."""

    widget: forms.MultiWidget

    def __init__(self, **kwargs: Any) -> None:
        fields = (
            forms.IntegerField(min_value=1, max_value=31),
            forms.IntegerField(min_value=1, max_value=12),
            forms.IntegerField(min_value=1900, max_value=2100),
        )
        widget = forms.MultiWidget(
            widgets=[
                forms.TextInput(attrs={"inputmode": "numeric"}),
                forms.TextInput(attrs={"inputmode": "numeric"}),
                forms.TextInput(attrs={"inputmode": "numeric"}),
            ]
        )
        widget.decompress = lambda value: [value.day, value.month, value.year] if value else []  # type: ignore[method-assign]
        kwargs.setdefault(
            "error_messages",
            {"incomplete": "Enter a day, month and year", "invalid": "Enter a real date"},
        )
        super().__init__(fields=fields, widget=widget, require_all_fields=True, **kwargs)

    def compress(self, data_list: list[int]) -> datetime.date | None:
        if not data_list:
            return None
        day, month, year = data_list
        try:
            return datetime.date(year, month, day)
        except ValueError as error:
            raise forms.ValidationError("Enter a real date") from error


class InitialAssessmentForm(forms.Form):
    date = DayMonthYearField(label="Date of the assessment")
    readiness = forms.ChoiceField(
        label="How ready are they to engage?",
        choices=InitialAssessment.Readiness.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how ready they are"},
    )
    goal = forms.ChoiceField(
        label="What is their main goal?",
        choices=InitialAssessment.Goal.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their main goal"},
    )
    barriers = forms.MultipleChoiceField(
        label="Barriers to work",
        required=False,
        choices=InitialAssessment.Barrier.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    benefits_situation = forms.CharField(
        label="Benefits situation", required=False, max_length=2000, widget=forms.Textarea
    )
    prior_similar_support = forms.ChoiceField(
        label="Have they had similar support before?",
        choices=Case.PriorSupport.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they have had similar support before"},
    )
    prior_support_details = forms.CharField(
        label="Details of earlier support", required=False, max_length=2000, widget=forms.Textarea
    )
    notes = forms.CharField(label="Notes", required=False, max_length=5000, widget=forms.Textarea)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        self.case = case
        super().__init__(*args, **kwargs)

    def clean_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date of the assessment cannot be in the future")
        if value < self.case.accepted_date:
            raise forms.ValidationError(
                "The assessment cannot be before the referral was accepted "
                f"({self.case.accepted_date:%-d %B %Y})"
            )
        return value
