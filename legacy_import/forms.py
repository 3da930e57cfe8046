"""The upload form of the legacy import."""

from __future__ import annotations

from django import forms

from core.once import OnceForm


class ImportUploadForm(OnceForm):
    file = forms.FileField(
        label="The history to import",
        help_text="A .zip of the CSV files, or an .xlsx workbook with one sheet per file. "
        "At most 20 MB.",
        error_messages={"required": "Choose the file to import"},
    )
    fund_total = forms.DecimalField(
        label="Enterprise fund total (£)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="Sets the fund's total allocation. Leave it empty to keep the fund as it is.",
        error_messages={"invalid": "Enter the total in pounds, like 60000"},
    )
