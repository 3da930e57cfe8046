"""The specialist's home page (their caseload and what is due) and the manager's (the team's
caseloads)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any, cast

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from caseload.case_access import cases_covered_by, holds_cover_grants
from caseload.models import Task
from caseload.selectors import (
    EMPLOYER_CONTACTS_WEEKLY_TARGET,
    INACTIVE_WARNING_DAYS,
    case_counts,
    caseload_for,
    days_since_client_contact,
    disclosures_to_follow_up,
    face_to_face_employer_contacts_this_week,
    reviews_and_goals_due,
    tasks_for,
    team_caseloads,
)
from core.audit import log_access
from core.home_panels import SPECIALIST_HOME, panels_for
from core.models import AMBER_CASES_PER_FTE, User
from core.selectors import workers_with_capacity


def next_steps(tasks: Iterable[Task]) -> list[Task]:
    """Of open tasks (in due order), each series' next step only: a job start makes in-work
    support and the 13/26/52-week checks at once, and listing each buries the rest. Each
    task returned has `later`: how many more of its series are open after it."""
    steps: dict[tuple[int, int | None, str], Task] = {}
    for task in tasks:
        series = (task.case_id, task.outcome_id, task.kind)
        if series in steps:
            steps[series].later += 1  # type: ignore[attr-defined]
        else:
            task.later = 0  # type: ignore[attr-defined]
            steps[series] = task
    return list(steps.values())


def _needs_contact_soonest(row: dict[str, Any]) -> tuple[bool, int]:
    """Awaiting the initial assessment first, then the longest since the person was seen."""
    days: int | None = row["days"]
    return (days is not None, -(days or 0))


def home_specialist(request: HttpRequest) -> HttpResponse:
    """The caseload first, whoever needs contact soonest at the top (awaiting assessment,
    then the longest since they were seen), each with the next thing to do and a link to log
    a contact; then the tasks due this week, grouped by person."""
    worker = cast(User, request.user)
    today = timezone.localdate()
    cases = list(caseload_for(worker, today))
    log_access(request, "case", [case.pk for case in cases], own=True)
    steps = next_steps(tasks_for(worker))
    first_step: dict[int, Task] = {}
    for task in steps:
        first_step.setdefault(task.case_id, task)
    rows = [
        {
            "case": case,
            "days": days_since_client_contact(case, today),
            "active": case.is_active,  # type: ignore[attr-defined]
            "inactive_after": INACTIVE_WARNING_DAYS,
            "next_task": first_step.get(case.pk),
        }
        for case in cases
    ]
    rows.sort(key=_needs_contact_soonest)
    due_soon = [task for task in steps if task.due_date <= today + timedelta(days=7)]
    by_person: dict[int, dict[str, Any]] = {}
    for task in due_soon:
        group = by_person.setdefault(task.case_id, {"case": task.case, "tasks": []})
        group["tasks"].append(task)
    disclosures = disclosures_to_follow_up(worker, today)
    covered = []
    if holds_cover_grants(worker):
        covered = list(cases_covered_by(worker).order_by("referral__last_name", "pk"))
        log_access(request, "case", [case.pk for case in covered])
    return render(
        request,
        "home/specialist.html",
        {
            "worker": worker,
            "disclosure_links": [
                (
                    reverse("caseload:disclosure-report", args=[d.pk]),
                    f"{d.case.referral.full_name}, disclosed "
                    f"{timezone.localtime(d.disclosed_at):%-d %b %Y}",
                )
                for d in disclosures
            ],
            "covering": covered,
            "counts": case_counts([worker], today).get(worker.pk),
            "rows": rows,
            "task_groups": list(by_person.values()),
            "today": today,
            "reviews": reviews_and_goals_due(worker, today + timedelta(days=7), caseload=cases),
            "employer_contacts": face_to_face_employer_contacts_this_week(worker, today),
            "employer_target": EMPLOYER_CONTACTS_WEEKLY_TARGET,
            # What other apps ask of the specialist (the quarterly updates to write).
            "panels": panels_for(SPECIALIST_HOME, worker),
        },
    )


#: Workers a page of the team view: a national programme has a thousand.
TEAM_PAGE_SIZE = 50


def home_manager(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = Paginator(workers_with_capacity(), TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
    workers = team_caseloads(today, page.object_list)
    disclosures = disclosures_to_follow_up(cast(User, request.user), today)
    log_access(request, "case", sorted({d.case_id for d in disclosures}))
    awaiting = sum(d.awaiting_report for d in disclosures)
    return render(
        request,
        "home/manager.html",
        {
            "workers": workers,
            "page_obj": page,
            "amber_per_fte": AMBER_CASES_PER_FTE,
            "disclosures": disclosures,
            "awaiting_reports": awaiting,
            "awaiting_reports_heading": (
                f"{awaiting} threat-to-life disclosure{pluralize(awaiting)} still without the "
                "written report to the police."
            ),
        },
    )
