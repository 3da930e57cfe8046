"""An assessment against the published criteria."""

from __future__ import annotations

from typing import Any

from django import forms

from core.govuk_forms import text_field
from core.once import OnceForm
from enterprise_fund.models import CRITERIA

SCALE = [(str(n), str(n)) for n in range(1, 6)]


class AssessmentForm(OnceForm):
    summary = text_field("Overall comments", required=False, max_length=5000, multiline=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, title, guidance in CRITERIA:
            self.fields[name] = forms.TypedChoiceField(
                label=f"{title}: score",
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=f"{guidance} 1 is poor, 5 is strong.",
                error_messages={"required": f"Score {title.lower()} from 1 to 5"},
            )
            self.fields[f"{name}_notes"] = text_field(
                f"{title}: notes", required=False, max_length=5000, multiline=True
            )

    @property
    def criteria(self) -> list[dict[str, Any]]:
        return [
            {"title": title, "score": self[name], "notes": self[f"{name}_notes"]}
            for name, title, _guidance in CRITERIA
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "scores": {name: data[name] for name, _t, _g in CRITERIA},
            "notes": {name: data[f"{name}_notes"] for name, _t, _g in CRITERIA},
            "summary": data["summary"],
        }
