"""After the award: what the funded business reports it earned."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.models import BaseModel
from enterprise_fund.models.applications import FundApplication


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
