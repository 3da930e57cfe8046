"""Case pages. Every case is fetched through get_case_for, so another worker's case is 404."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from caseload import services
from caseload.forms import InitialAssessmentForm
from caseload.selectors import case_timeline, get_case_for
from e4e.audit import log_access
from e4e.models import User
from e4e.utils import add_service_errors


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk)
    log_access(request, "case", [case.pk])
    return render(
        request,
        "caseload/case_detail.html",
        {"case": case, "referral": case.referral, "timeline": case_timeline(case)},
    )


@require_http_methods(["GET", "POST"])
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
            services.case_assess(case=case, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Initial assessment recorded. Active support has started.")
            return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/case_assess.html", {"case": case, "form": form})
