"""The caseload's invariants, recomputed from the rows (see core/invariants.py)."""

from __future__ import annotations

from django.db.models import F, Q

from caseload.capacity import held_count
from caseload.case_access import grants_not_matching_workers
from caseload.models import Case
from core.models import Role, User


def caseload_problems() -> list[str]:
    """Workers holding more open cases than their capacity, floor(25 x FTE)."""
    workers = (
        User.objects.filter(role__in=Role.with_caseload(), fte__isnull=False)
        .annotate(held_cases=held_count())
        .order_by("pk")
    )
    return [
        f"Worker {worker.pk} holds {worker.held_cases} open cases, over a capacity of "
        f"{worker.capacity}."
        for worker in workers
        if worker.held_cases > worker.capacity
    ]


def holder_problems() -> list[str]:
    """Open cases held by someone who cannot hold cases: deactivated, or no longer a
    specialist or manager (with an FTE). Every open case needs an active worker."""
    orphaned = (
        Case.objects.held()
        .exclude(
            worker__is_active=True, worker__role__in=Role.with_caseload(), worker__fte__isnull=False
        )
        .order_by("worker_id", "pk")
        .values_list("pk", "worker_id")
    )
    return [
        f"Case {pk} is open with user {worker_id}, who cannot hold cases: reassign it."
        for pk, worker_id in orphaned
    ]


def case_problems() -> list[str]:
    """Cases whose dates contradict each other (the database's checks should stop these)."""
    broken = Case.objects.filter(
        Q(start_date__lt=F("accepted_date")) | Q(closed_date__lt=F("start_date"))
    ).order_by("pk")
    return [f"Case {pk} has dates out of order." for pk in broken.values_list("pk", flat=True)]


def problems() -> list[str]:
    return [
        *caseload_problems(),
        *holder_problems(),
        *case_problems(),
        *grants_not_matching_workers(),
    ]
