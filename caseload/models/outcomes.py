"""Outcomes: job, business, training, education and volunteering starts."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from caseload.models.cases import Case
from caseload.models.employers import Employer
from core.models import BaseModel


class Outcome(BaseModel):
    class Type(models.TextChoices):
        PAID_EMPLOYMENT = "paid_employment", "Paid employment"
        SELF_EMPLOYMENT = "self_employment", "Self-employment"
        TRAINING = "training", "Training"
        EDUCATION = "education", "Education"
        VOLUNTEERING = "volunteering", "Volunteering"

    PAID = (Type.PAID_EMPLOYMENT, Type.SELF_EMPLOYMENT)

    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="outcomes")
    type = models.CharField(max_length=20, choices=Type.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    employer_name = models.CharField(max_length=200, blank=True)
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes"
    )
    role = models.CharField(max_length=150, blank=True)
    contract = models.CharField(max_length=50, blank=True)
    competitive = models.BooleanField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="caseload_outcome_ends_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
            ),
            models.CheckConstraint(
                name="caseload_outcome_paid_has_hours",
                condition=~Q(type__in=["paid_employment", "self_employment"])
                | Q(hours_per_week__gte=1, hours_per_week__lte=80),
            ),
        ]
        indexes = [models.Index(fields=["type", "start_date"])]
