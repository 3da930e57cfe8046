"""Tasks: the follow-up a specialist must do by a date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caseload.models.cases import Case
from caseload.models.outcomes import Outcome
from core.models import BaseModel


class Task(BaseModel):
    """Something a specialist must do by a date: sustainment checks and in-work support
    after a job start, trading checks after a business start. Done with the evidence seen."""

    class Kind(models.TextChoices):
        IN_WORK_SUPPORT = "in_work_support", "In-work support"
        SUSTAINMENT_CHECK = "sustainment_check", "Sustainment check"
        TRADING_CHECK = "trading_check", "Trading check"
        RE_ENGAGE = "re_engage", "Re-engage after a missed appointment"
        RISK_ASSESSMENT = "risk_assessment", "Risk assessment before a community appointment"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tasks")
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    done_date = models.DateField(null=True, blank=True)
    evidence = models.TextField(blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                name="caseload_task_done_has_evidence",
                condition=Q(done_date__isnull=True) | ~Q(evidence=""),
            ),
            models.UniqueConstraint(
                fields=["outcome", "kind", "due_date"], name="caseload_task_unique_per_outcome"
            ),
        ]
        indexes = [models.Index(fields=["done_date", "due_date"])]

    def __str__(self) -> str:
        return self.title
