"""The access log: every view of a person's record writes who saw it (ids only)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import structlog
from django.http import HttpRequest

from core.models import AccessLog, User

#: For a subject type, a function giving those of the ids the user sees on a basis other
#: than their own (e.g. {id: "cover"}). Registered by the app that knows it (caseload's
#: cover during leave), as core stands below every app.
BasisFor = Callable[[User, list[int]], dict[int, str]]
_BASES: dict[str, BasisFor] = {}


def register_basis(subject_type: str, basis_for: BasisFor) -> None:
    _BASES[subject_type] = basis_for


def log_access(
    request: HttpRequest, subject_type: str, subject_ids: Iterable[int], *, own: bool = False
) -> None:
    """Record that the signed-in user was shown these records (one row each), with the
    basis on which they were, where it is not their own (cover during leave). `own=True`:
    the caller knows they are the user's own (a worker's caseload), so none is looked up."""
    user = request.user
    if not isinstance(user, User):
        return
    ids = list(subject_ids)
    basis_for = None if own else _BASES.get(subject_type)
    bases = basis_for(user, ids) if basis_for and ids else {}
    match = request.resolver_match
    request_id = structlog.contextvars.get_contextvars().get("request_id", "")
    AccessLog.objects.bulk_create(
        AccessLog(
            user=user,
            subject_type=subject_type,
            subject_id=subject_id,
            view_name=match.view_name if match else "",
            request_id=str(request_id)[:64],
            basis=bases.get(subject_id, ""),
        )
        for subject_id in ids
    )
