"""The enterprise fund: a pot of money, bids against it and the ledger of what moved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from e4e.models import BaseModel


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
        ]


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
