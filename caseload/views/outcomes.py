"""Recording an outcome's start and its end."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from caseload.forms.outcomes import OutcomeEndForm, OutcomeForm
from caseload.models import Outcome
from caseload.selectors import cases_visible_to, get_case_for
from caseload.services import outcomes
from core import once
from core.audit import log_access
from core.models import User
from core.utils import add_service_errors


@require_http_methods(["GET", "POST"])
@once.create_view
def outcome_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    log_access(request, "case", [case.pk])
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            outcome = outcomes.outcome_start(case=case, by=user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            follow_up = outcome.tasks.count()
            messages.success(
                request,
                f"{outcome.get_type_display()} recorded."
                + (f" {follow_up} follow-up tasks added to your list." if follow_up else ""),
            )
            return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/outcome_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def outcome_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    outcome = get_object_or_404(
        Outcome.objects.select_related("case__referral"), pk=pk, case__in=cases_visible_to(user)
    )
    log_access(request, "case", [outcome.case_id])
    form = OutcomeEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcomes.outcome_end(outcome=outcome, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{outcome.get_type_display()} ended.")
            return redirect("caseload:case-detail", pk=outcome.case_id)
    return render(request, "caseload/outcome_end_form.html", {"outcome": outcome, "form": form})
