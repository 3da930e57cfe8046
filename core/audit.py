"""The access log: every view of a person's record writes who saw it (ids only)."""

from __future__ import annotations

from collections.abc import Iterable

import structlog
from django.http import HttpRequest

from core.models import AccessLog, User


def log_access(request: HttpRequest, subject_type: str, subject_ids: Iterable[int]) -> None:
    """Record that the signed-in user was shown these records (one row each)."""
    user = request.user
    if not isinstance(user, User):
        return
    match = request.resolver_match
    request_id = structlog.contextvars.get_contextvars().get("request_id", "")
    AccessLog.objects.bulk_create(
        AccessLog(
            user=user,
            subject_type=subject_type,
            subject_id=subject_id,
            view_name=match.view_name if match else "",
            request_id=str(request_id)[:64],
        )
        for subject_id in subject_ids
    )
