"""Referral forms: they validate and normalise, and never save anything themselves.

Every text field has a maximum length, so an over-long answer is a form error, not a
failure further down; free text is kept as typed and escaped wherever it is shown.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from core.codes import Cohort, Ethnicity, Gender, RejectionReason, Source
from core.govuk_forms import GovukDateField, text_field
from core.once import OnceForm
from referrals.eligibility import is_valid_postcode, normalise_postcode
from referrals.models import Referral
from referrals.search import EMPTY, SearchTerms, search_terms
from referrals.services import DEFAULT_LINK_DAYS

#: The longest free-text answer we take (about a page of writing).
FREE_TEXT_MAX = 2000

_PHONE = re.compile(r"[0-9+()\-. ]+")
_NO_MARKUP = re.compile(r"[<>]")


# --- Small helpers -------------------------------------------------------------------------


def _email(label: str, *, required: bool = False) -> forms.EmailField:
    return forms.EmailField(
        label=label,
        max_length=254,
        required=required,
        error_messages={
            "required": f"Enter {label.lower()}",
            "invalid": "Enter an email address in the right format, like name@example.org",
            "max_length": "Email address must be 254 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _no_markup(value: str, label: str) -> str:
    if _NO_MARKUP.search(value):
        raise ValidationError(f"{label} must not include < or >")
    return value.strip()


def normalise_phone(value: str) -> str:
    """'07700 900 123' -> '07700900123'; '+44 7700 900123' -> '07700900123'."""
    value = value.strip()
    if not value:
        return ""
    if not _PHONE.fullmatch(value):
        raise ValidationError("Enter a phone number, like 07700 900 982")
    digits = "".join(ch for ch in value if ch.isdigit())
    if value.startswith("+"):
        digits = "0" + digits[2:] if digits.startswith("44") else "+" + digits
    if not 10 <= len(digits.lstrip("+")) <= 15:
        raise ValidationError("Enter a phone number, like 07700 900 982")
    return digits


YES_NO = [("yes", "Yes"), ("no", "No")]

WANTS = [
    ("wants_work", "Paid work"),
    ("wants_own_business", "Their own business"),
    ("wants_training", "Training"),
]
RISKS = [
    ("risk_violence", "Violence"),
    ("risk_weapons", "Weapons"),
    ("risk_gang_affiliation", "Gang affiliation"),
    ("risk_lone_worker", "Risk to lone workers"),
]


# --- The referral itself --------------------------------------------------------------------


class ReferralForm(forms.Form):
    """What every referral records about the person. The referrer's details are added by
    the two ways in (staff entry and the partner form)."""

    first_name = text_field("First name", max_length=100, required_message="Enter their first name")
    last_name = text_field("Last name", max_length=100, required_message="Enter their last name")
    date_of_birth = GovukDateField(
        name="Date of birth", past=True, label="Date of birth", help_text="For example, 27 3 2001"
    )
    gender = forms.ChoiceField(
        label="Gender",
        choices=Gender.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their gender, or 'Not stated'"},
    )
    ethnicity = forms.ChoiceField(
        label="Ethnic group",
        choices=Ethnicity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their ethnic group, or 'Not stated'"},
    )
    preferred_language = text_field("Preferred language", max_length=64, required=False)
    phone = text_field(
        "Their phone number",
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    email = _email("Their email address")
    postcode = text_field(
        "Their postcode",
        max_length=10,
        required=False,
        help_text="Leave blank if they have no fixed address.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    cohort = forms.ChoiceField(
        label="Which describes them?",
        choices=Cohort.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether they are at risk or convicted"},
    )
    reason = text_field(
        "Why are you referring them?",
        required=True,
        required_message="Enter why you are referring them",
        max_length=FREE_TEXT_MAX,
        multiline=True,
    )
    wants = forms.MultipleChoiceField(
        label="What do they want help with?",
        choices=WANTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick all that apply.",
    )
    risks = forms.MultipleChoiceField(
        label="Known risks",
        choices=RISKS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick all that apply. Leave them all unticked if none are known.",
    )
    unsafe_areas = text_field(
        "Areas or postcodes they cannot safely go to",
        required=False,
        help_text="For example, because of rival groups or exclusion zones.",
        max_length=FREE_TEXT_MAX,
        multiline=True,
    )
    risk_notes = text_field(
        "Anything else about risk we should know",
        required=False,
        max_length=FREE_TEXT_MAX,
        multiline=True,
    )
    consent = forms.ChoiceField(
        label="Has the person agreed to be referred?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the person has agreed to be referred"},
    )

    def clean_first_name(self) -> str:
        return _no_markup(self.cleaned_data["first_name"], "First name")

    def clean_last_name(self) -> str:
        return _no_markup(self.cleaned_data["last_name"], "Last name")

    def clean_preferred_language(self) -> str:
        return _no_markup(self.cleaned_data["preferred_language"], "Preferred language")

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"].strip()
        if not postcode:
            return ""
        if not is_valid_postcode(postcode):
            raise ValidationError("Enter a real postcode, like B12 9LP")
        return normalise_postcode(postcode)

    def referral_fields(self) -> dict[str, Any]:
        """The cleaned answers as Referral fields (for referral_create)."""
        data = self.cleaned_data
        fields = {name: data[name] for name in self.model_field_names()}
        fields["consent"] = data["consent"] == "yes"
        for name, _label in WANTS:
            fields[name] = name in data["wants"]
        for name, _label in RISKS:
            fields[name] = name in data["risks"]
        return fields

    def model_field_names(self) -> list[str]:
        model_fields = {f.name for f in Referral._meta.get_fields()}
        return [name for name in self.fields if name in model_fields and name != "consent"]


class StaffReferralForm(OnceForm, ReferralForm):
    """A referral taken by staff: by phone, by email or in person."""

    received_date = GovukDateField(
        name="Date received",
        not_future=True,
        label="Date received",
        help_text="For example, 27 3 2026",
    )
    source = forms.ChoiceField(
        label="Where the referral came from",
        choices=[("", "Choose a source"), *Source.choices],
        error_messages={"required": "Choose where the referral came from"},
    )
    referrer_name = text_field("Referrer's name", max_length=150, required=False)
    referrer_organisation = text_field("Referrer's organisation", max_length=150, required=False)
    referrer_email = _email("Referrer's email address")
    referrer_phone = text_field(
        "Referrer's phone number",
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )

    field_order = [
        "received_date",
        "source",
        "referrer_name",
        "referrer_organisation",
        "referrer_email",
        "referrer_phone",
    ]

    def clean_referrer_name(self) -> str:
        return _no_markup(self.cleaned_data["referrer_name"], "Referrer's name")

    def clean_referrer_organisation(self) -> str:
        return _no_markup(self.cleaned_data["referrer_organisation"], "Referrer's organisation")

    def clean_referrer_email(self) -> str:
        return self.cleaned_data["referrer_email"].strip().lower()

    def clean_referrer_phone(self) -> str:
        return normalise_phone(self.cleaned_data["referrer_phone"])


class PartnerReferralForm(OnceForm, ReferralForm):
    """The public form behind a partner link. The organisation and source come from the
    link; the referrer's email is required so that they can be told the outcome."""

    referrer_name = text_field("Your name", max_length=150, required_message="Enter your name")
    referrer_email = _email("Your email address", required=True)
    referrer_phone = text_field(
        "Your phone number",
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=300)

    field_order = ["referrer_name", "referrer_email", "referrer_phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referrer_name"].widget.attrs["autocomplete"] = "name"
        self.fields["referrer_email"].widget.attrs["autocomplete"] = "email"
        self.fields["form_token"].error_messages["required"] = (
            "This form has expired. Check your answers and send it again."
        )

    def clean_referrer_name(self) -> str:
        return _no_markup(self.cleaned_data["referrer_name"], "Your name")

    def clean_referrer_email(self) -> str:
        return self.cleaned_data["referrer_email"].strip().lower()

    def clean_referrer_phone(self) -> str:
        return normalise_phone(self.cleaned_data["referrer_phone"])


# --- Screening ---------------------------------------------------------------------------


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (Referral.Status.RECEIVED, Referral.Status.RECEIVED.label),
            (Referral.Status.SCREENING, Referral.Status.SCREENING.label),
        ]
        # The waiting list has its own page, which asks why (referral_waiting_list_add).
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the referral not being accepted?",
        choices=RejectionReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a reason for rejecting the referral"},
    )
    rationale = text_field(
        "Explain the decision",
        required=True,
        required_message="Write down why the referral is rejected",
        help_text="This is kept on the record. The referrer is told only that the referral "
        "was not accepted.",
        max_length=FREE_TEXT_MAX,
        multiline=True,
    )

    def clean_rationale(self) -> str:
        rationale = self.cleaned_data["rationale"].strip()
        if not rationale:
            raise ValidationError("Write down why the referral is rejected")
        return rationale


# --- The queue's filters (GET: codes and dates only, never names) ------------------------


class QueueFilterForm(forms.Form):
    status = forms.MultipleChoiceField(
        label="Status",
        choices=Referral.Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    source = forms.ChoiceField(
        label="Source", choices=[("", "Any source"), *Source.choices], required=False
    )
    received_from = GovukDateField(
        name="Received from date", required=False, label="Received on or after"
    )
    received_to = GovukDateField(
        name="Received to date", required=False, label="Received on or before"
    )
    reference = text_field(
        "Reference number",
        max_length=20,
        required=False,
        help_text="For example, E4E-7KQ2-XM4D",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_reference(self) -> str:
        return "".join(self.cleaned_data["reference"].split()).upper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and end < start:
            self.add_error(
                "received_to", "The 'on or before' date must be after the 'on or after' date"
            )
        return cleaned


# --- Searching for a person (GET: bookmarkable; the words are never logged) ---------------


class SearchForm(forms.Form):
    """The one search box (the page's and the header's): what was typed, read into what to
    compare (referrals.search.search_terms), or the message that says what to type."""

    q = text_field(
        "Search for a person",
        max_length=100,
        required_message=EMPTY,
        help_text="By name, reference, date of birth (like 4/7/2001), phone number or postcode",
    )

    def clean_q(self) -> SearchTerms:
        return search_terms(self.cleaned_data["q"])


# --- Partner links ---------------------------------------------------------------------------


class PartnerLinkForm(OnceForm):
    organisation = text_field(
        "Partner organisation",
        max_length=150,
        required_message="Enter the partner organisation's name",
        help_text="For example, Birmingham Probation Delivery Unit (Central).",
    )
    source = forms.ChoiceField(
        label="Kind of organisation",
        choices=[("", "Choose one"), *Source.choices],
        help_text="Referrals through this link are recorded with this source.",
        error_messages={"required": "Choose the kind of organisation"},
    )
    valid_days = forms.TypedChoiceField(
        label="How long should the link work?",
        choices=[(7, "1 week"), (30, "30 days"), (90, "90 days"), (180, "6 months")],
        coerce=int,
        initial=DEFAULT_LINK_DAYS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how long the link should work"},
    )

    def clean_organisation(self) -> str:
        return _no_markup(self.cleaned_data["organisation"], "Partner organisation")
