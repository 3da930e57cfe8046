"""The Celery app. Tasks run eagerly when no broker is configured (the embedded default)."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "e4e.settings")

app = Celery("e4e")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A static schedule (django-celery-beat does not support Django 6.1). Times are Europe/London.
app.conf.beat_schedule = {
    "expire-stale-sessions": {
        "task": "core.tasks.clear_expired_sessions",
        "schedule": crontab(minute=15, hour="*"),
    },
    # Each worker's due and overdue work, by email, early every morning (support does not
    # stop at weekends).
    "send-task-digests": {
        "task": "caseload.tasks.send_task_digests",
        "schedule": crontab(minute=0, hour=7),
    },
    # Appointment reminders to the people supported: each one due is sent (at most once),
    # and Notify is asked about the ones it has not reported on (caseload.services.reminders).
    "send-due-reminders": {
        "task": "caseload.tasks.send_due_reminders",
        "schedule": 60.0,
    },
    # A community appointment within the hour with no risk assessment in force: its worker
    # is told (caseload.services.appointments.flag_without_risk_assessment).
    "flag-appointments-without-risk-assessment": {
        "task": "caseload.tasks.flag_appointments_without_risk_assessment",
        "schedule": crontab(minute="*/5"),
    },
    # Cover during leave: remove the grants of covers that ended (they already open nothing).
    "withdraw-past-covers": {
        "task": "caseload.tasks.withdraw_past_covers",
        "schedule": crontab(minute=5, hour=0),
    },
    # DP-2: anonymise closed cases and old rejected referrals as the schedule says.
    "apply-retention-schedule": {
        "task": "privacy.tasks.apply_retention_schedule",
        "schedule": crontab(minute=30, hour=2),
    },
    # DP-2: files uploaded for legacy imports go a month after their run finished.
    "remove-expired-uploads": {
        "task": "legacy_import.tasks.remove_expired_uploads",
        "schedule": crontab(minute=40, hour=2),
    },
    # CI-5: the caseload cap and the fund balances recomputed from their rows.
    "check-invariants": {
        "task": "core.tasks.check_invariants",
        "schedule": crontab(minute=45, hour=2),
    },
    # The stored figures of the return that no one can read any more (reporting.figures.stored).
    "forget-stale-figures": {
        "task": "reporting.tasks.forget_stale_figures",
        "schedule": crontab(minute=50, hour=2),
    },
    # JB-2, JB-5: re-send every kind of background job that was never picked up, or whose
    # worker died (its heartbeat stopped): often enough that an interrupted job is sent
    # again within two minutes (core.jobs).
    "sweep-background-jobs": {
        "task": "core.tasks.sweep_background_jobs",
        "schedule": 30.0,  # seconds: core.jobs.SWEEP_EVERY (not importable before setup)
    },
}
