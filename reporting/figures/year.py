"""The financial year to date (statement of requirement 8.3) and each worker's year against
their targets (8.4)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery

from caseload.models import Case, Contact, Outcome
from caseload.models.cases import active_on, open_on
from core.models import User
from core.periods import FinancialYear, Period, financial_year_of
from referrals.models import Referral
from reporting.figures.common import ratio

#: A worker's targets for a year per 1.0 FTE, by their service year: (people, paid outcomes).
TARGETS_PER_FTE = {1: (35, 17), 2: (45, 22)}


def year(period: Period) -> dict[str, Any]:
    fy = financial_year_of(period.end)
    fytd = (fy.start, period.end)
    referrals = Referral.objects.filter(received_date__range=fytd).aggregate(
        received=Count("pk"),
        became_active=Count("pk", filter=Q(case__start_date__lte=period.end)),
    )
    paid = Outcome.objects.filter(type__in=Outcome.PAID, start_date__range=fytd).aggregate(
        starts=Count("pk"), people=Count("case", distinct=True)
    )
    return {
        "financial_year": fy.name,
        "referrals_fytd": referrals["received"],
        "referrals_fytd_became_active": referrals["became_active"],
        "carried_over_from_previous_year": Case.objects.filter(
            active_on(fy.start - timedelta(days=1))
        ).count(),
        "paid_starts_fytd": paid["starts"],
        "people_starting_paid_work_fytd": paid["people"],
        "per_worker": per_worker(period, fy),
    }


def per_worker(period: Period, fy: FinancialYear) -> list[dict[str, Any]]:
    """One row per worker with a case started in the year to date, a contact in it or an
    open case on its last day: grouped counts, not a query per worker."""
    fytd = (fy.start, period.end)
    started = Q(start_date__range=fytd)
    cases: dict[int, int] = dict(
        Case.objects.filter(started | open_on(period.end))
        .values_list("worker")
        .annotate(people_accessed=Count("pk", filter=started))
        .order_by()
    )
    paid = dict(
        Outcome.objects.filter(type__in=Outcome.PAID, start_date__range=fytd)
        .values_list("case__worker")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # Probed per worker on the contacts' (worker, date) index: a year of contacts at regional
    # scale is a million rows to read for a thousand workers otherwise.
    in_contact = Exists(Contact.objects.filter(worker=OuterRef("pk"), date__range=fytd))
    workers = list(
        User.objects.filter(Q(pk__in=list(cases)) | in_contact)
        .annotate(first_contact=_first_contact())
        .order_by("email")
    )
    first_cases = _first_case_starts()
    began = {worker.pk: worker_start_date(worker, first_cases.get(worker.pk)) for worker in workers}
    rows = []
    for worker in workers:
        start = began[worker.pk]
        service_year = 1 if start is not None and start >= fy.start else 2
        rows.append(
            {
                "worker": worker.email,
                "fte": float(worker.fte) if worker.fte is not None else None,
                "service_year": service_year,
                "people_accessed": cases.get(worker.pk, 0),
                "paid_outcomes": paid.get(worker.pk, 0),
                **targets(worker.fte, service_year, start, fy),
            }
        )
    return rows


def _first_contact() -> Subquery:
    """For users: the day of their first contact (one probe of the (worker, date) index)."""
    return Subquery(
        Contact.objects.filter(worker=OuterRef("pk")).order_by("date").values("date")[:1]
    )


def _first_case_starts() -> dict[int, date]:
    """Each worker's first case start: one grouped pass over the cases (a subquery per
    worker walks the start-date index instead)."""
    return dict(
        Case.objects.filter(start_date__isnull=False)
        .values_list("worker")
        .annotate(first=Min("start_date"))
        .order_by()
    )


def worker_start_date(worker: User, first_case: date | None) -> date | None:
    """When a worker (annotated with `first_contact`) began: as recorded, or else the
    earliest of their cases' starts and their contacts' dates (None for neither)."""
    if worker.start_date is not None:
        return worker.start_date
    first_contact: date | None = getattr(worker, "first_contact", None)
    known = [day for day in (first_case, first_contact) if day is not None]
    return min(known) if known else None


def targets(
    fte: Decimal | None, service_year: int, began: date | None, fy: FinancialYear
) -> dict[str, float | None]:
    """The year's targets, pro-rated by FTE and by the days of the year from when the
    worker started (both ends included)."""
    if fte is None:
        return {"people_target": None, "paid_outcomes_target": None}
    first_day = max(fy.start, began) if began is not None else fy.start
    days = max(0, (fy.end - first_day).days + 1)
    people, paid = TARGETS_PER_FTE[service_year]
    return {
        "people_target": ratio(people * fte * days, fy.days),
        "paid_outcomes_target": ratio(paid * fte * days, fy.days),
    }
