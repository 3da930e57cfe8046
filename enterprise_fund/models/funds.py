"""The fund: a named pot of money that bids are made against."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.models import BaseModel


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
