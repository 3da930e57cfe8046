"""Forms for the fund's pages. They validate and normalise (pounds to pence, files by their
content); the services do the writing. Plain forms with explicit fields (AC-4)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from core.govuk_forms import GovukDateField, text_field
from core.money import AmountError, parse_pounds, pounds_for_input
from enterprise_fund.files import MAX_BYTES, check_upload
from enterprise_fund.models import CRITERIA, Attachment, Decision, FundApplication, Payment

#: Rows of the itemised budget on the application form (no JavaScript needed to add one).
BUDGET_ROWS = 8
#: No single amount on these forms may be more than this (the fund is at most £75,000).
MAX_POUNDS = Decimal("1000000")
FILE_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


class PoundsField(forms.Field):
    """An amount in pounds and pence ("1500", "£1,500.00"), cleaned to whole pence."""

    def __init__(self, *, allow_zero: bool = False, **kwargs: Any) -> None:
        self.allow_zero = allow_zero
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        label = str(kwargs.get("label", "the amount")).lower()
        messages = {
            "required": f"Enter {label}",
            "invalid": "Enter an amount in pounds, like 450 or 450.50",
            "decimal_places": "Enter the pence as 2 digits at most, like 450.50",
            "too_large": f"Enter an amount of at most £{MAX_POUNDS:,}",
            "not_positive": "Enter more than £0",
            "negative": "Enter an amount of £0 or more",
        }
        super().__init__(error_messages={**messages, **kwargs.pop("error_messages", {})}, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        try:
            return parse_pounds(str(value))
        except AmountError as error:
            raise forms.ValidationError(
                self.error_messages[error.reason], code=error.reason
            ) from None

    def validate(self, value: int | None) -> None:
        super().validate(value)
        if value is None:
            return
        if value < 0 or (value == 0 and not self.allow_zero):
            code = "negative" if self.allow_zero else "not_positive"
            raise forms.ValidationError(self.error_messages[code], code=code)
        if value > MAX_POUNDS * 100:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")


class UploadField(forms.FileField):
    """A PDF, PNG or JPEG of at most 10 MB, checked by its content as well as its name."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": FILE_ACCEPT}))
        kwargs.setdefault("error_messages", {"required": "Choose a file to upload"})
        kwargs.setdefault("help_text", "A PDF, PNG or JPEG, 10 MB at most")
        super().__init__(max_length=255, allow_empty_file=False, **kwargs)
        self.error_messages["empty"] = "The selected file is empty"
        self.error_messages["invalid"] = "Choose a file to upload"
        self.error_messages["missing"] = "Choose a file to upload"
        self.error_messages["max_length"] = "The file's name must be 255 characters or fewer"

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload:
            if getattr(upload, "size", MAX_BYTES + 1) > MAX_BYTES:
                raise forms.ValidationError("The file must be 10 MB or smaller")
            check_upload(upload)
        return upload


class FundCreateForm(forms.Form):
    name = forms.CharField(
        label="Name of the fund",
        max_length=150,
        error_messages={"required": "Enter the name of the fund"},
    )
    total = PoundsField(label="Total allocation", help_text="In pounds, for example 60000")
    period_start = GovukDateField(label="Period starts", name="Start of the period", required=False)
    period_end = GovukDateField(label="Period ends", name="End of the period", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must end after it starts")
        return cleaned


class FundAdjustForm(forms.Form):
    total = PoundsField(
        label="New total allocation",
        allow_zero=True,
        help_text="A top-up raises the total; a reduction lowers it (not below what is awarded)",
    )
    reason = text_field("Reason for the change", max_length=2000, multiline=True)


class ApplicationForm(forms.Form):
    """The bid: the business idea, the amount, the itemised budget and the plan."""

    purpose = text_field("The business idea", max_length=10_000, multiline=True)
    amount_requested = PoundsField(label="Amount asked for", help_text="In pounds, like 1250")
    business_plan_summary = text_field(
        "Business plan summary",
        required=False,
        max_length=10_000,
        help_text="Customers, prices, costs, and how the business will earn. Needed to submit.",
        multiline=True,
    )
    other_support = text_field(
        "Other support involved",
        required=False,
        max_length=5000,
        help_text="Start-up advice partners, mentors, grants or loans",
        multiline=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(1, BUDGET_ROWS + 1):
            self.fields[f"item_{row}"] = forms.CharField(
                label=f"Item {row}", required=False, max_length=200
            )
            self.fields[f"cost_{row}"] = PoundsField(label=f"Cost of item {row}", required=False)
            self.fields[f"supplier_{row}"] = forms.CharField(
                label=f"Supplier of item {row}", required=False, max_length=200
            )

    @property
    def budget_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "number": row,
                "item": self[f"item_{row}"],
                "cost": self[f"cost_{row}"],
                "supplier": self[f"supplier_{row}"],
            }
            for row in range(1, BUDGET_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        budget = []
        for row in range(1, BUDGET_ROWS + 1):
            item = (cleaned.get(f"item_{row}") or "").strip()
            cost = cleaned.get(f"cost_{row}")
            supplier = (cleaned.get(f"supplier_{row}") or "").strip()
            if f"cost_{row}" in self.errors:
                continue
            if not (item or cost or supplier):
                continue
            if not item:
                self.add_error(f"item_{row}", f"Enter what item {row} is")
            if cost is None:
                self.add_error(f"cost_{row}", f"Enter the cost of item {row}")
            if item and cost is not None:
                budget.append({"item": item, "cost_pence": cost, "supplier": supplier})
        cleaned["budget"] = budget
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "purpose": data["purpose"],
            "amount_requested_pence": data["amount_requested"],
            "business_plan_summary": data["business_plan_summary"],
            "other_support": data["other_support"],
            "budget": data["budget"],
        }

    @classmethod
    def initial_for(cls, application: FundApplication) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "purpose": application.purpose,
            "amount_requested": pounds_for_input(application.amount_requested_pence),
            "business_plan_summary": application.business_plan_summary,
            "other_support": application.other_support,
        }
        for row, line in enumerate(application.budget_items.all()[:BUDGET_ROWS], start=1):
            initial[f"item_{row}"] = line.item
            initial[f"cost_{row}"] = pounds_for_input(line.cost_pence)
            initial[f"supplier_{row}"] = line.supplier
        return initial


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is the file?",
        choices=[(k.value, k.label) for k in Attachment.APPLICATION_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the file is"},
    )
    file = UploadField(label="File")


class _VersionForm(forms.Form):
    """Carries the application's version: the one-time token of the page (CI-4)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)

    def __init__(self, *args: Any, application: FundApplication, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {"version": application.version, **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        self.fields["version"].error_messages["required"] = (
            "This form is out of date: open the application again"
        )
        self.fields["version"].error_messages["invalid"] = self.fields["version"].error_messages[
            "required"
        ]


class SubmitForm(_VersionForm):
    declaration = forms.BooleanField(
        label="The applicant has seen this application, agrees to it being submitted, and "
        "understands the criteria it will be assessed against",
        error_messages={"required": "Confirm that the applicant agrees to the application"},
    )


SCALE = [(str(n), str(n)) for n in range(1, 6)]


class AssessmentForm(forms.Form):
    summary = text_field("Overall comments", required=False, max_length=5000, multiline=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, title, guidance in CRITERIA:
            self.fields[name] = forms.TypedChoiceField(
                label=f"{title}: score",
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=f"{guidance} 1 is poor, 5 is strong.",
                error_messages={"required": f"Score {title.lower()} from 1 to 5"},
            )
            self.fields[f"{name}_notes"] = text_field(
                f"{title}: notes", required=False, max_length=5000, multiline=True
            )

    @property
    def criteria(self) -> list[dict[str, Any]]:
        return [
            {"title": title, "score": self[name], "notes": self[f"{name}_notes"]}
            for name, title, _guidance in CRITERIA
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "scores": {name: data[name] for name, _t, _g in CRITERIA},
            "notes": {name: data[f"{name}_notes"] for name, _t, _g in CRITERIA},
            "summary": data["summary"],
        }


class DecisionForm(_VersionForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision"},
    )
    amount = PoundsField(
        label="Amount to award",
        required=False,
        help_text="When approving: up to the amount asked for and the fund's balance",
    )
    conditions = text_field(
        "Conditions",
        required=False,
        max_length=5000,
        help_text="When approving with conditions",
        multiline=True,
    )
    reason = text_field(
        "Reason",
        required=False,
        max_length=5000,
        help_text="When asking for more information (what is needed) or rejecting (why)",
        multiline=True,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decision = cleaned.get("decision")
        missing_amount = cleaned.get("amount") is None and "amount" not in self.errors
        if decision in Decision.APPROVALS and missing_amount:
            self.add_error("amount", "Enter the amount to award")
        if decision == Decision.Kind.APPROVED_WITH_CONDITIONS and not cleaned.get("conditions"):
            self.add_error("conditions", "Write down the conditions of the award")
        if decision == Decision.Kind.MORE_INFORMATION and not cleaned.get("reason"):
            self.add_error("reason", "Say what more information is needed")
        if decision == Decision.Kind.REJECTED and not cleaned.get("reason"):
            self.add_error("reason", "Give the reason for rejecting the application")
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        approving = data["decision"] in Decision.APPROVALS
        return {
            "decision": data["decision"],
            "version": data["version"],
            "amount_pence": data["amount"] if approving else None,
            "conditions": data["conditions"] if approving else "",
            "reason": "" if approving else data["reason"],
        }


class PaymentForm(_VersionForm):
    date = GovukDateField(label="Date paid", not_future=True)
    amount = PoundsField(label="Amount paid")
    payee = forms.ChoiceField(
        label="Paid to",
        choices=Payment.Payee.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who was paid"},
    )
    payee_name = forms.CharField(
        label="Name of the supplier or person paid",
        max_length=200,
        error_messages={"required": "Enter who was paid"},
    )
    reference = forms.CharField(label="Payment reference", required=False, max_length=100)
    evidence_kind = forms.ChoiceField(
        label="Evidence",
        choices=[(k.value, k.label) for k in Attachment.EVIDENCE_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the evidence is a receipt or an invoice"},
    )
    evidence = UploadField(label="Receipt or invoice")

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ("version", "date", "payee", "payee_name", "reference", "evidence_kind")
        } | {"amount_pence": data["amount"], "evidence": data["evidence"]}


class BusinessStartForm(forms.Form):
    start_date = GovukDateField(label="Date the business started trading")
    business_name = forms.CharField(
        label="Name of the business",
        max_length=200,
        error_messages={"required": "Enter the name of the business"},
    )
    hours_per_week = forms.DecimalField(
        label="Hours a week",
        min_value=1,
        max_value=80,
        max_digits=4,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": "Enter the hours a week the applicant works in the business",
            "min_value": "Enter at least 1 hour",
            "max_value": "Enter at most 80 hours",
            "invalid": "Enter the hours as a number, like 20",
        },
    )

    def clean_start_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["start_date"]
        if value > timezone.localdate() + datetime.timedelta(days=31):
            raise forms.ValidationError("The start date can be at most a month ahead")
        return value


class IncomeForm(forms.Form):
    period_start = GovukDateField(label="From", name="Start of the period")
    period_end = GovukDateField(label="To", name="End of the period", not_future=True)
    income = PoundsField(label="Income in the period", allow_zero=True, help_text="In pounds")
    notes = text_field("Notes", required=False, max_length=2000, multiline=True)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must end on or after its start")
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "income_pence": data["income"],
            "notes": data["notes"],
        }


class BusinessStopForm(forms.Form):
    end_date = GovukDateField(label="Date the business stopped trading", not_future=True)
    reason = forms.CharField(
        label="Why did it stop?",
        max_length=200,
        widget=forms.Textarea,
        error_messages={"required": "Say why the business stopped"},
    )
