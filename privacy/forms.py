"""Forms of the privacy pages: data-protection requests and erasure."""

from __future__ import annotations

from django import forms

from privacy.models import DataRequest


def _date(label: str) -> forms.Field:
    from caseload.forms import DayMonthYearField

    return DayMonthYearField(label=label, help_text="For example, 27 3 2026")


def _note(label: str, *, required: bool, message: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000,
        widget=forms.Textarea,
        error_messages={"required": message} if message else {},
    )


class DataRequestForm(forms.Form):
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
    notes = _note("Notes", required=False)


class DataRequestPauseForm(forms.Form):
    on = _date("Clock stopped on")
    reason = _note(
        "What is the service waiting for?",
        required=True,
        message="Write what the service is waiting for",
    )


class DataRequestResumeForm(forms.Form):
    on = _date("Clock restarted on")


class DataRequestExtendForm(forms.Form):
    reason = _note(
        "Why is the request complex?",
        required=True,
        message="Explain why the request is complex",
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
    on = _date("Closed on")
    outcome = _note(
        "What was done, or why it was refused",
        required=True,
        message="Write what was done, or why it was refused",
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
