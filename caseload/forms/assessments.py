"""The initial assessment, risk assessment and distance travelled forms."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from caseload.models import Case, DistanceAssessment, InitialAssessment
from core.govuk_forms import GovukDateField
from core.once import OnceForm


class InitialAssessmentForm(OnceForm):
    date = GovukDateField(label="Date of the assessment", not_future=True)
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
        if value < self.case.accepted_date:
            raise forms.ValidationError(
                "The assessment cannot be before the referral was accepted "
                f"({self.case.accepted_date:%-d %B %Y})"
            )
        return value


class RiskAssessmentForm(OnceForm):
    date = GovukDateField(label="Date of the assessment", not_future=True)
    risks_to_client = forms.CharField(
        label="Risks to the person", max_length=5000, widget=forms.Textarea
    )
    risks_from_client = forms.CharField(
        label="Risks from the person", max_length=5000, widget=forms.Textarea
    )
    lone_working_plan = forms.CharField(
        label="Lone-working plan",
        max_length=5000,
        widget=forms.Textarea,
        help_text="Who knows where you are, when you check in, what happens if you do not",
    )
    safe_meeting_places = forms.CharField(
        label="Safe places to meet", required=False, max_length=2000, widget=forms.Textarea
    )
    places_to_avoid = forms.CharField(
        label="Places to avoid", required=False, max_length=2000, widget=forms.Textarea
    )
    review_date = GovukDateField(label="Review by", name="Review date")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, review = cleaned.get("date"), cleaned.get("review_date")
        if day and review and review < day:
            self.add_error("review_date", "The review date must be on or after the assessment")
        return cleaned


class DistanceAssessmentForm(OnceForm):
    date = GovukDateField(label="Date", not_future=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for domain in DistanceAssessment.DOMAINS:
            self.fields[domain] = forms.IntegerField(
                label=domain.capitalize(),
                min_value=1,
                max_value=10,
                help_text="1 (very low) to 10 (very high)",
                error_messages={
                    "required": f"Enter a score for {domain}",
                    "min_value": "Enter a score from 1 to 10",
                    "max_value": "Enter a score from 1 to 10",
                    "invalid": "Enter a score from 1 to 10",
                },
            )
