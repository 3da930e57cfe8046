"""Money paid out of an award."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.models import BaseModel
from enterprise_fund.models.applications import FundApplication
from enterprise_fund.models.attachments import Attachment


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
