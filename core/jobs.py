"""Background jobs: rows the user can see (waiting, running, interrupted, done, failed with
the reason) whose work a Celery task does, taking only the row's id.

Every job model is a `BackgroundJob`, so the health check, the sweep and the pages find all
of them without knowing the apps that own them. A job's life:

- written with the change that needs it, and its task sent once that commits
  (`send_on_commit`); if the broker is down it waits and the sweep sends it later;
- a worker takes it with `claim()`: one conditional UPDATE that matches only while no live
  worker holds it, so a message delivered twice, or a re-send of a slow job, never runs
  it twice at once;
- while it works, its heartbeat (`heartbeat_at`) is written at each progress step and by
  `heartbeat()` every `HEARTBEAT_EVERY` during long steps;
- a job whose heartbeat is older than `INTERRUPTED_AFTER` is interrupted (its worker
  died): the pages say so and the sweep, every `SWEEP_EVERY`, sends it again, or fails it
  with a reason once it has stopped its worker `MAX_ATTEMPTS` times.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol, Self, cast

import structlog
from django.apps import apps
from django.db import DatabaseError, connection, models, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from core.models import BaseModel

logger = structlog.get_logger("e4e.jobs")

#: A running job writes its heartbeat at least this often.
HEARTBEAT_EVERY = timedelta(seconds=20)
#: A running job whose heartbeat is older than this has lost its worker: it is interrupted.
INTERRUPTED_AFTER = timedelta(seconds=60)
#: How often the sweep runs (beat): an interrupted job is sent again within
#: INTERRUPTED_AFTER + SWEEP_EVERY of its last heartbeat, under two minutes.
SWEEP_EVERY = timedelta(seconds=30)
#: A waiting job sent this long ago that no worker took is sent again.
RESEND_WAITING_AFTER = timedelta(minutes=5)
#: A job waiting for longer than this is stuck: "nothing lost" means none are.
STUCK_AFTER = timedelta(minutes=15)
SWEEP_BATCH = 100


class JobState(models.TextChoices):
    """What a job is doing, the same for every kind (each kind keeps its own statuses)."""

    WAITING = "waiting", "Waiting to start"
    RUNNING = "running", "Running"
    INTERRUPTED = "interrupted", "Interrupted"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class BackgroundJob(BaseModel):
    """A kind of job. Each concrete kind sets `UNFINISHED` (its statuses while waiting or
    running), `FAILED_STATUSES` and `MAX_ATTEMPTS`, and defines the three things only it
    knows (see `JobKind`; the system check e4e.E002 refuses a kind that does not)."""

    UNFINISHED: ClassVar[tuple[str, ...]]
    FAILED_STATUSES: ClassVar[tuple[str, ...]]
    MAX_ATTEMPTS: ClassVar[int]

    status: Any  # each kind's own field, with its own choices

    #: When the job began to wait for a worker (written; or sent again after its worker
    #: stopped), when its task was last handed to the broker (None: never, e.g. the broker
    #: was down), when a worker last took it, and when it finished.
    queued_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: Written by the worker that holds the job while it works; None while nobody does.
    #: Updated on its own (no history row).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    #: The tries so far; also the claim's token: a worker's writes count only while the
    #: job's attempts are still the ones it claimed.
    attempts = models.PositiveSmallIntegerField(default=0)
    #: The reason it failed (or why the last try did), for the people who started it.
    error = models.TextField(blank=True)

    class Meta:
        abstract = True

    # --- What a job is doing ---------------------------------------------------------------

    @property
    def is_unfinished(self) -> bool:
        return self.status in self.UNFINISHED

    def state_at(self, now: datetime) -> JobState:
        if not self.is_unfinished:
            return JobState.FAILED if self.status in self.FAILED_STATUSES else JobState.DONE
        if self.heartbeat_at is None:
            return JobState.WAITING
        if self.heartbeat_at < now - INTERRUPTED_AFTER:
            return JobState.INTERRUPTED
        return JobState.RUNNING

    @property
    def state(self) -> JobState:
        return self.state_at(timezone.now())

    @property
    def status_label(self) -> str:
        """The kind's own name for its status (the import's states mean things to users)."""
        return str(self.get_status_display())  # type: ignore[attr-defined]

    @property
    def state_label(self) -> str:
        """The status as the pages show it: the kind's own, unless the worker stopped."""
        return "Interrupted" if self.state == JobState.INTERRUPTED else self.status_label

    @property
    def will_restart(self) -> bool:
        """An interrupted job is sent again unless it has stopped its worker too often."""
        return self.attempts < self.MAX_ATTEMPTS

    # --- The jobs of a kind -----------------------------------------------------------------

    @classmethod
    def waiting_q(cls) -> Q:
        return Q(status__in=cls.UNFINISHED, heartbeat_at__isnull=True)

    @classmethod
    def interrupted_q(cls, now: datetime) -> Q:
        return Q(status__in=cls.UNFINISHED, heartbeat_at__lt=now - INTERRUPTED_AFTER)

    @classmethod
    def stuck(cls, now: datetime | None = None) -> QuerySet[Self]:
        """Jobs waiting for a worker for over STUCK_AFTER, and interrupted ones: the health
        check's "nothing lost" measure."""
        now = now or timezone.now()
        return cls._default_manager.filter(
            cls.waiting_q() & Q(queued_at__lt=now - STUCK_AFTER) | cls.interrupted_q(now)
        )

    @classmethod
    def due_to_send(cls, now: datetime) -> QuerySet[Self]:
        """What the sweep sends again: waiting jobs nobody took within RESEND_WAITING_AFTER
        of being queued and sent, and interrupted ones."""
        waited = now - RESEND_WAITING_AFTER
        return cls._default_manager.filter(
            cls.waiting_q()
            & Q(queued_at__lt=waited)
            & (Q(sent_at__isnull=True) | Q(sent_at__lt=waited))
            | cls.interrupted_q(now)
        )

    # --- A worker and its job ---------------------------------------------------------------

    def claim(self, *, now: datetime | None = None, **fields: Any) -> bool:
        """Take the job for the calling worker, setting `fields` too: one UPDATE that only
        matches while the job is unfinished and no live worker holds it (no heartbeat, or a
        stale one), and, in the same transaction, the history row of the change (as the
        system user). False when another worker has it or it has finished."""
        from core import history
        from core.system_user import system_user

        now = now or timezone.now()
        with transaction.atomic():
            # Q rather than keywords: the type checker cannot see each kind's own `status`.
            taken = (
                type(self)
                ._default_manager.filter(Q(pk=self.pk, status__in=self.UNFINISHED))
                .filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - INTERRUPTED_AFTER))
                .update(
                    heartbeat_at=now,
                    started_at=now,
                    attempts=F("attempts") + 1,
                    updated_at=now,
                    **fields,
                )
            )
            self.refresh_from_db()
            if taken:
                history.save(self, by=system_user(), update_fields=["updated_at"])
        return taken == 1

    def holds(self, current: BackgroundJob) -> bool:
        """Whether this worker's claim still stands on `current` (the job's row, locked):
        nobody else took it since and it has not finished."""
        return current.is_unfinished and current.attempts == self.attempts

    def touch(self, **fields: Any) -> None:
        """Write the heartbeat, and any of `fields` (progress) the history leaves out: one
        UPDATE, no history row, and only while this worker's claim stands. A failure is
        logged, never raised: the work goes on."""
        recorded = ({"heartbeat_at"} | set(fields)) & history_fields(type(self))
        if recorded:
            raise ValueError(f"{sorted(recorded)} are recorded in history: save them instead")
        try:
            type(self)._default_manager.filter(
                Q(pk=self.pk, attempts=self.attempts, status__in=self.UNFINISHED)
            ).update(heartbeat_at=timezone.now(), **fields)
        except DatabaseError as error:
            name = type(error).__name__
            logger.warning("jobs.heartbeat_failed", job=self._log_name(), error=name)

    def _log_name(self) -> str:
        return f"{self._meta.label}:{self.pk}"


def history_fields(model: type[models.Model]) -> set[str]:
    """The columns a model's history records (simple-history's `history` manager)."""
    manager = getattr(model, "history", None)
    if manager is None:
        return set()
    return {field.attname for field in manager.model._meta.concrete_fields}


class JobKind(Protocol):
    """What the base cannot know about a kind of job (e4e.E002 checks each kind has it)."""

    @classmethod
    def job_task(cls) -> Task:
        """The Celery task that does a job of this kind."""
        ...

    def wait_again(self, *, now: datetime, interrupted: bool) -> None:
        """Put the job back to waiting in the kind's own terms and save it (the sweep has
        cleared its heartbeat and set when it was sent)."""
        ...

    def give_up(self, *, now: datetime) -> None:
        """Fail the job for good, its worker having stopped on every try, with a reason the
        people who started it can act on, and save it."""
        ...


KIND_HOOKS = ("job_task", "wait_again", "give_up")


def job_models() -> list[type[BackgroundJob]]:
    return [model for model in apps.get_models() if issubclass(model, BackgroundJob)]


def job_models_without_hooks() -> list[tuple[type[BackgroundJob], list[str]]]:
    missing = [
        (model, [name for name in KIND_HOOKS if not callable(getattr(model, name, None))])
        for model in job_models()
    ]
    return [(model, names) for model, names in missing if names]


def stuck_job_count(now: datetime | None = None) -> int:
    return sum(kind.stuck(now).count() for kind in job_models())


@contextmanager
def heartbeat(job: BackgroundJob, *, every: timedelta = HEARTBEAT_EVERY) -> Iterator[None]:
    """While the block runs, a thread writes the job's heartbeat every `every`, so a long
    step with no progress to report (a PDF render, an import's one transaction) does not
    look like a dead worker. The thread has its own database connection, so its writes
    commit at once whatever transaction the work is in; it ends with the block, and with
    the process if the worker dies (which is how an interruption shows)."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every.total_seconds()):
                job.touch()
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat {job._log_name()}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


class Task(Protocol):
    """A Celery task that takes one job id."""

    def delay(self, job_id: int) -> Any: ...


def send(task: Task, job_id: int) -> bool:
    """Hand a job's task to the broker. If that fails the job stays as it is, waiting: the
    sweep sends it again later, so nothing is lost and no one sees an error (JB-2)."""
    try:
        task.delay(job_id)
    except Exception as error:
        logger.warning("jobs.not_sent", job_id=job_id, error=type(error).__name__)
        return False
    return True


def send_on_commit(task: Task, job_id: int) -> None:
    """Send the job's task once the transaction that wrote the job commits: the one way a
    job is enqueued, so a write that committed never turns into an error page."""
    transaction.on_commit(functools.partial(send, task, job_id))


def sweep(kind: type[BackgroundJob], *, now: datetime | None = None) -> list[int]:
    """The one sweep of a kind of job (JB-2, JB-5): lock the jobs due to be sent again with
    SKIP LOCKED (two sweeps never take the same job), put each back to waiting, or fail it
    for good if its worker stopped on every try, and send each put back once this commits.
    A job whose worker is merely slow keeps a fresh heartbeat, so it is never due."""
    now = now or timezone.now()
    hooks = cast(type[JobKind], kind)
    resent: list[int] = []
    with transaction.atomic():
        due = kind.due_to_send(now).select_for_update(skip_locked=True).order_by("pk")
        for job in due[:SWEEP_BATCH]:
            interrupted = job.state_at(now) == JobState.INTERRUPTED
            if interrupted and not job.will_restart:
                cast(JobKind, job).give_up(now=now)
                logger.error("jobs.gave_up", job=job._log_name(), attempts=job.attempts)
                continue
            job.heartbeat_at = None
            job.sent_at = now
            if interrupted:
                job.queued_at = now
            cast(JobKind, job).wait_again(now=now, interrupted=interrupted)
            resent.append(job.pk)
            send_on_commit(hooks.job_task(), job.pk)
    if resent:
        logger.info("jobs.resent", kind=kind._meta.label, job_ids=resent)
    return resent


def sweep_all(now: datetime | None = None) -> int:
    """Every kind's sweep (beat, every SWEEP_EVERY)."""
    return sum(len(sweep(kind, now=now)) for kind in job_models())
