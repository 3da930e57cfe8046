"""Accepting a referral to a worker with a place."""

from __future__ import annotations

from django import forms

from core.selectors import workers_with_capacity


class AcceptForm(forms.Form):
    worker = forms.ModelChoiceField(
        label="Who will work with this person?",
        queryset=workers_with_capacity(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose who will work with this person",
            "invalid_choice": "Choose someone from the list",
        },
    )
    eligibility_override = forms.CharField(
        label="Why accept this referral although a check is not met?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept on the referral and in its history. Leave the page to reject it instead.",
    )
