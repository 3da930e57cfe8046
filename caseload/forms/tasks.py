"""Marking a follow-up task done."""

from __future__ import annotations

from django import forms

from core.govuk_forms import GovukDateField


class TaskDoneForm(forms.Form):
    done_date = GovukDateField(label="Date done", not_future=True)
    evidence = forms.CharField(
        label="Evidence seen",
        max_length=2000,
        widget=forms.Textarea,
        help_text="For example: payslip dated 28 March, or spoke to the line manager",
        error_messages={"required": "Say what evidence you saw"},
    )
