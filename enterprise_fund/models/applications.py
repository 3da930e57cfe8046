"""A bid against the fund."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.models import BaseModel
from enterprise_fund.models.funds import Fund


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
