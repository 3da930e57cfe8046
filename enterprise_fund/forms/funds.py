"""Setting up the fund and changing its total."""

from __future__ import annotations

from typing import Any

from django import forms

from core.govuk_forms import GovukDateField, text_field
from core.once import OnceForm
from enterprise_fund.forms.common import PoundsField


class FundCreateForm(OnceForm):
    name = forms.CharField(
        label="Name of the fund",
        max_length=150,
        error_messages={"required": "Enter the name of the fund"},
    )
    total = PoundsField(label="Total allocation", help_text="In pounds, for example 60000")
    period_start = GovukDateField(label="Period starts", name="Start of the period", required=False)
    period_end = GovukDateField(label="Period ends", name="End of the period", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must end after it starts")
        return cleaned


class FundAdjustForm(forms.Form):
    total = PoundsField(
        label="New total allocation",
        allow_zero=True,
        help_text="A top-up raises the total; a reduction lowers it (not below what is awarded)",
    )
    reason = text_field("Reason for the change", max_length=2000, multiline=True)
