"""Background work for casework: the daily digest of due tasks; tidying past covers;
appointment reminders to the people supported and the hour-before risk check."""

from __future__ import annotations

import structlog
from celery import shared_task

logger = structlog.get_logger("e4e.reminders")


@shared_task(
    time_limit=600, soft_time_limit=540, autoretry_for=(OSError,), max_retries=3, retry_backoff=True
)
def send_task_digests() -> int:
    """Email each worker with something due or overdue (tasks, client contacts, risk
    reviews, action-plan dates) the counts and a link; no names or case details leave the
    service by email. Returns the number of emails sent."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.db.models import Count, Q
    from django.template.loader import render_to_string
    from django.utils import timezone

    from caseload.selectors import (
        appointments_kept_and_missed,
        reviews_and_goals_due,
        todays_appointments,
    )
    from core.selectors import workers_with_capacity

    today = timezone.localdate()
    annotated = workers_with_capacity().annotate(
        due_today=Count(
            "cases__tasks",
            filter=Q(cases__tasks__done_date__isnull=True, cases__tasks__due_date=today),
        ),
        overdue=Count(
            "cases__tasks",
            filter=Q(cases__tasks__done_date__isnull=True, cases__tasks__due_date__lt=today),
        ),
    )
    workers = list(annotated)
    kept_and_missed = appointments_kept_and_missed(workers, today)
    sent = 0
    for worker in workers:
        # What falls due on the cases without being a stored task: counted, never named.
        due = reviews_and_goals_due(worker, until=today)
        counts = {
            "contacts": sum(item["title"] == "Client contact due" for item in due),
            "risk_reviews": sum(item["title"] == "Risk assessment review" for item in due),
            "goals": sum(item["title"].startswith("Action plan") for item in due),
        }
        appointments = todays_appointments(worker, today)
        if not (worker.due_today or worker.overdue or any(counts.values()) or appointments):
            continue
        body = render_to_string(
            "emails/task_digest.txt",
            {
                "worker": worker,
                "site_url": settings.SITE_URL,
                "today": today,
                "appointments": appointments,
                "kept": kept_and_missed["appointments_kept"].get(worker.pk, 0),
                "missed": kept_and_missed["appointments_missed"].get(worker.pk, 0),
                **counts,
            },
        )
        send_mail("Your E4E Case tasks for today", body, None, [worker.email])
        sent += 1
    return sent


@shared_task(time_limit=300, soft_time_limit=270)
def withdraw_past_covers() -> int:
    """Remove the grants of covers that have ended. They open nothing already (a cover's
    grant is read with its dates); this keeps the grants to those in use."""
    from django.utils import timezone

    from caseload.services.cover import withdraw_past_covers as withdraw

    return withdraw(timezone.localdate())


@shared_task(time_limit=120, soft_time_limit=100)
def send_reminder(reminder_id: int) -> str:
    """Send one appointment reminder (at most once: caseload.services.reminders)."""
    from caseload.services.reminders import reminder_send

    return reminder_send(reminder_id)


@shared_task(time_limit=300, soft_time_limit=270)
def send_due_reminders() -> int:
    """Every minute: hand each reminder whose time has come to a worker, fail those whose
    worker stopped mid-send, and ask Notify about sent ones it has not reported on."""
    from django.utils import timezone

    from caseload.services import reminders
    from core import notify
    from core.jobs import send

    now = timezone.now()
    reminders.fail_lost_sends(now)
    due = reminders.due(now)
    for pk in due:
        send(send_reminder, pk)
    for reminder in reminders.awaiting_receipt(now):
        try:
            status = notify.status(reminder.notify_id)
        except Exception as error:  # Notify is down: its receipts come later
            logger.warning("reminders.status_unknown", error=type(error).__name__)
            break
        reminders.delivery_record(reminder.notify_id, status)
    return len(due)


@shared_task(time_limit=120, soft_time_limit=100)
def flag_appointments_without_risk_assessment() -> int:
    """Every 5 minutes: a community appointment within the hour with no risk assessment in
    force is flagged to its worker (once)."""
    from caseload.services.appointments import flag_without_risk_assessment

    return flag_without_risk_assessment()
