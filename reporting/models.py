"""Quarterly returns to the OPCC, and the background jobs that build their files."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.jobs import BackgroundJob, Task
from core.models import BaseModel
from core.storage import private_storage
from reporting.fidelity.models import FidelityReview

__all__ = [
    "CaseUpdate",
    "FidelityReview",
    "FigureChange",
    "FigureSnapshot",
    "QuarterlyReturn",
    "ReturnJob",
]


class QuarterlyReturn(BaseModel):
    """One version of the return for one period. A draft can change; a signed-off return is
    frozen, and a correction is a new version of the same period (both are kept)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED_OFF = "signed_off", "Signed off"

    period_start = models.DateField()
    period_end = models.DateField()
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    #: The figures as computed by reporting.figures.quarterly_return, exact, frozen when the
    #: snapshot job finishes. None until then.
    figures = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    #: The OPCC's pseudonyms (caseload.pseudonyms) of the cases active in the quarter,
    #: frozen with the figures. Returns signed off before the pseudonyms were stored hold
    #: the six-digit ones the evaluators saw then.
    active_cases = models.JSONField(default=list, blank=True)
    figures_computed_at = models.DateTimeField(null=True, blank=True)
    #: What the first page compares the quarter with (reporting.briefing.comparison_for):
    #: the previous quarter's exact figures and the latest fidelity review, frozen with the
    #: figures. None for a return frozen before the first page had one.
    comparison = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)

    # The manager's narrative.
    progress = models.TextField("progress since last quarter", blank=True)
    challenges = models.TextField(blank=True)
    service_user_feedback = models.TextField(blank=True)
    case_studies = models.TextField(blank=True)
    case_studies_consent = models.BooleanField(
        "consent recorded for each case study", default=False
    )
    # The update on each active case is a CaseUpdate of its own (`updates`).

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end", "version"],
                name="reporting_quarterlyreturn_unique_version",
            ),
            models.UniqueConstraint(
                fields=["period_start", "period_end"],
                condition=Q(status="draft"),
                name="reporting_quarterlyreturn_one_draft_per_period",
            ),
            models.CheckConstraint(
                name="reporting_quarterlyreturn_period_in_order",
                condition=Q(period_end__gte=models.F("period_start")),
            ),
            models.CheckConstraint(
                name="reporting_quarterlyreturn_version_positive",
                condition=Q(version__gte=1),
            ),
            models.CheckConstraint(
                name="reporting_quarterlyreturn_status_valid",
                condition=Q(status__in=["draft", "signed_off"]),
            ),
            models.CheckConstraint(
                name="reporting_quarterlyreturn_signed_off_has_signer",
                condition=Q(status="draft", signed_off_by__isnull=True, signed_off_at__isnull=True)
                | Q(
                    status="signed_off",
                    signed_off_by__isnull=False,
                    signed_off_at__isnull=False,
                    figures__isnull=False,
                ),
            ),
            models.CheckConstraint(
                name="reporting_quarterlyreturn_case_studies_have_consent",
                condition=Q(status="draft") | Q(case_studies="") | Q(case_studies_consent=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Return {self.period_start}..{self.period_end} v{self.version}"

    @property
    def is_signed_off(self) -> bool:
        return self.status == self.Status.SIGNED_OFF

    @property
    def quarter_name(self) -> str:
        from core.periods import quarter_name_of

        return quarter_name_of(self.period_start, self.period_end)

    @property
    def file_stem(self) -> str:
        """The base of every generated file name: no personal data, only the period."""
        return f"e4e-quarterly-return-{self.quarter_name}-v{self.version}"


class CaseUpdate(BaseModel):
    """The written update on one case active in a return's quarter (statement of
    requirement 8.1): its objectives, what was achieved and the next steps. The snapshot
    job drafts it from the case's record; the case's specialist writes and submits it; a
    manager reviews it (and may edit it: the history keeps every version). Only reviewed
    text reaches the OPCC, in the signed-off PDF, under the case's OPCC pseudonym."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        REVIEWED = "reviewed", "Reviewed"

    #: The parts of an update, in the order they are written and shown.
    PARTS = ("objectives", "achieved", "next_steps")

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.PROTECT, related_name="updates"
    )
    #: None only for updates moved from returns signed off before the pseudonyms were
    #: stored, whose pseudonym no longer names one case for sure.
    case = models.ForeignKey(
        "caseload.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quarterly_updates",
    )
    #: The pseudonym the return names the case by (QuarterlyReturn.active_cases): the OPCC's.
    pseudonym = models.CharField(max_length=32)
    objectives = models.TextField(blank=True)
    achieved = models.TextField("what was achieved", blank=True)
    next_steps = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["quarterly_return", "pseudonym"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "pseudonym"],
                name="reporting_caseupdate_one_per_pseudonym",
            ),
            models.UniqueConstraint(
                fields=["quarterly_return", "case"],
                condition=Q(case__isnull=False),
                name="reporting_caseupdate_one_per_case",
            ),
            models.CheckConstraint(
                name="reporting_caseupdate_status_valid",
                condition=Q(status__in=["draft", "submitted", "reviewed"]),
            ),
            models.CheckConstraint(
                name="reporting_caseupdate_reviewed_has_reviewer",
                condition=~Q(status="reviewed")
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
            ),
            models.CheckConstraint(
                name="reporting_caseupdate_submitted_has_time",
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
            ),
            models.CheckConstraint(
                name="reporting_caseupdate_draft_not_reviewed",
                condition=~Q(status="draft") | Q(reviewed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Update on {self.pseudonym} ({self.status})"

    @property
    def is_complete(self) -> bool:
        """Whether all three parts are written."""
        return all(str(getattr(self, part)).strip() for part in self.PARTS)

    @property
    def is_reviewed(self) -> bool:
        return self.status == self.Status.REVIEWED


class ReturnJob(BackgroundJob):
    """One background build for a return (JB-1): the database row is the source of truth;
    the Celery task only carries its id."""

    class Kind(models.TextChoices):
        SNAPSHOT = "snapshot", "Figures"
        PDF = "pdf", "PDF"
        CSV = "csv", "CSV"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    UNFINISHED = (Status.QUEUED, Status.RUNNING)
    FAILED_STATUSES = (Status.FAILED,)
    #: Tries of one job: the first and three retries (JB-4); also how many times its worker
    #: may stop before the sweep gives up on it.
    MAX_ATTEMPTS = 4

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.PROTECT, related_name="jobs"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=100, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(storage=private_storage, upload_to="returns/", blank=True)

    # Progress and the heartbeat are saved without a history row; status changes are
    # recorded.
    history = HistoricalRecords(excluded_fields=["progress", "step", "updated_at", "heartbeat_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "kind"],
                condition=Q(status__in=["queued", "running"]),
                name="reporting_returnjob_one_unfinished_per_kind",
            ),
            models.CheckConstraint(
                name="reporting_returnjob_progress_range",
                condition=Q(progress__gte=0, progress__lte=100),
            ),
            models.CheckConstraint(
                name="reporting_returnjob_status_valid",
                condition=Q(status__in=["queued", "running", "done", "failed"]),
            ),
            models.CheckConstraint(
                name="reporting_returnjob_kind_valid",
                condition=Q(kind__in=["snapshot", "pdf", "csv"]),
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Job {self.pk} ({self.kind}, {self.status})"

    @property
    def status_label(self) -> str:
        if self.status == self.Status.QUEUED:
            return "Waiting to start"
        return self.get_status_display()

    @property
    def file_name(self) -> str:
        """The deterministic storage name of this job's file (JB-3)."""
        extension = {"pdf": "pdf", "csv": "csv"}.get(self.kind, "json")
        return f"returns/return-{self.quarterly_return_id}/job-{self.pk}.{extension}"

    def as_log(self) -> dict[str, Any]:
        return {"job_id": self.pk, "return_id": self.quarterly_return_id, "kind": self.kind}

    # What the sweep needs to know of this kind (core.jobs.JobKind).

    @classmethod
    def job_task(cls) -> Task:
        from reporting.tasks import build_return_job

        return build_return_job

    def wait_again(self, *, now: datetime, interrupted: bool) -> None:
        from reporting.services.jobs import return_job_wait_again

        return_job_wait_again(self, interrupted=interrupted)

    def give_up(self, *, now: datetime) -> None:
        from reporting.services.jobs import return_job_give_up

        return_job_give_up(self, now=now)


class FigureSnapshot(models.Model):
    """The figures of one period of the return as computed once (reporting.figures.stored):
    a complete quarter's figures change only when a record dated in or before it changes,
    so the dashboard's trend, the API and the evaluators' figures read them instead of
    computing them again. Not a person's data: counts only, like the return."""

    period_start = models.DateField()
    period_end = models.DateField()
    #: reporting.figures.stored.COMPUTATION when computed: a new computation (a new version
    #: of the definitions, a corrected figure) never reads an older one's figures.
    computation = models.CharField(max_length=32)
    #: The figures as JSON text, not a JSON field: PostgreSQL's jsonb would reorder the
    #: keys, and the CSV and the API list the figures in the document's order.
    figures_json = models.TextField()
    #: The values of the figures the dashboard's trend shows (reporting.figure_table.TREND,
    #: in order): eight quarters of trend read without eight whole documents.
    trend_json = models.TextField()
    #: When the computation began: a change recorded after this may not be in the figures.
    started_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end", "computation"],
                name="reporting_figuresnapshot_one_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"Figures {self.period_start}..{self.period_end} ({self.computation})"


class FigureChange(models.Model):
    """A write that can change the figures of every period ending on or after `from_date`
    (reporting.figures.stored): a snapshot begun before it, of such a period, is stale."""

    from_date = models.DateField()
    changed_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Figures from {self.from_date} changed at {self.changed_at}"
