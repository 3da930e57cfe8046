"""Reads of cases that depend on who is asking. The only place that knows visibility."""

from __future__ import annotations

from django.db.models import QuerySet

from caseload.models import Case
from e4e.models import Role, User


def open_case_count(worker: User) -> int:
    """Cases that count against the worker's capacity: accepted and not closed."""
    return Case.objects.filter(worker=worker, closed_date__isnull=True).count()


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Specialists see their own cases; managers see every case; no one else sees any."""
    cases = Case.objects.select_related("referral", "worker")
    if user.role == Role.MANAGER:
        return cases
    if user.role == Role.SPECIALIST:
        return cases.filter(worker=user)
    return cases.none()
