"""The specialist's home page (their caseload and what is due) and the manager's (the team's
caseloads)."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from caseload.models import Case
from caseload.selectors import (
    EMPLOYER_CONTACTS_WEEKLY_TARGET,
    INACTIVE_WARNING_DAYS,
    caseload_for,
    days_since_client_contact,
    face_to_face_employer_contacts_this_week,
    reviews_and_goals_due,
    tasks_for,
    team_caseloads,
)
from core.audit import log_access
from core.home_panels import SPECIALIST_HOME, panels_for
from core.models import AMBER_CASES_PER_FTE, User
from core.selectors import workers_with_capacity


def home_specialist(request: HttpRequest) -> HttpResponse:
    worker = cast(User, request.user)
    today = timezone.localdate()
    cases = list(caseload_for(worker))
    log_access(request, "case", [case.pk for case in cases])
    active = set(Case.objects.active_on(today).filter(worker=worker).values_list("pk", flat=True))
    rows = [
        {
            "case": case,
            "days": days_since_client_contact(case, today),
            "active": case.pk in active,
            "inactive_after": INACTIVE_WARNING_DAYS,
        }
        for case in cases
    ]
    tasks = tasks_for(worker).filter(due_date__lte=today + timedelta(days=7))
    return render(
        request,
        "home/specialist.html",
        {
            "worker": worker,
            "counts": next(
                iter(team_caseloads(today, workers_with_capacity().filter(pk=worker.pk))), None
            ),
            "rows": rows,
            "tasks": tasks,
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
    page = Paginator(workers_with_capacity(), TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
    workers = team_caseloads(timezone.localdate(), page.object_list)
    return render(
        request,
        "home/manager.html",
        {"workers": workers, "page_obj": page, "amber_per_fte": AMBER_CASES_PER_FTE},
    )
