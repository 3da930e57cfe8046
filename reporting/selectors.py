"""Reads for the returns: who may see which return, quarters, jobs, and the dashboard."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Greatest
from django.shortcuts import get_object_or_404

from core.models import Role, User
from core.periods import (
    complete_quarters,
    quarter_of,
)
from reporting.models import CaseUpdate, QuarterlyReturn, ReturnJob

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


def opcc_case_updates(quarterly_return: QuarterlyReturn) -> list[dict[str, str]]:
    """What the OPCC's PDF says of each case active in the quarter, in the order of the
    return's (sorted) pseudonyms: the reviewed text of its update, else nothing. Neither
    the case nor anyone's name: the pseudonym and the three parts only. One query."""
    reviewed: dict[str, dict[str, str]] = {}
    if quarterly_return.pk is not None:
        rows = quarterly_return.updates.filter(status=CaseUpdate.Status.REVIEWED)
        reviewed = {row["pseudonym"]: row for row in rows.values("pseudonym", *CaseUpdate.PARTS)}
    return [
        reviewed.get(pseudonym) or {"pseudonym": pseudonym}
        for pseudonym in quarterly_return.active_cases
    ]


# --- The updates on the active cases -----------------------------------------------------


def case_updates_visible_to(user: User) -> QuerySet[CaseUpdate]:
    """Managers see every update; specialists the updates, on draft returns only, of the
    cases they may open (caseload.selectors.cases_visible_to); no one else any. The OPCC
    reads the reviewed updates in the signed-off PDF and nowhere else."""
    from caseload.selectors import cases_visible_to

    updates = CaseUpdate.objects.select_related(
        "quarterly_return", "case__referral", "case__worker"
    )
    if user.role == Role.MANAGER:
        return updates
    if user.role == Role.SPECIALIST:
        return updates.filter(
            quarterly_return__status=QuarterlyReturn.Status.DRAFT,
            case__in=cases_visible_to(user),
        )
    return updates.none()


def get_case_update_for(user: User, pk: int, *, write: bool = False) -> CaseUpdate:
    """The update if the user may see it, else 404. With `write`, 403 when they may see it
    but not change it: a specialist, once a manager has reviewed it. (A manager may change
    any update of a draft return; a signed-off return's are refused, as its narrative is,
    with services.FROZEN_MESSAGE.)"""
    update = get_object_or_404(case_updates_visible_to(user), pk=pk)
    frozen = update.quarterly_return.is_signed_off  # refused with FROZEN_MESSAGE instead
    if write and not frozen and not may_change_case_update(user, update):
        raise PermissionDenied("A manager has reviewed this update.")
    return update


def may_change_case_update(user: User, update: CaseUpdate) -> bool:
    """For the page's buttons, once the user may see the update: whether they may change it."""
    if update.quarterly_return.is_signed_off:
        return False
    return user.role == Role.MANAGER or (user.role == Role.SPECIALIST and not update.is_reviewed)


def case_updates_to_write(user: User) -> int | None:
    """For the specialist's home page: how many of their updates on draft returns are not
    yet submitted, or None when they have none on a draft return (no panel to show). Most
    of the year no return is a draft: then one small query, without the cases' rule."""
    if not QuarterlyReturn.objects.filter(status=QuarterlyReturn.Status.DRAFT).exists():
        return None
    counts = case_updates_for_worker(user).aggregate(
        updates=Count("pk"), to_write=Count("pk", filter=Q(status=CaseUpdate.Status.DRAFT))
    )
    return counts["to_write"] if counts["updates"] else None


def case_updates_for_worker(user: User) -> QuerySet[CaseUpdate]:
    """The updates the user may see on draft returns, newest quarter first, then by person."""
    return (
        case_updates_visible_to(user)
        .filter(quarterly_return__status=QuarterlyReturn.Status.DRAFT)
        .order_by(
            "-quarterly_return__period_start",
            "case__referral__last_name",
            "case__referral__first_name",
            "pk",
        )
    )


def case_updates_of_return(quarterly_return: QuarterlyReturn) -> list[CaseUpdate]:
    """For the manager's table: the return's updates, in the order of its pseudonyms, each
    with its case's worker. One query."""
    rows = {
        update.pseudonym: update
        for update in quarterly_return.updates.select_related("case__worker", "reviewed_by")
    }
    return [rows[pseudonym] for pseudonym in quarterly_return.active_cases if pseudonym in rows]


def previous_case_update(update: CaseUpdate) -> CaseUpdate | None:
    """The same case's update in the latest signed-off return of an earlier quarter (its
    latest version), as reviewed: what the specialist wrote last time."""
    if update.case_id is None:
        return None
    return (
        CaseUpdate.objects.filter(
            case_id=update.case_id,
            status=CaseUpdate.Status.REVIEWED,
            quarterly_return__status=QuarterlyReturn.Status.SIGNED_OFF,
            quarterly_return__period_end__lt=update.quarterly_return.period_start,
        )
        .select_related("quarterly_return")
        .order_by("-quarterly_return__period_end", "-quarterly_return__version")
        .first()
    )
