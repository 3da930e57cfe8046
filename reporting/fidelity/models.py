"""Reviews of the service against the IPS fidelity scale."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.models import BaseModel


class FidelityReview(BaseModel):
    """A review against the IPS 25-item fidelity scale: each item scored 1-5 with evidence."""

    period_start = models.DateField()
    period_end = models.DateField()
    reviewed_on = models.DateField()
    #: {"1": {"score": 5, "evidence": "..."}, ..., "25": {...}}
    items = models.JSONField()
    total = models.PositiveSmallIntegerField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        # The constraint keeps the name it was made with in caseload (Django cannot rename one).
        constraints = [
            models.CheckConstraint(
                name="caseload_fidelityreview_total_range",
                condition=Q(total__gte=25, total__lte=125),
            )
        ]

    def __str__(self) -> str:
        return f"Fidelity review {self.reviewed_on}"
