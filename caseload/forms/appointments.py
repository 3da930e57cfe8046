"""Booking an appointment; marking one missed or cancelled."""

from __future__ import annotations

from typing import Any

from django import forms

from caseload.forms.contacts import NativeDateInput, NativeTimeInput
from caseload.models import Appointment
from caseload.models.reminders import Channel
from core.govuk_forms import REASON_MAX_LENGTH, text_field
from core.once import OnceForm


class AppointmentForm(OnceForm):
    date = forms.DateField(
        label="Date",
        widget=NativeDateInput(),
        error_messages={"required": "Enter the date", "invalid": "Enter a real date"},
    )
    starts_at = forms.TimeField(
        label="Starts",
        widget=NativeTimeInput(),
        error_messages={"required": "Enter the start time", "invalid": "Enter a time like 10:30"},
    )
    ends_at = forms.TimeField(
        label="Ends",
        widget=NativeTimeInput(),
        error_messages={"required": "Enter the end time", "invalid": "Enter a time like 11:30"},
    )
    place = forms.ChoiceField(
        label="Where",
        choices=Appointment.Place.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where you will meet"},
    )
    venue = forms.CharField(
        label="Community venue",
        max_length=200,
        required=False,
        help_text="Its name as the risk assessment's safe meeting places give it",
    )
    kind = forms.ChoiceField(
        label="What for",
        choices=Appointment.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the appointment is for"},
    )
    attendees = forms.CharField(label="Who else attends", max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The end time must be after the start time")
        if cleaned.get("place") == Appointment.Place.COMMUNITY and not cleaned.get("venue"):
            self.add_error("venue", "Enter the community venue")
        return cleaned


class MissedForm(forms.Form):
    reason = text_field(
        "Why was it missed?",
        max_length=REASON_MAX_LENGTH,
        required_message="Enter why the appointment was missed",
        help_text="As far as you know, for example: no answer, unwell, in custody.",
    )


class CancelForm(forms.Form):
    cancelled_by = forms.ChoiceField(
        label="Who cancelled it?",
        choices=Appointment.CancelledBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who cancelled it"},
    )


class ReminderConsentForm(forms.Form):
    """The person's answer to "may we remind you of your appointments, and how?"."""

    consent = forms.TypedChoiceField(
        label="Has the person agreed to be reminded of their appointments?",
        help_text="A text or email when an appointment is booked, the day before and on "
        "the morning: the time and place only.",
        choices=[("yes", "Yes"), ("no", "No, or they asked to stop")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether they agreed to reminders"},
    )
    channel = forms.ChoiceField(
        label="How do they want them?",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args: Any, phone: str, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].help_text = (
            f"Mobile number on the referral: {phone or 'none'}. "
            f"Email on the referral: {email or 'none'}."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("consent") and not data.get("channel"):
            self.add_error("channel", "Choose how they want their reminders")
        return data
