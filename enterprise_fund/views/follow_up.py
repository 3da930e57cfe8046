"""Follow-up: the business start, its income, and the business stopping."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core import once
from core.audit import log_access
from core.utils import add_service_errors
from enterprise_fund.forms.follow_up import BusinessStartForm, BusinessStopForm, IncomeForm
from enterprise_fund.models import FundApplication
from enterprise_fund.selectors import get_application_for
from enterprise_fund.services import follow_up
from enterprise_fund.views.common import back_to_application, user_of


def _follow_up_page(
    request: HttpRequest, application: FundApplication, form: Any, **context: Any
) -> HttpResponse:
    return render(
        request,
        "enterprise_fund/follow_up_form.html",
        {"application": application, "form": form, **context},
    )


@require_http_methods(["GET", "POST"])
@once.create_view
def business_start(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    application = get_application_for(user, pk, write=True)
    if application.status != FundApplication.Status.APPROVED or application.business_outcome_id:
        return back_to_application(
            request, application, "The business start is recorded once, after an approval."
        )
    log_access(request, "case", [application.case_id])
    form = BusinessStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up.fund_business_start(application=application, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Business start recorded as a self-employment outcome. Trading checks at 26 "
                "and 52 weeks are on the specialist's task list.",
            )
            return redirect("enterprise_fund:application-detail", pk=application.pk)
    return _follow_up_page(
        request,
        application,
        form,
        title="Record the business start",
        intro="This records a self-employment outcome on the case and adds trading checks "
        "at 26 and 52 weeks to the specialist's task list.",
        button="Record the business start",
    )


@require_http_methods(["GET", "POST"])
@once.create_view
def income_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    application = get_application_for(user, pk, write=True)
    if application.business_outcome_id is None:
        return back_to_application(
            request, application, "Record the business start before reporting its income."
        )
    log_access(request, "case", [application.case_id])
    form = IncomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up.fund_income_record(
                application=application, by=user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Income recorded.")
            return redirect("enterprise_fund:application-detail", pk=application.pk)
    return _follow_up_page(
        request,
        application,
        form,
        title="Report the business's income",
        intro="What the business took in over the period, as the applicant reports it.",
        button="Save income",
    )


@require_http_methods(["GET", "POST"])
def business_stop(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    application = get_application_for(user, pk, write=True)
    outcome = application.business_outcome
    if outcome is None or outcome.end_date is not None:
        return back_to_application(
            request, application, "Only a business recorded as trading can be recorded as stopped."
        )
    log_access(request, "case", [application.case_id])
    form = BusinessStopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up.fund_business_stop(application=application, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The business is recorded as stopped.")
            return redirect("enterprise_fund:application-detail", pk=application.pk)
    return _follow_up_page(
        request,
        application,
        form,
        title="Record that the business stopped",
        intro="This ends the case's self-employment outcome; trading checks after the end "
        "date are removed.",
        button="Record that it stopped",
    )
