"""Reads of cases that depend on who is asking. The only place that knows visibility."""

from __future__ import annotations

from datetime import date

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


#: A case with no client contact for this many days shows as going inactive.
INACTIVE_WARNING_DAYS = 21
#: Active means a client contact within the 28 days ending today (kpi-definitions.md).
ACTIVE_WITHIN_DAYS = 27


def get_case_for(user: User, pk: int, *, write: bool = False) -> Case:
    """The case if the user may see it, else 404 (never confirming that it exists).

    Everyone who may see a case may also change it today (its specialist and managers);
    `write` is kept so that read-only roles can be added without changing callers.
    """
    from django.shortcuts import get_object_or_404

    return get_object_or_404(cases_visible_to(user), pk=pk)


def caseload_for(worker: User) -> QuerySet[Case]:
    """The worker's open cases, newest first, each with `latest_client_contact`: the date
    of the latest client contact (mode other than admin), or None."""
    from django.db.models import Max, OuterRef, Subquery

    from caseload.models import Contact

    latest_contact = (
        Contact.objects.filter(case=OuterRef("pk"), party=Contact.Party.CLIENT)
        .exclude(mode=Contact.Mode.ADMIN)
        .values("case")
        .annotate(latest=Max("date"))
        .values("latest")
    )
    return (
        cases_visible_to(worker)
        .filter(worker=worker, closed_date__isnull=True)
        .annotate(latest_client_contact=Subquery(latest_contact))
        .order_by("-accepted_date", "-pk")
    )


def days_since_client_contact(case: Case, today: date) -> int | None:
    """Days since the person was last seen or spoken to; the initial assessment counts as a
    client contact on the start date. None while the case awaits its assessment."""
    seen = [d for d in (getattr(case, "latest_client_contact", None), case.start_date) if d]
    return (today - max(seen)).days if seen else None


def case_timeline(case: Case) -> list[dict[str, object]]:
    """Everything on the case, newest first, as timeline entries (date, title, detail)."""
    from caseload.models import Contact

    entries: list[dict[str, object]] = [
        {"date": case.accepted_date, "title": "Referral accepted", "detail": ""}
    ]
    if case.start_date:
        entries.append(
            {"date": case.start_date, "title": "Initial assessment", "detail": "Support began"}
        )
    for contact in Contact.objects.filter(case=case).select_related("worker"):
        entries.append(
            {
                "date": contact.date,
                "title": f"{contact.get_mode_display()} contact with "
                f"{contact.get_party_display().lower()}",
                "detail": f"{contact.duration_minutes} minutes, {contact.worker.full_name}",
            }
        )
    for outcome in case.outcomes.all():
        entries.append(
            {"date": outcome.start_date, "title": outcome.get_type_display(), "detail": ""}
        )
    if case.closed_date:
        entries.append(
            {
                "date": case.closed_date,
                "title": "Case closed",
                "detail": case.get_closure_reason_display(),
            }
        )
    return sorted(entries, key=lambda e: e["date"], reverse=True)  # type: ignore[arg-type,return-value]
