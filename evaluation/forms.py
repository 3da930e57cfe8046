"""The evaluators' filter of the pseudonymised records."""

from __future__ import annotations

from django import forms

from evaluation.records import STATUS_LABELS


class RecordFilterForm(forms.Form):
    """The evaluators' filter of the records: by where the case is."""

    status = forms.ChoiceField(
        label="Cases",
        required=False,
        choices=[("", "All cases"), *STATUS_LABELS.items()],
    )
