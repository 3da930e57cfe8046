"""Forms of the returns: choosing the quarter, and the manager's narrative."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from core.govuk_forms import text_field
from core.once import OnceForm
from core.periods import Quarter, complete_quarters, quarter_named

#: Quarters offered when starting a return: the last three years' complete quarters.
QUARTERS_OFFERED = 12
TEXT_LIMIT = 10_000
UPDATE_LIMIT = 2_000

NO_IDENTIFIERS = (
    "Do not include names, dates of birth, addresses or anything else that could identify "
    "the person."
)


class StartReturnForm(OnceForm):
    quarter = forms.ChoiceField(
        label="Which quarter is the return for?",
        help_text="Only complete quarters can be returned.",
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quarters = complete_quarters(today, QUARTERS_OFFERED)
        field = self.fields["quarter"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(q.name, q.label) for q in quarters]
        field.initial = quarters[0].name

    def clean_quarter(self) -> Quarter:
        quarter = quarter_named(self.cleaned_data["quarter"])
        if quarter is None:
            raise forms.ValidationError("Choose a quarter from the list.")
        return quarter


def _text(label: str, hint: str = "", limit: int = TEXT_LIMIT) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=limit,
        widget=forms.Textarea,
    )


class NarrativeForm(forms.Form):
    """The manager's narrative. It may be saved part-done; completeness is checked at
    sign-off. (The update on each active case is a form of its own: CaseUpdateForm.)"""

    progress = _text("Progress since last quarter")
    challenges = _text("Challenges")
    service_user_feedback = _text("Service-user feedback", NO_IDENTIFIERS)
    case_studies = _text(
        "Case studies",
        "Only people whose consent to a case study is recorded. " + NO_IDENTIFIERS,
    )
    case_studies_consent = forms.BooleanField(
        label="Consent is recorded for each case study above",
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if str(data.get("case_studies", "")).strip() and not data.get("case_studies_consent"):
            self.add_error(
                "case_studies_consent",
                "Confirm that consent is recorded for each case study, or remove the case studies.",
            )
        return data

    def service_arguments(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.base_fields}


class CaseUpdateForm(forms.Form):
    """The update on one case: objectives, what was achieved, next steps. Saving a draft
    takes any of them empty; submitting and reviewing need all three (the services say
    which is missing, on its field)."""

    objectives = text_field(
        "Objectives",
        max_length=UPDATE_LIMIT,
        required=False,
        multiline=True,
        help_text="What the person is working towards: the goals of their action plan.",
    )
    achieved = text_field(
        "What was achieved",
        max_length=UPDATE_LIMIT,
        required=False,
        multiline=True,
        help_text="In the quarter: contacts, goals done, outcomes, distance travelled.",
    )
    next_steps = text_field(
        "Next steps",
        max_length=UPDATE_LIMIT,
        required=False,
        multiline=True,
        help_text="What comes next, and who does it.",
    )

    def service_arguments(self) -> dict[str, str]:
        return {part: self.cleaned_data[part] for part in ("objectives", "achieved", "next_steps")}
