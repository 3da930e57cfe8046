"""Forms of the returns: choosing the quarter, and the manager's narrative."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

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
    """The narrative, and one update (objectives, what was achieved, next steps) for each
    case active in the quarter, named by its pseudonym. Everything may be saved part-done;
    completeness is checked at sign-off."""

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

    PARTS = (
        ("objectives", "Objectives"),
        ("achieved", "What was achieved"),
        ("next_steps", "Next steps"),
    )

    def __init__(self, *args: Any, pseudonyms: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pseudonyms = list(pseudonyms)
        for pseudonym in self.pseudonyms:
            for part, label in self.PARTS:
                self.fields[self.update_field_name(pseudonym, part)] = _text(
                    label, limit=UPDATE_LIMIT
                )

    @staticmethod
    def update_field_name(pseudonym: str, part: str) -> str:
        return f"case-{pseudonym}-{part}"

    @classmethod
    def initial_for(
        cls, narrative: dict[str, Any], updates: list[dict[str, str]]
    ) -> dict[str, Any]:
        initial = dict(narrative)
        for update in updates:
            for part, _ in cls.PARTS:
                initial[cls.update_field_name(update["pseudonym"], part)] = update.get(part, "")
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if str(data.get("case_studies", "")).strip() and not data.get("case_studies_consent"):
            self.add_error(
                "case_studies_consent",
                "Confirm that consent is recorded for each case study, or remove the case studies.",
            )
        return data

    def case_groups(self) -> list[dict[str, Any]]:
        """For the template: each case's pseudonym and its three bound fields."""
        return [
            {
                "pseudonym": pseudonym,
                "fields": [self[self.update_field_name(pseudonym, part)] for part, _ in self.PARTS],
            }
            for pseudonym in self.pseudonyms
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "progress": data["progress"],
            "challenges": data["challenges"],
            "service_user_feedback": data["service_user_feedback"],
            "case_studies": data["case_studies"],
            "case_studies_consent": data["case_studies_consent"],
            "case_updates": [
                {
                    "pseudonym": pseudonym,
                    **{
                        part: data[self.update_field_name(pseudonym, part)]
                        for part, _ in self.PARTS
                    },
                }
                for pseudonym in self.pseudonyms
            ],
        }
