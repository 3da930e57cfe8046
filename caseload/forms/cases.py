"""Closing a case and moving it to another worker."""

from __future__ import annotations

from typing import Any

from django import forms

from core.codes import ClosureReason
from core.govuk_forms import GovukDateField
from core.models import User


class CloseCaseForm(forms.Form):
    closed_date = GovukDateField(label="Date closed", not_future=True)
    reason = forms.ChoiceField(
        label="Why is the case closing?",
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the case is closing"},
    )


class ReassignForm(forms.Form):
    worker = forms.ModelChoiceField(
        label="Move the case to",
        queryset=User.objects.none(),  # set in __init__
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose who takes the case"},
    )

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers  # type: ignore[attr-defined]
        self.fields["worker"].label_from_instance = (  # type: ignore[attr-defined]
            lambda w: (
                f"{w.full_name}: {w.held_cases} of {w.capacity} places taken"
                + (" (full)" if w.held_cases >= w.capacity else "")
            )
        )
