"""Forms of the privacy pages: data-protection requests and erasure."""

from __future__ import annotations

from django import forms

from core.govuk_forms import GovukDateField, text_field
from core.once import OnceForm
from privacy.models import DataRequest


def _date(label: str, name: str = "") -> GovukDateField:
    return GovukDateField(label=label, name=name, help_text="For example, 27 3 2026")


class DataRequestForm(OnceForm):
    kind = forms.ChoiceField(
        label="What is the person asking for?",
        choices=DataRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the person is asking for"},
    )
    received_date = _date("Date received")
    referral_reference = forms.CharField(
        label="Their referral's reference (optional)",
        required=False,
        max_length=20,
        help_text="Such as E4E-7KQ2-XM4D. Leave it blank until you have found the person.",
    )
    notes = text_field("Notes", required=False, max_length=4000, multiline=True)


class DataRequestPauseForm(forms.Form):
    on = _date("Clock stopped on", "Date the clock stopped")
    reason = text_field(
        "What is the service waiting for?",
        required=True,
        required_message="Write what the service is waiting for",
        max_length=4000,
        multiline=True,
    )


class DataRequestResumeForm(forms.Form):
    on = _date("Clock restarted on", "Date the clock restarted")


class DataRequestExtendForm(forms.Form):
    reason = text_field(
        "Why is the request complex?",
        required=True,
        required_message="Explain why the request is complex",
        max_length=4000,
        multiline=True,
    )


class DataRequestCloseForm(forms.Form):
    status = forms.ChoiceField(
        label="Outcome",
        choices=[
            (DataRequest.Status.DONE, "Done"),
            (DataRequest.Status.REFUSED, "Refused"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it was done or refused"},
    )
    on = _date("Closed on", "Date closed")
    outcome = text_field(
        "What was done, or why it was refused",
        required=True,
        required_message="Write what was done, or why it was refused",
        max_length=4000,
        multiline=True,
    )


class ErasureForm(forms.Form):
    request_reference = forms.CharField(
        label="Reference of the erasure request",
        max_length=30,
        help_text="As logged by the data protection lead, such as DPR-2026-014. Letters, "
        "digits, / and - only: never the person's name.",
        error_messages={"required": "Enter the reference of the erasure request"},
    )
    confirm = forms.BooleanField(
        label="I understand that the person's details cannot be brought back",
        error_messages={"required": "Confirm that the details cannot be brought back"},
    )
