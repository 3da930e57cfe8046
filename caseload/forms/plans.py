"""The vocational profile and the action plan's goals."""

from __future__ import annotations

from django import forms

from caseload.models import ActionPlanGoal
from core.govuk_forms import GovukDateField, text_field
from core.once import OnceForm


class VocationalProfileForm(forms.Form):
    work_history = text_field("Work history", required=False, max_length=5000, multiline=True)
    skills = text_field("Skills", required=False, max_length=5000, multiline=True)
    job_preferences = text_field("Job preferences", required=False, max_length=5000, multiline=True)
    hours_wanted = forms.CharField(label="Hours wanted", required=False, max_length=100)
    places_they_can_go = text_field(
        "Places they can safely go", required=False, max_length=2000, multiline=True
    )
    places_they_cannot_go = text_field(
        "Places they cannot safely go", required=False, max_length=2000, multiline=True
    )
    disclosure_plan = text_field(
        "Plan for disclosing convictions", required=False, max_length=5000, multiline=True
    )


class ActionPlanGoalForm(OnceForm):
    goal = forms.CharField(
        label="Goal", max_length=300, error_messages={"required": "Enter the goal"}
    )
    target_date = GovukDateField(label="Target date")
    status = forms.ChoiceField(
        label="Status", choices=ActionPlanGoal.Status.choices, widget=forms.RadioSelect
    )
