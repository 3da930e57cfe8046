"""The enterprise fund: a pot of money, bids against it and the ledger of what moved."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import BaseModel
from core.storage import private_storage
from enterprise_fund.files import attachment_path


class Fund(BaseModel):
    """A named pot. Money is in integer pence; `remaining_pence` can never go below zero."""

    name = models.CharField(max_length=150)
    total_pence = models.PositiveBigIntegerField()
    remaining_pence = models.BigIntegerField()
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="enterprise_fund_fund_balance_not_negative",
                condition=Q(remaining_pence__gte=0),
            ),
            models.CheckConstraint(
                name="enterprise_fund_fund_balance_within_total",
                condition=Q(remaining_pence__lte=F("total_pence")),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FundApplication(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        AWAITING_SECOND_APPROVAL = "awaiting_second", "Awaiting a second approval"
        MORE_INFORMATION = "more_information", "More information asked for"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="applications")
    case = models.ForeignKey(
        "caseload.Case", on_delete=models.PROTECT, related_name="fund_applications"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    purpose = models.TextField("the business idea")
    amount_requested_pence = models.PositiveBigIntegerField()
    submitted_date = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_date = models.DateField(null=True, blank=True)
    amount_awarded_pence = models.PositiveBigIntegerField(null=True, blank=True)
    business_plan_summary = models.TextField(blank=True)
    other_support = models.TextField(
        "other support involved", blank=True, help_text="Start-up advice partners and others"
    )
    #: Raised by every step of the workflow. Decision and payment forms carry the value they
    #: were shown, so a form posted twice (or after someone else acted) is refused (CI-4).
    version = models.PositiveIntegerField(default=0)
    #: An award above the threshold: the first of the two managers' approvals.
    first_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_approved_pence = models.PositiveBigIntegerField(null=True, blank=True)
    #: Who made the final decision (an approval that made the award, or a rejection).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    conditions = models.TextField("conditions of the award", blank=True)
    amount_paid_pence = models.PositiveBigIntegerField(default=0)
    #: The case's self-employment outcome, recorded when the business started.
    business_outcome = models.OneToOneField(
        "caseload.Outcome",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_application",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="enterprise_fund_application_request_positive",
                condition=Q(amount_requested_pence__gt=0),
            ),
            models.CheckConstraint(
                name="enterprise_fund_application_award_within_request",
                condition=Q(amount_awarded_pence__isnull=True)
                | Q(
                    amount_awarded_pence__gt=0,
                    amount_awarded_pence__lte=F("amount_requested_pence"),
                ),
            ),
            models.CheckConstraint(
                name="enterprise_fund_application_approved_has_award",
                condition=~Q(status="approved")
                | Q(amount_awarded_pence__isnull=False, decision_date__isnull=False),
            ),
            models.CheckConstraint(
                name="enterprise_fund_application_paid_within_award",
                condition=Q(amount_paid_pence=0)
                | Q(
                    amount_awarded_pence__isnull=False,
                    amount_paid_pence__lte=F("amount_awarded_pence"),
                ),
            ),
            models.CheckConstraint(
                name="enterprise_fund_application_second_approval_awaits_first",
                condition=~Q(status="awaiting_second")
                | Q(first_approved_by__isnull=False, first_approved_pence__gt=0),
            ),
            # Separation of duties, as far as one row can say it: the final decider is not the
            # submitter, and an award approved twice was approved by two different managers.
            models.CheckConstraint(
                name="enterprise_fund_application_decider_not_submitter",
                condition=Q(decided_by__isnull=True)
                | Q(submitted_by__isnull=True)
                | ~Q(decided_by=F("submitted_by")),
            ),
            models.CheckConstraint(
                name="enterprise_fund_application_first_approver_not_submitter",
                condition=Q(first_approved_by__isnull=True)
                | Q(submitted_by__isnull=True)
                | ~Q(first_approved_by=F("submitted_by")),
            ),
            models.CheckConstraint(
                name="enterprise_fund_application_two_different_approvers",
                condition=~Q(status="approved")
                | Q(first_approved_by__isnull=True)
                | Q(decided_by__isnull=True)
                | ~Q(first_approved_by=F("decided_by")),
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"Fund application {self.pk}"

    @property
    def reference(self) -> str:
        return f"EF-{self.pk:05d}"

    @property
    def amount_left_to_pay_pence(self) -> int:
        return (self.amount_awarded_pence or 0) - self.amount_paid_pence

    @property
    def is_editable(self) -> bool:
        """Drafts, and applications sent back for more information, can change."""
        return self.status in (self.Status.DRAFT, self.Status.MORE_INFORMATION)

    @property
    def is_awaiting_decision(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.AWAITING_SECOND_APPROVAL)


class LedgerEntry(BaseModel):
    """Every movement of money: awards, payments and adjustments (with a reason)."""

    class Kind(models.TextChoices):
        AWARD = "award", "Award"
        PAYMENT = "payment", "Payment"
        ADJUSTMENT = "adjustment", "Adjustment"

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    application = models.ForeignKey(
        FundApplication, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger"
    )
    date = models.DateField()
    #: Pence: an award's or payment's amount (positive); for an adjustment, the signed change
    #: to the fund's total allocation (a top-up is positive, a reduction negative).
    amount_pence = models.BigIntegerField()
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name_plural = "ledger entries"
        constraints = [
            # One award per application, whatever is posted twice (CI-4).
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(kind="award"),
                name="enterprise_fund_ledgerentry_one_award_per_application",
            ),
            models.CheckConstraint(
                name="enterprise_fund_ledgerentry_money_moved_is_positive",
                condition=Q(kind="adjustment") | Q(amount_pence__gt=0),
            ),
        ]


def _score() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])


class BudgetItem(BaseModel):
    """One line of an application's itemised budget."""

    application = models.ForeignKey(
        FundApplication, on_delete=models.PROTECT, related_name="budget_items"
    )
    item = models.CharField(max_length=200)
    cost_pence = models.PositiveBigIntegerField()
    supplier = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="enterprise_fund_budgetitem_cost_positive", condition=Q(cost_pence__gt=0)
            )
        ]

    def __str__(self) -> str:
        return self.item


class Attachment(BaseModel):
    """A quote, a plan, or a payment's receipt or invoice: a PDF or an image, checked by its
    content, stored privately under a generated name."""

    class Kind(models.TextChoices):
        QUOTE = "quote", "Quote"
        PLAN = "plan", "Business plan"
        OTHER = "other", "Other supporting document"
        RECEIPT = "receipt", "Receipt"
        INVOICE = "invoice", "Invoice"

    #: What can be attached to the application itself; receipts and invoices come with payments.
    APPLICATION_KINDS = (Kind.QUOTE, Kind.PLAN, Kind.OTHER)
    EVIDENCE_KINDS = (Kind.RECEIPT, Kind.INVOICE)

    application = models.ForeignKey(
        FundApplication, on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=200)
    #: As found from the file's content, not as the uploader's browser said.
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    #: The uploader's file name, for display only: never used as a path.
    original_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="enterprise_fund_attachment_type_allowed",
                condition=Q(content_type__in=["application/pdf", "image/png", "image/jpeg"]),
            ),
            models.CheckConstraint(
                name="enterprise_fund_attachment_size_limit",
                condition=Q(size__gt=0, size__lte=10 * 1024 * 1024),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


#: The published criteria: (field, title, guidance). Each is scored 1 (poor) to 5 (strong).
CRITERIA: tuple[tuple[str, str, str], ...] = (
    (
        "viability",
        "Viability",
        "Is there a market for the business, and a realistic plan to earn from it? "
        "Costs, prices and the first customers are thought through.",
    ),
    (
        "readiness",
        "Readiness and commitment",
        "Has the applicant shown they are ready and committed: research done, time "
        "set aside, steps already taken?",
    ),
    (
        "value_for_money",
        "Value for money",
        "Are the items needed to start trading, priced fairly (quotes where possible), and "
        "is the amount asked for in proportion to what the business will achieve?",
    ),
    (
        "risk",
        "Risk: legality and safeguarding",
        "Is the business legal and licensable, and safe for the applicant and others? "
        "5 means the risks are low or well managed; 1 means they are serious.",
    ),
    (
        "other_support",
        "Use of other support",
        "Is the applicant using start-up advice and other support (banks, grants, "
        "mentoring) alongside the fund?",
    ),
)


class Assessment(BaseModel):
    """A manager's assessment of an application against the published criteria."""

    application = models.ForeignKey(
        FundApplication, on_delete=models.PROTECT, related_name="assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField()
    viability = _score()
    viability_notes = models.TextField(blank=True)
    readiness = _score()
    readiness_notes = models.TextField(blank=True)
    value_for_money = _score()
    value_for_money_notes = models.TextField(blank=True)
    risk = _score()
    risk_notes = models.TextField(blank=True)
    other_support = _score()
    other_support_notes = models.TextField(blank=True)
    summary = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name=f"enterprise_fund_assessment_{name}_range",
                condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
            )
            for name in ("viability", "readiness", "value_for_money", "risk", "other_support")
        ]

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name, _title, _guidance in CRITERIA)

    @property
    def scores(self) -> list[dict[str, object]]:
        return [
            {"title": title, "score": getattr(self, name), "notes": getattr(self, f"{name}_notes")}
            for name, title, _guidance in CRITERIA
        ]


class Decision(BaseModel):
    """The decision log: every decision on an application, who made it, when and why."""

    class Kind(models.TextChoices):
        APPROVED = "approved", "Approve"
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approve with conditions"
        MORE_INFORMATION = "more_information", "Ask for more information"
        REJECTED = "rejected", "Reject"

    APPROVALS = (Kind.APPROVED, Kind.APPROVED_WITH_CONDITIONS)

    application = models.ForeignKey(
        FundApplication, on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    #: An approval above the threshold that waits for a second manager's approval.
    first_of_two = models.BooleanField(default=False)
    amount_pence = models.PositiveBigIntegerField(null=True, blank=True)
    conditions = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            # The approval that makes the award happens once per application (CI-4).
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(kind__in=["approved", "approved_with_conditions"], first_of_two=False),
                name="enterprise_fund_decision_one_award_per_application",
            ),
            models.CheckConstraint(
                name="enterprise_fund_decision_approval_has_amount",
                condition=~Q(kind__in=["approved", "approved_with_conditions"])
                | Q(amount_pence__gt=0),
            ),
            models.CheckConstraint(
                name="enterprise_fund_decision_conditions_stated",
                condition=~Q(kind="approved_with_conditions") | ~Q(conditions=""),
            ),
            models.CheckConstraint(
                name="enterprise_fund_decision_refusal_has_reason",
                condition=~Q(kind__in=["more_information", "rejected"]) | ~Q(reason=""),
            ),
        ]

    @property
    def label(self) -> str:
        if self.kind == self.Kind.MORE_INFORMATION:
            return "More information asked for"
        if self.kind == self.Kind.REJECTED:
            return "Rejected"
        if self.first_of_two:
            return "First approval: a second manager must approve"
        if self.kind == self.Kind.APPROVED_WITH_CONDITIONS:
            return "Approved with conditions"
        return "Approved"


class Payment(BaseModel):
    """Money paid out of an award, to a supplier or to the applicant, with its evidence."""

    class Payee(models.TextChoices):
        SUPPLIER = "supplier", "A supplier"
        CLIENT = "client", "The applicant"

    application = models.ForeignKey(
        FundApplication, on_delete=models.PROTECT, related_name="payments"
    )
    date = models.DateField()
    amount_pence = models.PositiveBigIntegerField()
    payee = models.CharField(max_length=16, choices=Payee.choices)
    payee_name = models.CharField(max_length=200)
    reference = models.CharField(max_length=100, blank=True)
    evidence = models.OneToOneField(Attachment, on_delete=models.PROTECT, related_name="payment")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="enterprise_fund_payment_amount_positive", condition=Q(amount_pence__gt=0)
            )
        ]


class IncomeReport(BaseModel):
    """What the business earned in a period, as the applicant reported it."""

    application = models.ForeignKey(
        FundApplication, on_delete=models.PROTECT, related_name="income_reports"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    income_pence = models.PositiveBigIntegerField()
    notes = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="enterprise_fund_incomereport_period_in_order",
                condition=Q(period_end__gte=F("period_start")),
            )
        ]
