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
from core.models import User


class DayMonthYearField(forms.MultiValueField):
    """A date entered as day, month and year boxes (the GOV.UK date input pattern)."""

    widget: forms.MultiWidget

    def __init__(self, **kwargs: Any) -> None:
        fields = (
            forms.IntegerField(min_value=1, max_value=31),
            forms.IntegerField(min_value=1, max_value=12),
            forms.IntegerField(min_value=1900, max_value=2100),
        )
        widget = forms.MultiWidget(
            widgets=[
                forms.TextInput(attrs={"inputmode": "numeric"}),
                forms.TextInput(attrs={"inputmode": "numeric"}),
                forms.TextInput(attrs={"inputmode": "numeric"}),
            ]
        )
        widget.decompress = lambda value: [value.day, value.month, value.year] if value else []  # type: ignore[method-assign]
        kwargs.setdefault(
            "error_messages",
            {"incomplete": "Enter a day, month and year", "invalid": "Enter a real date"},
        )
        super().__init__(fields=fields, widget=widget, require_all_fields=True, **kwargs)

    def compress(self, data_list: list[int]) -> datetime.date | None:
        if not data_list:
            return None
        day, month, year = data_list
        try:
            return datetime.date(year, month, day)
        except ValueError as error:
            raise forms.ValidationError("Enter a real date") from error


class InitialAssessmentForm(forms.Form):
    date = DayMonthYearField(label="Date of the assessment")
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
        if value > timezone.localdate():
            raise forms.ValidationError("The date of the assessment cannot be in the future")
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

    def clean_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("party") == Contact.Party.EMPLOYER and not cleaned.get("employer"):
            self.add_error("employer", "Choose the employer")
        return cleaned


class AdminTimeForm(forms.Form):
    date = ContactForm.base_fields["date"]
    duration_minutes = ContactForm.base_fields["duration_minutes"]
    note = ContactForm.base_fields["note"]

    clean_date = ContactForm.clean_date


class RiskAssessmentForm(forms.Form):
    date = DayMonthYearField(label="Date of the assessment")
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
    review_date = DayMonthYearField(label="Review by")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, review = cleaned.get("date"), cleaned.get("review_date")
        if day and day > timezone.localdate():
            self.add_error("date", "The date cannot be in the future")
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
    start_date = DayMonthYearField(label="Start date")
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
    done_date = DayMonthYearField(label="Date done")
    evidence = forms.CharField(
        label="Evidence seen",
        max_length=2000,
        widget=forms.Textarea,
        help_text="For example: payslip dated 28 March, or spoke to the line manager",
        error_messages={"required": "Say what evidence you saw"},
    )

    def clean_done_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["done_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future")
        return value


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

    clean_date = ContactForm.clean_date


class CloseCaseForm(forms.Form):
    closed_date = DayMonthYearField(label="Date closed")
    reason = forms.ChoiceField(
        label="Why is the case closing?",
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the case is closing"},
    )

    def clean_closed_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["closed_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future")
        return value


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
                f"{w.full_name}: {w.open_cases} of {w.capacity} open"
                + (" (full)" if w.open_cases >= w.capacity else "")
            )
        )


def _text(label: str, required: bool = True, max_length: int = 5000, **kw: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea,
        error_messages={"required": f"Enter {label.lower()}"},
        **kw,
    )


class _PastDateMixin:
    """Dates on case records are days that have happened."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}  # type: ignore[misc]
        today = timezone.localdate()
        for name, value in list(cleaned.items()):
            is_day = isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)
            if is_day and value > today:
                self.add_error(name, "The date cannot be in the future")  # type: ignore[attr-defined]
        return cleaned


class SignpostingForm(_PastDateMixin, forms.Form):
    date = DayMonthYearField(label="Date")
    need = forms.ChoiceField(label="Need", choices=Need.choices, widget=forms.RadioSelect)
    organisation = forms.CharField(label="Organisation", max_length=200)
    outcome = forms.ChoiceField(
        label="Outcome", choices=Signposting.Result.choices, widget=forms.RadioSelect
    )


class OffenceForm(_PastDateMixin, forms.Form):
    date = DayMonthYearField(label="Date of the offence, as known")
    description = _text("Description", required=False, max_length=2000)


class CrisisForm(_PastDateMixin, forms.Form):
    date = DayMonthYearField(label="Date")
    kind = forms.ChoiceField(
        label="What happened", choices=CrisisEpisode.Kind.choices, widget=forms.RadioSelect
    )
    notes = _text("Notes", required=False)


class FeedbackForm(_PastDateMixin, forms.Form):
    SCALE = [(str(n), str(n)) for n in range(1, 6)]

    date = DayMonthYearField(label="Date")
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
    comment = _text("Comment", required=False, max_length=2000)


class ComplaintForm(_PastDateMixin, forms.Form):
    received_date = DayMonthYearField(label="Date received")
    summary = _text("Summary of the complaint")
    acknowledged_date = DayMonthYearField(
        label="Date acknowledged", required=False, help_text="Due within 30 days of receipt"
    )
    outcome = _text("Outcome", required=False)
    learning = _text("Learning", required=False)


class CaseStudyForm(_PastDateMixin, forms.Form):
    consent_date = DayMonthYearField(label="Date the person consented to the case study")
    consent_confirmed = forms.BooleanField(
        label="The person has agreed that this case study may be shared with the OPCC",
        error_messages={"required": "Confirm that the person has consented"},
    )
    text = _text("Case study", max_length=10000)


class DisclosureForm(forms.Form):
    disclosed_at = forms.DateTimeField(
        label="When was it disclosed?",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    what = _text("What was disclosed")
    police_told_at = forms.DateTimeField(
        label="When were the police told?",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    police_contact = forms.CharField(label="Who at the police was told", max_length=150)
    police_reference = forms.CharField(label="Police reference", max_length=64)
    follow_up_report = _text("Written follow-up report", required=False, max_length=10000)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        now = timezone.now()
        for name in ("disclosed_at", "police_told_at"):
            if cleaned.get(name) and cleaned[name] > now:
                self.add_error(name, "The time cannot be in the future")
        return cleaned


class DistanceAssessmentForm(_PastDateMixin, forms.Form):
    date = DayMonthYearField(label="Date")

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
    work_history = _text("Work history", required=False)
    skills = _text("Skills", required=False)
    job_preferences = _text("Job preferences", required=False)
    hours_wanted = forms.CharField(label="Hours wanted", required=False, max_length=100)
    places_they_can_go = _text("Places they can safely go", required=False, max_length=2000)
    places_they_cannot_go = _text("Places they cannot safely go", required=False, max_length=2000)
    disclosure_plan = _text("Plan for disclosing convictions", required=False)


class ActionPlanGoalForm(forms.Form):
    goal = forms.CharField(
        label="Goal", max_length=300, error_messages={"required": "Enter the goal"}
    )
    target_date = DayMonthYearField(label="Target date")
    status = forms.ChoiceField(
        label="Status", choices=ActionPlanGoal.Status.choices, widget=forms.RadioSelect
    )


class FidelityReviewForm(forms.Form):
    """Score each of the 25 items from 1 to 5 with the evidence for the score."""

    period_start = DayMonthYearField(label="Period reviewed: from")
    period_end = DayMonthYearField(label="Period reviewed: to")

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


class OutcomeEndForm(_PastDateMixin, forms.Form):
    end_date = DayMonthYearField(label="Date it ended")
    reason = forms.CharField(
        label="Why did it end?", max_length=200, error_messages={"required": "Say why it ended"}
    )


class ComplaintUpdateForm(_PastDateMixin, forms.Form):
    acknowledged_date = DayMonthYearField(
        label="Date acknowledged", required=False, help_text="Due within 30 days of receipt"
    )
    outcome = _text("Outcome", required=False)
    learning = _text("Learning", required=False)
