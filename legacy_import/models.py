"""The runs of the legacy import from the upload page."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.jobs import BackgroundJob, Task
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
    #: A refused upload is a finished check whose answer is "no": shown as a failure.
    FAILED_STATUSES = (Status.REFUSED, Status.FAILED)
    MAX_ATTEMPTS = 3
    #: Whether a run is checking or importing, no step or percentage is known.
    progress = None

    file = models.FileField(storage=private_storage, upload_to="imports/")
    original_name = models.CharField(max_length=200)
    fund_total_pence = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CHECKING)
    #: {"counts": {file: {"created": n, "updated": n}}, "warnings": [...], "errors": [...]}
    check_result = models.JSONField(default=dict, blank=True)
    import_result = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The heartbeat is written on its own, with no history row.
    history = HistoricalRecords(excluded_fields=["heartbeat_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def step(self) -> str:
        if self.status == self.Status.CHECKING:
            return "Checking every row of every file. This can take a minute for a large history."
        if self.status == self.Status.IMPORTING:
            return "Importing. This can take a minute for a large history."
        return ""

    # What the sweep needs to know of this kind (core.jobs.JobKind).

    @classmethod
    def job_task(cls) -> Task:
        from legacy_import.tasks import run_import

        return run_import

    def wait_again(self, *, now: datetime, interrupted: bool) -> None:
        self.started_at = None
        self.save()

    def give_up(self, *, now: datetime) -> None:
        self.status = self.Status.FAILED
        self.error = (
            f"The worker stopped while working on this upload {self.attempts} times. "
            "Upload it again, or ask for help if it keeps happening."
        )
        self.finished_at = now
        self.save()
