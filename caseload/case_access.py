"""The one per-case visibility rule: a specialist opens a case when they hold its
`caseload.view_case` object permission (django-guardian); managers open every case by role;
no one else opens any.

The grant follows the case's worker: every path that gives a worker a case (accepting a
referral, opening a legacy case, correcting or reassigning its worker) calls
`follow_worker` in the same transaction, so the new worker can open it and the previous one
no longer can, at once. `check_invariants` checks that the grants and the workers agree.

Cover during leave (`caseload.services.cover`) gives a colleague grants of their own, each
tied to the `Cover`: they open the case only while the cover is in force
(`grant_in_force`), so access ends by itself on the cover's last day, with no job to run.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from caseload.models import Case, CaseUserObjectPermission, Cover
from caseload.models.access import VIEW_CASE_CODENAME, grant_in_force
from core.models import Role, User


def _view_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="caseload", codename=VIEW_CASE_CODENAME)


def cases_opened_by(user: User, cases: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases (of `cases`, default all) the user may open."""
    cases = Case.objects.all() if cases is None else cases
    if user.role == Role.MANAGER:
        return cases
    if user.role == Role.SPECIALIST and user.is_active:
        # Their guardian object permissions (CaseUserObjectPermission rows), read directly:
        # guardian's get_objects_for_user builds the same in three nested queries, whose
        # building is most of a specialist's page time when a page asks it several times.
        grants = CaseUserObjectPermission.objects.filter(
            grant_in_force(timezone.localdate()),
            content_object=OuterRef("pk"),
            user=user,
            permission__codename=VIEW_CASE_CODENAME,
            permission__content_type__app_label=Case._meta.app_label,
        )
        return cases.filter(Exists(grants))
    return cases.none()


def covers_of(case: Case) -> QuerySet[Cover]:
    """The covers not ended or past that reach this case: its worker's covers of all their
    cases, and those that chose it."""
    return Cover.objects.filter(
        Q(all_cases=True) | Q(cases=case),
        absent_id=case.worker_id,
        ended_at__isnull=True,
        ends__gte=timezone.localdate(),
    ).distinct()


def follow_worker(case: Case) -> None:
    """Make the case's grants match its worker: granted to them and to whoever covers for
    them (`covers_of`), withdrawn from anyone else. Call it inside the transaction that
    sets the worker."""
    permission = _view_permission()
    covers = {cover.covering_id: cover for cover in covers_of(case)}
    CaseUserObjectPermission.objects.filter(content_object=case, permission=permission).exclude(
        Q(user_id=case.worker_id) | Q(user_id__in=covers, cover__in=covers.values())
    ).delete()
    CaseUserObjectPermission.objects.update_or_create(
        content_object=case,
        permission=permission,
        user_id=case.worker_id,
        defaults={"cover": None},
    )
    for covering_id, cover in covers.items():
        CaseUserObjectPermission.objects.get_or_create(
            content_object=case,
            permission=permission,
            user_id=covering_id,
            defaults={"cover": cover},
        )


def grant_cover(cover: Cover, cases: Iterable[Case]) -> None:
    """Give the covering worker a grant on each case, tied to the cover."""
    permission = _view_permission()
    CaseUserObjectPermission.objects.bulk_create(
        CaseUserObjectPermission(
            content_object_id=case.pk, user_id=cover.covering_id, permission=permission, cover=cover
        )
        for case in cases
    )


def withdraw_cover(cover: Cover) -> None:
    """Remove the cover's grants (ended early, or past and tidied)."""
    CaseUserObjectPermission.objects.filter(cover=cover).delete()


def holds_cover_grants(user: User) -> bool:
    """Whether the user holds any grant of a cover (in force or not): a cheap first look
    before `cases_covered_by`, for the pages most users, covering no one, open often."""
    return CaseUserObjectPermission.objects.filter(user=user, cover__isnull=False).exists()


def cases_covered_by(user: User) -> QuerySet[Case]:
    """The open cases the user opens today through a cover in force, each with the cover's
    last day (`cover_ends`); `worker` is whom they cover for."""
    today = timezone.localdate()
    grants = CaseUserObjectPermission.objects.filter(
        grant_in_force(today), content_object=OuterRef("pk"), user=user, cover__isnull=False
    )
    return (
        Case.objects.filter(Exists(grants), closed_date__isnull=True)
        .exclude(worker=user)
        .select_related("referral", "worker")
        .annotate(cover_ends=Subquery(grants.values("cover__ends")[:1]))
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
    who is neither the case's worker nor covering for them."""
    problems = []
    worker_grant = CaseUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"),
        user_id=OuterRef("worker_id"),
        permission__codename=VIEW_CASE_CODENAME,
    )
    ungranted = Case.objects.filter(~Exists(worker_grant)).order_by("pk")
    for case_id in ungranted.values_list("pk", flat=True)[:20]:
        problems.append(f"Case {case_id}: its worker has no grant to open it.")
    stray = (
        CaseUserObjectPermission.objects.exclude(user_id=F("content_object__worker_id"))
        .exclude(cover__absent_id=F("content_object__worker_id"))
        .order_by("pk")
    )
    for grant in stray.values_list("content_object_id", "user_id")[:20]:
        problems.append(f"Case {grant[0]}: user {grant[1]} may open it but is not its worker.")
    return problems


def cover_basis(user: User, case_ids: list[int]) -> dict[int, str]:
    """For the access log: of these cases, those the user opens through a cover in force."""
    if user.role != Role.SPECIALIST:
        return {}
    covered = CaseUserObjectPermission.objects.filter(
        grant_in_force(timezone.localdate()),
        user=user,
        cover__isnull=False,
        content_object_id__in=case_ids,
    ).values_list("content_object_id", flat=True)
    return dict.fromkeys(covered, "cover")


def cover_in_force(user: User, case: Case) -> Cover | None:
    """The cover through which the user opens this case today, if that is how they do."""
    if user.pk == case.worker_id:
        return None
    grant = (
        CaseUserObjectPermission.objects.filter(
            grant_in_force(timezone.localdate()), user=user, content_object=case
        )
        .exclude(cover=None)
        .select_related("cover__absent")
        .first()
    )
    return grant.cover if grant else None
