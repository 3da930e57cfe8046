"""The forms of the smaller records kept on a case (see caseload.records), and the
complaint's later updates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from caseload.models import CrisisEpisode, Signposting
from core.codes import Need
from core.govuk_forms import GovukDateField, text_field
from core.once import OnceForm


class SignpostingForm(OnceForm):
    date = GovukDateField(label="Date", not_future=True)
    need = forms.ChoiceField(label="Need", choices=Need.choices, widget=forms.RadioSelect)
    organisation = forms.CharField(label="Organisation", max_length=200)
    outcome = forms.ChoiceField(
        label="Outcome", choices=Signposting.Result.choices, widget=forms.RadioSelect
    )


class OffenceForm(OnceForm):
    date = GovukDateField(
        label="Date of the offence, as known", name="Date of the offence", not_future=True
    )
    description = text_field("Description", required=False, max_length=2000, multiline=True)


class CrisisForm(OnceForm):
    date = GovukDateField(label="Date", not_future=True)
    kind = forms.ChoiceField(
        label="What happened", choices=CrisisEpisode.Kind.choices, widget=forms.RadioSelect
    )
    notes = text_field("Notes", required=False, max_length=5000, multiline=True)


class FeedbackForm(OnceForm):
    SCALE = [(str(n), str(n)) for n in range(1, 6)]

    date = GovukDateField(label="Date", not_future=True)
    trust = forms.TypedChoiceField(
        label="I trust my worker (1 not at all, 5 completely)",
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    confidence = forms.TypedChoiceField(
        label="I feel more confident (1 not at all, 5 much more)",
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    respected = forms.TypedChoiceField(
        label="I feel respected (1 not at all, 5 completely)",
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = text_field("Comment", required=False, max_length=2000, multiline=True)


class ComplaintForm(OnceForm):
    received_date = GovukDateField(label="Date received", not_future=True)
    summary = text_field("Summary of the complaint", max_length=5000, multiline=True)
    acknowledged_date = GovukDateField(
        label="Date acknowledged",
        required=False,
        not_future=True,
        help_text="Due within 30 days of receipt",
    )
    outcome = text_field("Outcome", required=False, max_length=5000, multiline=True)
    learning = text_field("Learning", required=False, max_length=5000, multiline=True)


class CaseStudyForm(OnceForm):
    consent_date = GovukDateField(
        label="Date the person consented to the case study",
        name="Date of consent",
        not_future=True,
    )
    consent_confirmed = forms.BooleanField(
        label="The person has agreed that this case study may be shared with the OPCC",
        error_messages={"required": "Confirm that the person has consented"},
    )
    text = text_field("Case study", max_length=10000, multiline=True)


class DisclosureForm(OnceForm):
    disclosed_at = forms.DateTimeField(
        label="When was it disclosed?",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    what = text_field("What was disclosed", max_length=5000, multiline=True)
    police_told_at = forms.DateTimeField(
        label="When were the police told?",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    police_contact = forms.CharField(label="Who at the police was told", max_length=150)
    police_reference = forms.CharField(label="Police reference", max_length=64)
    follow_up_report = text_field(
        "Written follow-up report", required=False, max_length=10000, multiline=True
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        now = timezone.now()
        for name in ("disclosed_at", "police_told_at"):
            if cleaned.get(name) and cleaned[name] > now:
                self.add_error(name, "The time cannot be in the future")
        return cleaned


class ComplaintUpdateForm(forms.Form):
    acknowledged_date = GovukDateField(
        label="Date acknowledged",
        required=False,
        not_future=True,
        help_text="Due within 30 days of receipt",
    )
    resolved_date = GovukDateField(
        label="Date resolved",
        required=False,
        not_future=True,
        help_text="When the outcome was given to the person; leave blank while it is open",
    )
    outcome = text_field("Outcome", required=False, max_length=5000, multiline=True)
    learning = text_field("Learning", required=False, max_length=5000, multiline=True)


class DisclosureReportForm(forms.Form):
    report = text_field(
        "Written follow-up report to the police",
        max_length=10000,
        multiline=True,
        required_message="Enter the written report",
    )
