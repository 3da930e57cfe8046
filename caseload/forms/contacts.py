"""Logging a contact or admin time, and changing a contact's note."""

from __future__ import annotations

from typing import Any

from django import forms

from caseload.models import Contact, Employer
from core.govuk_forms import NotInFuture
from core.once import OnceForm


class NativeDateInput(forms.DateInput):
    """The phone's own date picker: quick one-handed entry on the contact form."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class NativeTimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class ContactForm(OnceForm):
    date = forms.DateField(
        label="Date",
        widget=NativeDateInput(),
        validators=[NotInFuture("Date")],
        error_messages={"required": "Enter the date", "invalid": "Enter a real date"},
    )
    time = forms.TimeField(
        label="Time",
        required=False,
        widget=NativeTimeInput(),
        help_text="Used to work out whether the contact was out of hours",
        error_messages={"invalid": "Enter a time like 18:30"},
    )
    mode = forms.ChoiceField(
        label="How",
        choices=[c for c in Contact.Mode.choices if c[0] != Contact.Mode.ADMIN],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the contact happened"},
    )
    party = forms.ChoiceField(
        label="With",
        choices=[c for c in Contact.Party.choices if c[0] != Contact.Party.NONE],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the contact was with"},
    )
    duration_minutes = forms.IntegerField(
        label="Minutes",
        min_value=1,
        max_value=720,
        error_messages={
            "required": "Enter how many minutes it took",
            "min_value": "Enter at least 1 minute",
            "max_value": "A contact can be at most 720 minutes (12 hours)",
            "invalid": "Enter the minutes as a number, like 30",
        },
    )
    place = forms.ChoiceField(
        label="Where",
        choices=Contact.Place.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the contact happened"},
    )
    employer = forms.ModelChoiceField(
        label="Employer",
        queryset=Employer.objects.all(),
        required=False,
        help_text="For a contact with an employer",
    )
    note = forms.CharField(label="Note", required=False, max_length=5000, widget=forms.Textarea)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("party") == Contact.Party.EMPLOYER and not cleaned.get("employer"):
            self.add_error("employer", "Choose the employer")
        return cleaned


class AdminTimeForm(OnceForm):
    date = ContactForm.base_fields["date"]
    duration_minutes = ContactForm.base_fields["duration_minutes"]
    note = ContactForm.base_fields["note"]


class ContactNoteForm(forms.Form):
    note = forms.CharField(label="Note", required=False, max_length=5000, widget=forms.Textarea)
    reason = forms.CharField(
        label="Why is the note changing?",
        required=False,
        max_length=500,
        help_text="Needed for a contact more than 7 days old; kept in the history",
    )
