"""Deciding an application, and why a manager may not."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.audit import log_access
from core.models import User
from core.money import format_pounds, pounds_for_input
from core.utils import add_service_errors
from enterprise_fund.forms.decisions import DecisionForm
from enterprise_fund.models import Decision, FundApplication
from enterprise_fund.selectors import get_application_for
from enterprise_fund.services import decisions
from enterprise_fund.views.common import NOT_AWAITING, back_to_application, threshold, user_of


def independence(application: FundApplication, user: User, action: str) -> str:
    """Why the user may not `action` the application (separation of duties), or ""."""
    try:
        decisions.check_independent(application, user, action)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def decide_problem(application: FundApplication, user: User) -> str:
    """Why the user may not decide the application, or ""."""
    try:
        decisions.check_independent(application, user, "decide")
        decisions.check_second_approver(application, user)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


@require_http_methods(["GET", "POST"])
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    application = get_application_for(user, pk, write=True)
    if not application.is_awaiting_decision and request.method == "GET":
        return back_to_application(request, application, NOT_AWAITING)
    log_access(request, "case", [application.case_id])
    second = application.status == FundApplication.Status.AWAITING_SECOND_APPROVAL
    initial: dict[str, Any] = {}
    if second:
        initial = {
            "decision": Decision.Kind.APPROVED_WITH_CONDITIONS
            if application.conditions
            else Decision.Kind.APPROVED,
            "amount": pounds_for_input(application.first_approved_pence),
            "conditions": application.conditions,
        }
    form = DecisionForm(request.POST or None, application=application, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            decided = decisions.fund_application_decide(
                application=application, by=user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _decision_message(decided))
            return redirect("enterprise_fund:application-detail", pk=application.pk)
    return render(
        request,
        "enterprise_fund/decision_form.html",
        {
            "application": application,
            "form": form,
            "fund": application.fund,
            "second": second,
            "threshold": threshold(),
            "assessments": application.assessments.select_related("assessor"),
            "conflict": decide_problem(application, user),
        },
    )


def _decision_message(application: FundApplication) -> str:
    status = FundApplication.Status
    if application.status == status.APPROVED:
        return (
            f"Approved: {format_pounds(application.amount_awarded_pence)} awarded. The fund "
            f"has {format_pounds(application.fund.remaining_pence)} left."
        )
    if application.status == status.AWAITING_SECOND_APPROVAL:
        return (
            f"Your approval of {format_pounds(application.first_approved_pence)} is recorded. "
            f"Awards over {format_pounds(threshold())} need a second manager's approval before "
            "the money is awarded."
        )
    if application.status == status.MORE_INFORMATION:
        return "More information asked for. The application is open for changes again."
    return "Application rejected."
