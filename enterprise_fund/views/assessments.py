"""Assessing an application against the published criteria."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core import once
from core.audit import log_access
from core.utils import add_service_errors
from enterprise_fund.forms.assessments import AssessmentForm
from enterprise_fund.selectors import get_application_for
from enterprise_fund.services import assessments
from enterprise_fund.views.common import NOT_AWAITING, back_to_application, user_of
from enterprise_fund.views.decisions import independence


@require_http_methods(["GET", "POST"])
@once.create_view
def application_assess(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    application = get_application_for(user, pk, write=True)
    if not application.is_awaiting_decision:
        return back_to_application(request, application, NOT_AWAITING)
    log_access(request, "case", [application.case_id])
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessments.fund_application_assess(
                application=application, by=user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Assessment saved.")
            return redirect("enterprise_fund:application-detail", pk=application.pk)
    return render(
        request,
        "enterprise_fund/assessment_form.html",
        {
            "application": application,
            "form": form,
            "conflict": independence(application, user, "assess"),
        },
    )
