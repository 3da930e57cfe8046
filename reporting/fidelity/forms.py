"""A review against the IPS fidelity scale."""

from __future__ import annotations

from typing import Any

from django import forms

from core.govuk_forms import GovukDateField
from core.once import OnceForm


class FidelityReviewForm(OnceForm):
    """Score each of the 25 items from 1 to 5 with the evidence for the score."""

    period_start = GovukDateField(label="Period reviewed: from", name="Start of the period")
    period_end = GovukDateField(label="Period reviewed: to", name="End of the period")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from reporting.fidelity.scale import ITEMS

        super().__init__(*args, **kwargs)
        scores = [(str(n), str(n)) for n in range(1, 6)]
        for number, name in ITEMS:
            self.fields[f"score_{number}"] = forms.TypedChoiceField(
                label=f"{number}. {name}",
                choices=scores,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": f"Score item {number} from 1 to 5"},
            )
            self.fields[f"evidence_{number}"] = forms.CharField(
                label=f"Evidence for item {number}",
                required=False,
                max_length=2000,
                widget=forms.Textarea,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be after its start")
        return cleaned

    def item_fields(self) -> list[tuple[Any, Any]]:
        from reporting.fidelity.scale import ITEMS

        return [(self[f"score_{n}"], self[f"evidence_{n}"]) for n, _ in ITEMS]
