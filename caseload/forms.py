from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from caseload.models import (
    ActionPlanGoal,
    Case,
    Contact,
    CrisisEpisode,
    Employer,
    InitialAssessment,
    Outcome,
    Signposting,
)
from core.codes import ClosureReason, Need
from core.govuk_forms import GovukDateField, NotInFuture, text_field
from core.models import User


class InitialAssessmentForm(forms.Form):
    date = GovukDateField(label="Date of the assessment", not_future=True)
    readiness = forms.ChoiceField(
        label="How ready are they to engage?",
        choices=InitialAssessment.Readiness.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how ready they are"},
    )
    goal = forms.ChoiceField(
        label="What is their main goal?",
        choices=InitialAssessment.Goal.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their main goal"},
    )
    barriers = forms.MultipleChoiceField(
        label="Barriers to work",
        required=False,
        choices=InitialAssessment.Barrier.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    benefits_situation = forms.CharField(
        label="Benefits situation", required=False, max_length=2000, widget=forms.Textarea
    )
    prior_similar_support = forms.ChoiceField(
        label="Have they had similar support before?",
        choices=Case.PriorSupport.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they have had similar support before"},
    )
    prior_support_details = forms.CharField(
        label="Details of earlier support", required=False, max_length=2000, widget=forms.Textarea
    )
    notes = forms.CharField(label="Notes", required=False, max_length=5000, widget=forms.Textarea)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        self.case = case
        super().__init__(*args, **kwargs)

    def clean_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["date"]
        if value < self.case.accepted_date:
            raise forms.ValidationError(
                "The assessment cannot be before the referral was accepted "
                f"({self.case.accepted_date:%-d %B %Y})"
            )
        return value


class NativeDateInput(forms.DateInput):
    """The phone's own date picker: quick one-handed entry on the contact form."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class NativeTimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class ContactForm(forms.Form):
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


class AdminTimeForm(forms.Form):
    date = ContactForm.base_fields["date"]
    duration_minutes = ContactForm.base_fields["duration_minutes"]
    note = ContactForm.base_fields["note"]


class RiskAssessmentForm(forms.Form):
    date = GovukDateField(label="Date of the assessment", not_future=True)
    risks_to_client = forms.CharField(
        label="Risks to the person", max_length=5000, widget=forms.Textarea
    )
    risks_from_client = forms.CharField(
        label="Risks from the person", max_length=5000, widget=forms.Textarea
    )
    lone_working_plan = forms.CharField(
        label="Lone-working plan",
        max_length=5000,
        widget=forms.Textarea,
        help_text="Who knows where you are, when you check in, what happens if you do not",
    )
    safe_meeting_places = forms.CharField(
        label="Safe places to meet", required=False, max_length=2000, widget=forms.Textarea
    )
    places_to_avoid = forms.CharField(
        label="Places to avoid", required=False, max_length=2000, widget=forms.Textarea
    )
    review_date = GovukDateField(label="Review by", name="Review date")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, review = cleaned.get("date"), cleaned.get("review_date")
        if day and review and review < day:
            self.add_error("review_date", "The review date must be on or after the assessment")
        return cleaned


class OutcomeForm(forms.Form):
    type = forms.ChoiceField(
        label="What has started?",
        choices=Outcome.Type.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what has started"},
    )
    start_date = GovukDateField(label="Start date")
    employer_name = forms.CharField(
        label="Employer, business or provider", required=False, max_length=200
    )
    role = forms.CharField(label="Job title or course", required=False, max_length=150)
    hours_per_week = forms.DecimalField(
        label="Hours a week",
        required=False,
        min_value=1,
        max_value=80,
        max_digits=4,
        decimal_places=1,
        error_messages={
            "min_value": "Enter at least 1 hour",
            "max_value": "Enter at most 80 hours",
            "invalid": "Enter the hours as a number, like 37.5",
        },
    )
    contract = forms.ChoiceField(
        label="Contract",
        required=False,
        choices=[
            ("", "Not applicable"),
            ("permanent", "Permanent"),
            ("fixed_term", "Fixed term"),
            ("zero_hours", "Zero hours"),
            ("agency", "Agency"),
            ("apprenticeship", "Apprenticeship"),
        ],
    )
    competitive = forms.TypedChoiceField(
        label="Is it competitive employment?",
        required=False,
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        choices=[("yes", "Yes: open to anyone, paid at least the going rate"), ("no", "No")],
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("type")
        if kind in Outcome.PAID and cleaned.get("hours_per_week") is None:
            self.add_error("hours_per_week", "Enter the hours a week for paid work")
        if kind == Outcome.Type.PAID_EMPLOYMENT and not cleaned.get("employer_name"):
            self.add_error("employer_name", "Enter the employer")
        start = cleaned.get("start_date")
        if start and start > timezone.localdate() + datetime.timedelta(days=31):
            self.add_error("start_date", "The start date can be at most a month ahead")
        return cleaned


class TaskDoneForm(forms.Form):
    done_date = GovukDateField(label="Date done", not_future=True)
    evidence = forms.CharField(
        label="Evidence seen",
        max_length=2000,
        widget=forms.Textarea,
        help_text="For example: payslip dated 28 March, or spoke to the line manager",
        error_messages={"required": "Say what evidence you saw"},
    )


class EmployerForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the name"}
    )
    sector = forms.CharField(label="Sector", required=False, max_length=100)
    contact_name = forms.CharField(label="Contact's name", required=False, max_length=150)
    contact_email = forms.EmailField(label="Contact's email", required=False)
    contact_phone = forms.CharField(label="Contact's phone", required=False, max_length=32)
    notes = forms.CharField(label="Notes", required=False, max_length=5000, widget=forms.Textarea)


class JobDevelopmentContactForm(forms.Form):
    date = ContactForm.base_fields["date"]
    time = ContactForm.base_fields["time"]
    mode = ContactForm.base_fields["mode"]
    duration_minutes = ContactForm.base_fields["duration_minutes"]
    note = ContactForm.base_fields["note"]


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


class SignpostingForm(forms.Form):
    date = GovukDateField(label="Date", not_future=True)
    need = forms.ChoiceField(label="Need", choices=Need.choices, widget=forms.RadioSelect)
    organisation = forms.CharField(label="Organisation", max_length=200)
    outcome = forms.ChoiceField(
        label="Outcome", choices=Signposting.Result.choices, widget=forms.RadioSelect
    )


class OffenceForm(forms.Form):
    date = GovukDateField(
        label="Date of the offence, as known", name="Date of the offence", not_future=True
    )
    description = text_field("Description", required=False, max_length=2000, multiline=True)


class CrisisForm(forms.Form):
    date = GovukDateField(label="Date", not_future=True)
    kind = forms.ChoiceField(
        label="What happened", choices=CrisisEpisode.Kind.choices, widget=forms.RadioSelect
    )
    notes = text_field("Notes", required=False, max_length=5000, multiline=True)


class FeedbackForm(forms.Form):
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


class ComplaintForm(forms.Form):
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


class CaseStudyForm(forms.Form):
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


class DisclosureForm(forms.Form):
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


class DistanceAssessmentForm(forms.Form):
    date = GovukDateField(label="Date", not_future=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from caseload.models import DistanceAssessment

        for domain in DistanceAssessment.DOMAINS:
            self.fields[domain] = forms.IntegerField(
                label=domain.capitalize(),
                min_value=1,
                max_value=10,
                help_text="1 (very low) to 10 (very high)",
                error_messages={
                    "required": f"Enter a score for {domain}",
                    "min_value": "Enter a score from 1 to 10",
                    "max_value": "Enter a score from 1 to 10",
                    "invalid": "Enter a score from 1 to 10",
                },
            )


class VocationalProfileForm(forms.Form):
    work_history = text_field("Work history", required=False, max_length=5000, multiline=True)
    skills = text_field("Skills", required=False, max_length=5000, multiline=True)
    job_preferences = text_field("Job preferences", required=False, max_length=5000, multiline=True)
    hours_wanted = forms.CharField(label="Hours wanted", required=False, max_length=100)
    places_they_can_go = text_field(
        "Places they can safely go", required=False, max_length=2000, multiline=True
    )
    places_they_cannot_go = text_field(
        "Places they cannot safely go", required=False, max_length=2000, multiline=True
    )
    disclosure_plan = text_field(
        "Plan for disclosing convictions", required=False, max_length=5000, multiline=True
    )


class ActionPlanGoalForm(forms.Form):
    goal = forms.CharField(
        label="Goal", max_length=300, error_messages={"required": "Enter the goal"}
    )
    target_date = GovukDateField(label="Target date")
    status = forms.ChoiceField(
        label="Status", choices=ActionPlanGoal.Status.choices, widget=forms.RadioSelect
    )


class FidelityReviewForm(forms.Form):
    """Score each of the 25 items from 1 to 5 with the evidence for the score."""

    period_start = GovukDateField(label="Period reviewed: from", name="Start of the period")
    period_end = GovukDateField(label="Period reviewed: to", name="End of the period")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from caseload.fidelity import ITEMS

        super().__init__(*args, **kwargs)
        scores = [(str(n), str(n)) for n in range(1, 6)]
        for number, name in ITEMS:
            self.fields[f"score_{number}"] = forms.TypedChoiceField(
                label=f"{number}. {name}",
                choices=scores,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": f"Score item {number} from 1 to 5"},
            )
            self.fields[f"evidence_{number}"] = forms.CharField(
                label=f"Evidence for item {number}",
                required=False,
                max_length=2000,
                widget=forms.Textarea,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be after its start")
        return cleaned

    def item_fields(self) -> list[tuple[Any, Any]]:
        from caseload.fidelity import ITEMS

        return [(self[f"score_{n}"], self[f"evidence_{n}"]) for n, _ in ITEMS]


class ContactNoteForm(forms.Form):
    note = forms.CharField(label="Note", required=False, max_length=5000, widget=forms.Textarea)
    reason = forms.CharField(
        label="Why is the note changing?",
        required=False,
        max_length=500,
        help_text="Needed for a contact more than 7 days old; kept in the history",
    )


class OutcomeEndForm(forms.Form):
    end_date = GovukDateField(label="Date it ended", not_future=True)
    reason = forms.CharField(
        label="Why did it end?", max_length=200, error_messages={"required": "Say why it ended"}
    )


class ComplaintUpdateForm(forms.Form):
    acknowledged_date = GovukDateField(
        label="Date acknowledged",
        required=False,
        not_future=True,
        help_text="Due within 30 days of receipt",
    )
    outcome = text_field("Outcome", required=False, max_length=5000, multiline=True)
    learning = text_field("Learning", required=False, max_length=5000, multiline=True)
