"""A review against the IPS fidelity scale."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms

from core.govuk_forms import GovukDateField
from core.once import OnceForm
from reporting.fidelity.scale import ITEMS, SECTIONS, Item, Section


@dataclass(frozen=True)
class ItemRow:
    """One item as the form shows it: its guidance, score options and evidence."""

    item: Item
    score: forms.BoundField
    evidence: forms.BoundField
    suggested: int | None

    @property
    def options(self) -> list[tuple[Any, str]]:
        """Each score's radio with the item's guidance for that score."""
        return list(zip(self.score.subwidgets, self.item.anchors, strict=True))


@dataclass(frozen=True)
class SectionRows:
    section: Section
    rows: list[ItemRow]
    #: The sum of the scores given so far, on a form sent back; None on a new form.
    subtotal: int | None
    scored: int


class FidelityReviewForm(OnceForm):
    """Score each of the 25 items from 1 to 5 with the evidence for the score."""

    period_start = GovukDateField(label="Period reviewed: from", name="Start of the period")
    period_end = GovukDateField(label="Period reviewed: to", name="End of the period")

    def __init__(
        self, *args: Any, suggested: Mapping[int, int | None] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.suggested = dict(suggested or {})
        scores = [(str(n), str(n)) for n in range(1, 6)]
        for item in ITEMS:
            number = item.number
            self.fields[f"score_{number}"] = forms.TypedChoiceField(
                label=f"{number}. {item.name}",
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

    def scores(self) -> dict[int, int]:
        """The scores that passed validation, by item (after is_valid)."""
        cleaned = getattr(self, "cleaned_data", {})
        return {
            item.number: cleaned[f"score_{item.number}"]
            for item in ITEMS
            if cleaned.get(f"score_{item.number}") is not None
        }

    def sections(self) -> list[SectionRows]:
        """The items in the scale's sections; on a form sent back, each section's subtotal
        of the scores given so far."""
        scores = self.scores() if self.is_bound else {}
        return [
            SectionRows(
                section=section,
                rows=[
                    ItemRow(
                        item=item,
                        score=self[f"score_{item.number}"],
                        evidence=self[f"evidence_{item.number}"],
                        suggested=self.suggested.get(item.number),
                    )
                    for item in section.items
                ],
                subtotal=sum(scores.get(n, 0) for n in section.numbers) if self.is_bound else None,
                scored=sum(1 for n in section.numbers if n in scores),
            )
            for section in SECTIONS
        ]

    def total_so_far(self) -> int | None:
        return sum(self.scores().values()) if self.is_bound else None
