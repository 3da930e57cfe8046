"""The initial assessment and risk assessments."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from caseload.forms.assessments import InitialAssessmentForm, RiskAssessmentForm
from caseload.selectors import get_case_for
from caseload.services import assessments
from core import once
from core.audit import log_access
from core.models import User
from core.utils import add_service_errors


@require_http_methods(["GET", "POST"])
@once.create_view
def case_assess(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    if case.start_date is not None:
        messages.info(request, "The initial assessment has already been recorded.")
        return redirect("caseload:case-detail", pk=case.pk)
    log_access(request, "case", [case.pk])
    form = InitialAssessmentForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            assessments.case_assess(case=case, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Initial assessment recorded. Active support has started.")
            return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/case_assess.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
@once.create_view
def risk_assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    log_access(request, "case", [case.pk])
    form = RiskAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessments.risk_assessment_record(case=case, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Risk assessment saved.")
            return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/risk_assessment_form.html", {"case": case, "form": form})
