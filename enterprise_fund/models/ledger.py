"""The ledger: every movement of the fund's money."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.models import BaseModel
from enterprise_fund.models.applications import FundApplication
from enterprise_fund.models.funds import Fund


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
