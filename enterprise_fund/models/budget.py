"""The itemised budget of an application."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.models import BaseModel
from enterprise_fund.models.applications import FundApplication


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
