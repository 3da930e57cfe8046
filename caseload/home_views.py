"""The specialist's home page (their caseload and what is due) and the manager's (the team's
caseloads)."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

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
from core.models import AMBER_CASES_PER_FTE, User


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
            "counts": team_caseloads(today).filter(pk=worker.pk).first(),
            "rows": rows,
            "tasks": tasks,
            "today": today,
            "reviews": reviews_and_goals_due(worker, today + timedelta(days=7), caseload=cases),
            "employer_contacts": face_to_face_employer_contacts_this_week(worker, today),
            "employer_target": EMPLOYER_CONTACTS_WEEKLY_TARGET,
        },
    )


def home_manager(request: HttpRequest) -> HttpResponse:
    workers = team_caseloads(timezone.localdate())
    return render(
        request,
        "home/manager.html",
        {"workers": workers, "amber_per_fte": AMBER_CASES_PER_FTE},
    )
