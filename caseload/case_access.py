"""The one per-case visibility rule: a specialist opens a case when they hold its
`caseload.view_case` object permission (django-guardian); managers open every case by role;
no one else opens any.

The grant follows the case's worker: every path that gives a worker a case (accepting a
referral, opening a legacy case, correcting or reassigning its worker) calls
`follow_worker` in the same transaction, so the new worker can open it and the previous one
no longer can, at once. `check_invariants` checks that the grants and the workers agree.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.db.models import Exists, F, OuterRef, QuerySet
from guardian.shortcuts import get_objects_for_user

from caseload.models import Case, CaseUserObjectPermission
from caseload.models.access import VIEW_CASE, VIEW_CASE_CODENAME
from core.models import Role, User


def _view_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="caseload", codename=VIEW_CASE_CODENAME)


def cases_opened_by(user: User, cases: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases (of `cases`, default all) the user may open."""
    cases = Case.objects.all() if cases is None else cases
    if user.role == Role.MANAGER:
        return cases
    if user.role == Role.SPECIALIST and user.is_active:
        return get_objects_for_user(
            user, VIEW_CASE, klass=cases, use_groups=False, with_superuser=False
        )
    return cases.none()


def follow_worker(case: Case) -> None:
    """Make the case's grants match its worker: granted to them, withdrawn from anyone else.
    Call it inside the transaction that sets the worker."""
    permission = _view_permission()
    CaseUserObjectPermission.objects.filter(content_object=case, permission=permission).exclude(
        user_id=case.worker_id
    ).delete()
    CaseUserObjectPermission.objects.get_or_create(
        content_object=case, permission=permission, user_id=case.worker_id
    )


def grant_in_bulk(cases: Iterable[Case], batch_size: int = 5000) -> None:
    """For writers in bulk (the synthetic history): each case granted to its worker, as
    `follow_worker` does one by one. The cases must have no grants yet."""
    permission = _view_permission()
    CaseUserObjectPermission.objects.bulk_create(
        (
            CaseUserObjectPermission(
                content_object_id=case.pk, user_id=case.worker_id, permission=permission
            )
            for case in cases
        ),
        batch_size=batch_size,
    )


def grants_not_matching_workers() -> list[str]:
    """For check_invariants: cases whose worker holds no grant, and grants held by someone
    who is not the case's worker."""
    problems = []
    worker_grant = CaseUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"),
        user_id=OuterRef("worker_id"),
        permission__codename=VIEW_CASE_CODENAME,
    )
    ungranted = Case.objects.filter(~Exists(worker_grant)).order_by("pk")
    for case_id in ungranted.values_list("pk", flat=True)[:20]:
        problems.append(f"Case {case_id}: its worker has no grant to open it.")
    stray = CaseUserObjectPermission.objects.exclude(
        user_id=F("content_object__worker_id")
    ).order_by("pk")
    for grant in stray.values_list("content_object_id", "user_id")[:20]:
        problems.append(f"Case {grant[0]}: user {grant[1]} may open it but is not its worker.")
    return problems
