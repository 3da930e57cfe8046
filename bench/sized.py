"""The sizes the case-file issue names, made inside the bench's transaction (rolled back
when the bench ends, so the database measured is left as it was): a case with 300
contacts, and a specialist holding 25 open cases with 50 open tasks between them.

Made from what the database holds (its heaviest case, its busiest specialist and other
open cases moved to them), in bulk: the bench measures pages, not these writes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from caseload.case_access import grant_in_bulk
from caseload.models import Case, CaseUserObjectPermission, Contact, Task
from core.models import Role, User

CONTACTS = 300
CASES = 25
TASKS = 50


@dataclass
class Sized:
    case: Case
    specialist: User


def make_sized() -> Sized:
    today = timezone.localdate()
    case = Case.objects.annotate(n=Count("contacts")).order_by("-n", "pk").first()
    assert case is not None, "No cases: seed the database first (seed_scale or seed_demo)."
    missing = CONTACTS - case.contacts.count()
    start = case.start_date or case.accepted_date
    days = max(1, (today - start).days)
    Contact.objects.bulk_create(
        Contact(
            case=case,
            worker_id=case.worker_id,
            date=start + datetime.timedelta(days=n * days // max(1, missing)),
            mode=Contact.Mode.PHONE if n % 3 else Contact.Mode.FACE_TO_FACE,
            party=Contact.Party.CLIENT,
            duration_minutes=30,
            place=Contact.Place.OFFICE,
            note="A contact the bench adds, to reach 300 on one case." * (1 + n % 8),
        )
        for n in range(max(0, missing))
    )
    specialist = (
        User.objects.filter(role=Role.SPECIALIST, is_active=True)
        .annotate(held=Count("cases", filter=Q(cases__closed_date__isnull=True)))
        .order_by("-held", "pk")
        .first()
    )
    assert specialist is not None
    held = list(Case.objects.filter(worker=specialist, closed_date__isnull=True)[:CASES])
    if len(held) < CASES:
        more = list(
            Case.objects.filter(closed_date__isnull=True, start_date__isnull=False)
            .exclude(worker=specialist)
            .order_by("pk")[: CASES - len(held)]
        )
        Case.objects.filter(pk__in=[c.pk for c in more]).update(worker=specialist)
        CaseUserObjectPermission.objects.filter(content_object__in=more).delete()
        for moved in more:
            moved.worker_id = specialist.pk
        grant_in_bulk(more)
        held += more
    open_tasks = Task.objects.filter(case__in=held, done_date__isnull=True).count()
    Task.objects.bulk_create(
        Task(
            case=held[n % len(held)],
            kind=Task.Kind.IN_WORK_SUPPORT if n % 2 else Task.Kind.SUSTAINMENT_CHECK,
            title=f"Bench task {n + 1}",
            due_date=today + datetime.timedelta(days=n % 21 - 7),
        )
        for n in range(max(0, TASKS - open_tasks))
    )
    return Sized(case=case, specialist=specialist)
