"""Background work for referrals. Each task takes an id and is safe to run twice."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=6,
    soft_time_limit=60,
    time_limit=90,
)
def send_outcome_email(referral_id: int) -> bool:
    """Email the referrer the outcome of their referral (at most once)."""
    from referrals.services import referral_outcome_email_send

    return referral_outcome_email_send(referral_id=referral_id)
