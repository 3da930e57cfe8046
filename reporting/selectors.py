"""Reads for the returns: who may see which return, quarters, jobs, and the dashboard."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Greatest
from django.shortcuts import get_object_or_404

from core.models import Role, User
from core.periods import (
    complete_quarters,
    quarter_of,
)
from reporting.models import QuarterlyReturn, ReturnJob

# --- Returns and who may see them --------------------------------------------------------


def returns_visible_to(user: User) -> QuerySet[QuarterlyReturn]:
    """Managers see every return; OPCC staff only signed-off ones; no one else any."""
    returns = QuarterlyReturn.objects.select_related("signed_off_by", "started_by")
    if user.role == Role.MANAGER:
        return returns
    if user.role == Role.OPCC:
        return returns.filter(status=QuarterlyReturn.Status.SIGNED_OFF)
    return returns.none()


def get_return_for(user: User, pk: int) -> QuarterlyReturn:
    """The return if the user may see it, else 404 (never confirming that it exists)."""
    return get_object_or_404(returns_visible_to(user), pk=pk)


def latest_version_numbers() -> dict[tuple[date, date], int]:
    """(start, end) -> the highest version of that period's return."""
    latest: dict[tuple[date, date], int] = {}
    for start, end, version in QuarterlyReturn.objects.values_list(
        "period_start", "period_end", "version"
    ):
        latest[(start, end)] = max(version, latest.get((start, end), 0))
    return latest


def latest_jobs(quarterly_return: QuarterlyReturn) -> dict[str, ReturnJob]:
    """The newest job of each kind for the return."""
    jobs: dict[str, ReturnJob] = {}
    for job in quarterly_return.jobs.order_by("-created_at", "-pk"):
        jobs.setdefault(job.kind, job)
    return jobs


def finished_file_job(quarterly_return: QuarterlyReturn, kind: str) -> ReturnJob | None:
    """The newest finished build of the return's PDF or CSV, if there is one with a file."""
    return (
        quarterly_return.jobs.filter(kind=kind, status=ReturnJob.Status.DONE)
        .exclude(file="")
        .order_by("-finished_at", "-pk")
        .first()
    )


def returns_missing_files() -> list[QuarterlyReturn]:
    """Signed-off returns whose PDF or CSV has no finished build whose file is on disk (a
    database restored without its files, say). Returns are few: one a quarter or so."""
    missing = []
    signed_off = QuarterlyReturn.objects.filter(status=QuarterlyReturn.Status.SIGNED_OFF)
    for quarterly_return in signed_off.order_by("period_start", "version"):
        for kind in (ReturnJob.Kind.PDF, ReturnJob.Kind.CSV):
            job = finished_file_job(quarterly_return, kind)
            if job is None or not job.file.storage.exists(job.file.name or ""):
                missing.append(quarterly_return)
                break
    return missing


# --- Cases active in a quarter (for the per-case updates) --------------------------------


def cases_active_in(start: date, end: date) -> QuerySet[Any]:
    """Cases active on at least one day of [start, end] (kpi-definitions.md, "Active").

    A case is active on day d when it is open on d and was seen (a client contact, or its
    start) within the 27 days before d. So it is active on some day of the period exactly
    when it was seen on a day s in [start - 27, end] and was still open on max(s, start).
    """
    from caseload.models import Case, Contact
    from caseload.models.cases import ACTIVE_WITHIN_DAYS

    window_start = start - timedelta(days=ACTIVE_WITHIN_DAYS)
    seen_in_window = (
        Contact.objects.filter(
            case=OuterRef("pk"),
            party=Contact.Party.CLIENT,
            date__gte=window_start,
            date__lte=end,
        )
        .exclude(mode=Contact.Mode.ADMIN)
        .annotate(first_active=Greatest(F("date"), start))
        .filter(
            Q(case__closed_date__isnull=True) | Q(case__closed_date__gt=F("first_active")),
            case__start_date__lte=F("first_active"),
        )
    )
    started_in_window = Q(start_date__gte=window_start, start_date__lte=end) & (
        Q(closed_date__isnull=True) | Q(closed_date__gt=Greatest(F("start_date"), start))
    )
    return Case.objects.filter(start_date__isnull=False).filter(
        started_in_window | Q(Exists(seen_in_window))
    )


# --- The manager dashboard ---------------------------------------------------------------

TREND_QUARTERS = 8


def dashboard(today: date) -> dict[str, Any]:
    """The current quarter to date, exact, and the trend of the figures the figure table
    marks for it (reporting.figure_table.TREND) over the last eight complete quarters.

    Every period is read through reporting.figures.stored: computed the first time after a
    record dated in or before it changed, else read back (nine reads in all). A quarter
    long closed is computed again only when a record in it is corrected.
    """
    from reporting.figures.stored import figures_for, trend_for

    current = quarter_of(today)
    to_date = figures_for(current.start, today)
    trend = [
        {"quarter": quarter, "values": trend_for(quarter.start, quarter.end)}
        for quarter in reversed(complete_quarters(today, TREND_QUARTERS))
    ]
    return {"quarter": current, "to_date": today, "figures": to_date, "trend": trend}


# --- What the OPCC sees ------------------------------------------------------------------


def opcc_figures(quarterly_return: QuarterlyReturn) -> dict[str, Any]:
    """The OPCC's copy of a return's figures: the small-number rule applied and workers
    numbered instead of named. Everything the OPCC receives is built from this."""
    from reporting.figures.suppression import opcc_document

    return opcc_document(quarterly_return.figures or {})


def cases_by_pseudonym(quarterly_return: QuarterlyReturn) -> dict[str, Any]:
    """For the manager writing the updates: each active case's OPCC pseudonym -> its case
    (with the worker), so the page can say whose case it is and link to it. Never for the
    OPCC. One query, on the stored pseudonyms of the return's active cases only."""
    from caseload.pseudonyms import cases_by_opcc_pseudonym

    return cases_by_opcc_pseudonym(quarterly_return.active_cases)
