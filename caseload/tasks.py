"""Background work for casework: the daily digest of due tasks."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    time_limit=600, soft_time_limit=540, autoretry_for=(OSError,), max_retries=3, retry_backoff=True
)
def send_task_digests() -> int:
    """Email each worker with tasks due today or overdue a count and a link; no names or
    case details leave the service by email. Returns the number of emails sent."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.db.models import Count, Q
    from django.template.loader import render_to_string
    from django.utils import timezone

    from e4e.selectors import workers_with_capacity

    today = timezone.localdate()
    workers = (
        workers_with_capacity()
        .annotate(
            due_today=Count(
                "cases__tasks",
                filter=Q(cases__tasks__done_date__isnull=True, cases__tasks__due_date=today),
            ),
            overdue=Count(
                "cases__tasks",
                filter=Q(cases__tasks__done_date__isnull=True, cases__tasks__due_date__lt=today),
            ),
        )
        .filter(Q(due_today__gt=0) | Q(overdue__gt=0))
    )
    sent = 0
    for worker in workers:
        body = render_to_string(
            "emails/task_digest.txt",
            {"worker": worker, "site_url": settings.SITE_URL, "today": today},
        )
        send_mail("Your E4E Case tasks for today", body, None, [worker.email])
        sent += 1
    return sent
