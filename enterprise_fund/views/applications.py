"""Applications: the lists, a bid's page, drafting it and submitting it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from caseload.models import Case
from caseload.selectors import get_case_for
from core import once
from core.access import may
from core.audit import log_access
from core.utils import add_service_errors
from enterprise_fund.forms.applications import ApplicationForm, SubmitForm
from enterprise_fund.models import CRITERIA, Fund, FundApplication
from enterprise_fund.selectors import (
    application_timeline,
    applications_visible_to,
    current_fund,
    get_application_for,
)
from enterprise_fund.services import applications
from enterprise_fund.services.common import LOCKED
from enterprise_fund.views.common import PAGE_SIZE, back_to_application, threshold, user_of
from enterprise_fund.views.decisions import decide_problem


def application_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    visible = applications_visible_to(user)
    status = request.GET.get("status", "")
    if status in FundApplication.Status.values:
        visible = visible.filter(status=status)
    else:
        status = ""
    page = Paginator(visible, PAGE_SIZE).get_page(request.GET.get("page"))
    log_access(request, "case", [application.case_id for application in page])
    return render(
        request,
        "enterprise_fund/application_list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": FundApplication.Status.choices,
            "fund": current_fund(),
            "may_see_fund": may(user, "enterprise_fund:fund"),
        },
    )


def case_applications(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = get_case_for(user, pk)
    log_access(request, "case", [case.pk])
    return render(
        request,
        "enterprise_fund/case_applications.html",
        {
            "case": case,
            "applications": applications_visible_to(user).filter(case=case),
            "fund": current_fund(),
        },
    )


def _application_form_page(
    request: HttpRequest,
    case: Case,
    form: ApplicationForm,
    fund: Fund | None,
    application: FundApplication | None = None,
) -> HttpResponse:
    return render(
        request,
        "enterprise_fund/application_form.html",
        {
            "case": case,
            "application": application,
            "form": form,
            "criteria": CRITERIA,
            "fund": fund,
            "threshold": threshold(),
        },
    )


def _budget_and_files(application: FundApplication) -> dict[str, Any]:
    """The itemised budget, its total and the attachments, as the bid's pages show them."""
    budget = application.budget_items.all()
    return {
        "budget": budget,
        "budget_total": budget.aggregate(total=Sum("cost_pence"))["total"] or 0,
        "attachments": application.attachments.all(),
    }


@require_http_methods(["GET", "POST"])
@once.create_view
def application_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = get_case_for(user, pk, write=True)
    log_access(request, "case", [case.pk])
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = applications.fund_application_create(
                case=case, by=user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Draft saved. Attach any quotes or plans, then check and submit it.",
            )
            return redirect("enterprise_fund:application-detail", pk=application.pk)
    return _application_form_page(request, case, form, current_fund())


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    application = get_application_for(user, pk)
    log_access(request, "case", [application.case_id])
    conflict = ""
    if may(user, "enterprise_fund:application-decide") and application.is_awaiting_decision:
        conflict = decide_problem(application, user)
    outcome = application.business_outcome
    return render(
        request,
        "enterprise_fund/application_detail.html",
        {
            "application": application,
            "case": application.case,
            "referral": application.case.referral,
            **_budget_and_files(application),
            "assessments": application.assessments.select_related("assessor"),
            "payments": application.payments.select_related("evidence", "by"),
            "income_reports": application.income_reports.all(),
            "timeline": application_timeline(application),
            "outcome": outcome,
            "trading_checks": outcome.tasks.order_by("due_date") if outcome else [],
            "may_decide": may(user, "enterprise_fund:application-decide"),
            "may_pay": may(user, "enterprise_fund:payment-new"),
            "conflict": conflict,
            "threshold": threshold(),
        },
    )


@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    application = get_application_for(user, pk, write=True)
    if not application.is_editable:
        return back_to_application(request, application, LOCKED)
    log_access(request, "case", [application.case_id])
    form = ApplicationForm(request.POST or None, initial=ApplicationForm.initial_for(application))
    if request.method == "POST" and form.is_valid():
        try:
            applications.fund_application_update(
                application=application, by=user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Application saved.")
            return redirect("enterprise_fund:application-detail", pk=application.pk)
    return _application_form_page(
        request, application.case, form, application.fund, application=application
    )


@require_http_methods(["GET", "POST"])
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    application = get_application_for(user, pk, write=True)
    if not application.is_editable:
        return back_to_application(request, application, LOCKED)
    log_access(request, "case", [application.case_id])
    form = SubmitForm(request.POST or None, application=application)
    if request.method == "POST" and form.is_valid():
        try:
            applications.fund_application_submit(
                application=application, by=user, version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Application submitted. A manager who is not its submitter or the case's "
                "specialist will assess and decide it.",
            )
            return redirect("enterprise_fund:application-detail", pk=application.pk)
    return render(
        request,
        "enterprise_fund/application_submit.html",
        {
            "application": application,
            "form": form,
            **_budget_and_files(application),
            "criteria": CRITERIA,
            "threshold": threshold(),
        },
    )
