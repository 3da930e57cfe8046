"""The privacy records: what the retention schedule and erasure did, and the log of
data-protection requests with their clocks."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import AppendOnlyModel, BaseModel, User


class RetentionAction(AppendOnlyModel):
    """One person's data anonymised: by the retention schedule, or on an erasure request.
    Append-only, like the access log. Holds ids and counts only: the reason must never name
    the person."""

    class Kind(models.TextChoices):
        RETENTION = "retention", "Retention schedule"
        ERASURE = "erasure", "Erasure request"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    rule = models.CharField(max_length=200)
    referral_id = models.PositiveBigIntegerField(db_index=True)
    case_id = models.PositiveBigIntegerField(null=True, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    #: Rows anonymised per model, history rows removed and files deleted.
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "retention record"

    def __str__(self) -> str:
        return f"Referral {self.referral_id} anonymised ({self.kind}) at {self.at}"


def _add_months(day: Any, months: int) -> Any:
    """The same day `months` calendar months on; the month's last day when it has no such
    day (31 January + 1 month = 28 or 29 February), as the ICO counts a month."""
    import calendar
    import datetime

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class DataRequest(BaseModel):
    """A data-protection request from a person (UK GDPR Articles 15-21), with its clock: one
    calendar month from receipt, two more when extended, and the clock stopped while the
    service waits for proof of identity or a clarification."""

    class Kind(models.TextChoices):
        ACCESS = "access", "Subject access (a copy of their data)"
        ERASURE = "erasure", "Erasure"
        RECTIFICATION = "rectification", "Rectification (correcting their data)"
        RESTRICTION = "restriction", "Restriction of processing"
        OBJECTION = "objection", "Objection to processing"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PAUSED = "paused", "Clock stopped"
        DONE = "done", "Done"
        REFUSED = "refused", "Refused"

    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    received_date = models.DateField()
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="data_requests",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    extended = models.BooleanField(default=False)
    extension_reason = models.TextField(blank=True)
    paused_since = models.DateField(null=True, blank=True)
    paused_days = models.PositiveIntegerField(default=0)
    pause_reason = models.TextField(blank=True)
    closed_date = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    logged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="e4e_datarequest_paused_has_date",
                condition=~Q(status="paused") | Q(paused_since__isnull=False),
            ),
            models.CheckConstraint(
                name="e4e_datarequest_closed_has_date",
                condition=~Q(status__in=["done", "refused"]) | Q(closed_date__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REFUSED)

    def due_date(self, today: Any = None) -> Any:
        """When the answer is due: a month from receipt (three if extended), plus the days
        the clock was stopped (so far, while it is stopped)."""
        import datetime

        due = _add_months(self.received_date, 3 if self.extended else 1)
        paused = self.paused_days
        if self.paused_since is not None:
            paused += ((today or timezone.localdate()) - self.paused_since).days
        return due + datetime.timedelta(days=paused)
