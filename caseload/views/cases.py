"""The case page, its history, and closing, reopening and reassigning a case."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseload.capacity import workers_with_places
from caseload.case_access import cover_in_force
from caseload.case_file import (
    TIMELINE_KINDS,
    case_changes,
    case_page_cases,
    case_page_records,
    case_timeline,
    distance_travelled,
)
from caseload.forms.cases import CloseCaseForm, ReassignForm
from caseload.records import RECORD_KINDS, record_entries
from caseload.selectors import appointments_of, get_case_for
from caseload.services import cases
from caseload.services.records import CLOSED_CASE_TAKES
from core.access import may
from core.audit import log_access
from core.confirm import confirm_with_reason
from core.models import User
from core.utils import add_service_errors

#: Timeline entries a page: a case may hold hundreds of contacts.
TIMELINE_PAGE_SIZE = 50


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, cases=case_page_cases())
    log_access(request, "case", [case.pk])
    records = case_page_records(case)
    timeline = case_timeline(case, records)
    contacts = [entry for entry in timeline if entry["kind"] == "contact"]
    kind = request.GET.get("kind", "")
    if kind not in dict(TIMELINE_KINDS):
        kind = ""
    shown = [entry for entry in timeline if entry["kind"] == kind] if kind else timeline
    return render(
        request,
        "caseload/case_detail.html",
        {
            "case": case,
            "referral": case.referral,
            "timeline": Paginator(shown, TIMELINE_PAGE_SIZE).get_page(request.GET.get("page")),
            "timeline_kinds": TIMELINE_KINDS,
            "timeline_kind": kind,
            "contact_count": len(contacts),
            "out_of_hours_count": sum(1 for entry in contacts if entry["out_of_hours"]),
            "language": case.referral.preferred_language,
            "risk": next(iter(records["risk-assessments"]), None),
            "tasks": records["open-tasks"],
            "may_reassign": may(user, "caseload:case-reassign"),
            "records": record_entries(records),
            "goals": records["goals"],
            "complaints": records["complaint"],
            "distance": distance_travelled(case, records["distance-travelled"]),
            "record_kinds": (
                {s: k for s, k in RECORD_KINDS.items() if k.model in CLOSED_CASE_TAKES}
                if case.closed_date
                else RECORD_KINDS
            ),
            "may_reopen": may(user, "caseload:case-reopen"),
            "today": timezone.localdate(),
            "cover": cover_in_force(user, case),
            **appointments_of(case),
        },
    )


@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    log_access(request, "case", [case.pk])
    form = CloseCaseForm(request.POST or None, initial={"closed_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            cases.case_close(
                case=case,
                closed_date=form.cleaned_data["closed_date"],
                reason=form.cleaned_data["reason"],
                by=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The case is closed. It can be reopened if needed.")
            return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/case_close.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Reopen a closed case, saying why, after a confirmation."""
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    if case.closed_date is None:
        messages.info(request, "The case is open.")  # a second tab, a repeated post
        return redirect("caseload:case-detail", pk=case.pk)
    log_access(request, "case", [case.pk])
    return confirm_with_reason(
        request,
        label="Why is the case being reopened?",
        required_message="Enter why the case is being reopened",
        hint="For example, they asked for help again after losing their job.",
        act=lambda reason: cases.case_reopen(case=case, reason=reason, by=user),
        done="The case is open again.",
        then=reverse("caseload:case-detail", args=[case.pk]),
        template="caseload/case_reopen.html",
        context={"case": case},
    )


@require_http_methods(["GET", "POST"])
def case_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    log_access(request, "case", [case.pk])
    workers = workers_with_places().exclude(pk=case.worker_id)
    form = ReassignForm(request.POST or None, workers=workers)
    if request.method == "POST" and form.is_valid():
        try:
            cases.case_reassign(case=case, worker=form.cleaned_data["worker"], by=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"The case is now with {form.cleaned_data['worker'].full_name}."
            )
            return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/case_reassign.html", {"case": case, "form": form})


def case_history(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk)
    log_access(request, "case", [case.pk])
    return render(
        request, "caseload/case_history.html", {"case": case, "changes": case_changes(case)}
    )
