"""The runs of the legacy import from the upload page."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from simple_history.models import HistoricalRecords

from core.jobs import BackgroundJob
from core.storage import private_storage


class ImportRun(BackgroundJob):
    """A legacy import uploaded by a manager: checked first (a dry run showing what would be
    created and updated, and every error), then confirmed and run in the background. The
    result is kept."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking"
        CHECKED = "checked", "Checked: ready to import"
        REFUSED = "refused", "Has errors: nothing imported"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    UNFINISHED = (Status.CHECKING, Status.IMPORTING)

    file = models.FileField(storage=private_storage, upload_to="imports/")
    original_name = models.CharField(max_length=200)
    fund_total_pence = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CHECKING)
    #: {"counts": {file: {"created": n, "updated": n}}, "warnings": [...], "errors": [...]}
    check_result = models.JSONField(default=dict, blank=True)
    import_result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    #: When the run began to wait for a worker (uploaded, or confirmed), when its task was
    #: last sent to the broker, and when a worker last began it: the sweep re-sends a run
    #: nothing picked up, or whose worker died (legacy_import.services).
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    @classmethod
    def stuck(cls, now: datetime | None = None) -> QuerySet[ImportRun]:
        from legacy_import.selectors import stuck_import_runs

        return stuck_import_runs(now)
