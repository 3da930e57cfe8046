"""Fund pages. Applications are fetched through get_application_for (another worker's bid is
404) and cases through get_case_for; every write goes through enterprise_fund.services."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseload.selectors import get_case_for
from core.access import may
from core.audit import log_access
from core.models import User
from core.money import format_pounds, pounds_for_input
from core.utils import add_service_errors
from enterprise_fund import services
from enterprise_fund.forms import (
    ApplicationForm,
    AssessmentForm,
    AttachmentForm,
    BusinessStartForm,
    BusinessStopForm,
    DecisionForm,
    FundAdjustForm,
    FundCreateForm,
    IncomeForm,
    PaymentForm,
    SubmitForm,
)
from enterprise_fund.models import CRITERIA, Decision, FundApplication
from enterprise_fund.selectors import (
    application_timeline,
    applications_awaiting,
    applications_visible_to,
    current_fund,
    fund_overview,
    get_application_for,
    get_attachment_for,
    ledger,
)

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _threshold() -> int:
    return int(settings.E4E_FUND_SECOND_APPROVAL_PENCE)


# --- The fund (managers) -------------------------------------------------------------------


def fund_page(request: HttpRequest) -> HttpResponse:
    fund = current_fund()
    if fund is None:
        return render(request, "enterprise_fund/fund_overview.html", {"fund": None})
    page = Paginator(ledger(fund), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprise_fund/fund_overview.html",
        {
            "fund": fund,
            "overview": fund_overview(fund),
            "ledger_page": page,
            "awaiting": applications_awaiting(_user(request)),
            "threshold": _threshold(),
        },
    )


@require_http_methods(["GET", "POST"])
def fund_create(request: HttpRequest) -> HttpResponse:
    if current_fund() is not None:
        messages.info(request, "The fund is already set up. Change its total here.")
        return redirect("enterprise_fund:fund-adjust")
    form = FundCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fund = services.fund_create(
                name=data["name"], total_pence=data["total"], by=_user(request)
            )
            services.fund_set_details(
                fund=fund,
                name=data["name"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                by=_user(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{fund.name} set up with {format_pounds(fund.total_pence)}.")
            return redirect("enterprise_fund:fund")
    return render(request, "enterprise_fund/fund_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
def fund_adjust(request: HttpRequest) -> HttpResponse:
    fund = current_fund()
    if fund is None:
        messages.info(request, "Set up the fund first.")
        return redirect("enterprise_fund:fund-create")
    form = FundAdjustForm(
        request.POST or None, initial={"total": pounds_for_input(fund.total_pence)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            fund = services.fund_set_total(
                fund=fund,
                total_pence=form.cleaned_data["total"],
                reason=form.cleaned_data["reason"],
                by=_user(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The fund's total is now {format_pounds(fund.total_pence)}, with "
                f"{format_pounds(fund.remaining_pence)} left to award.",
            )
            return redirect("enterprise_fund:fund")
    return render(request, "enterprise_fund/fund_adjust.html", {"form": form, "fund": fund})


# --- Applications ----------------------------------------------------------------------------


def application_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    applications = applications_visible_to(user)
    status = request.GET.get("status", "")
    if status in FundApplication.Status.values:
        applications = applications.filter(status=status)
    else:
        status = ""
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
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
    user = _user(request)
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


@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = get_case_for(user, pk, write=True)
    log_access(request, "case", [case.pk])
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.fund_application_create(
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
    return render(
        request,
        "enterprise_fund/application_form.html",
        {
            "case": case,
            "form": form,
            "criteria": CRITERIA,
            "fund": current_fund(),
            "threshold": _threshold(),
        },
    )


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    application = get_application_for(user, pk)
    log_access(request, "case", [application.case_id])
    budget = application.budget_items.all()
    conflict = ""
    if may(user, "enterprise_fund:application-decide") and application.is_awaiting_decision:
        conflict = _decide_problem(application, user)
    outcome = application.business_outcome
    return render(
        request,
        "enterprise_fund/application_detail.html",
        {
            "application": application,
            "case": application.case,
            "referral": application.case.referral,
            "budget": budget,
            "budget_total": budget.aggregate(total=Sum("cost_pence"))["total"] or 0,
            "attachments": application.attachments.all(),
            "assessments": application.assessments.select_related("assessor"),
            "payments": application.payments.select_related("evidence", "by"),
            "income_reports": application.income_reports.all(),
            "timeline": application_timeline(application),
            "outcome": outcome,
            "trading_checks": outcome.tasks.order_by("due_date") if outcome else [],
            "may_decide": may(user, "enterprise_fund:application-decide"),
            "may_pay": may(user, "enterprise_fund:payment-new"),
            "conflict": conflict,
            "threshold": _threshold(),
        },
    )


def _locked(request: HttpRequest, application: FundApplication) -> HttpResponse:
    messages.info(request, services.LOCKED)
    return redirect("enterprise_fund:application-detail", pk=application.pk)


@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    application = get_application_for(user, pk, write=True)
    if not application.is_editable:
        return _locked(request, application)
    log_access(request, "case", [application.case_id])
    form = ApplicationForm(request.POST or None, initial=ApplicationForm.initial_for(application))
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_application_update(
                application=application, by=user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Application saved.")
            return redirect("enterprise_fund:application-detail", pk=application.pk)
    return render(
        request,
        "enterprise_fund/application_form.html",
        {
            "case": application.case,
            "application": application,
            "form": form,
            "criteria": CRITERIA,
            "fund": application.fund,
            "threshold": _threshold(),
        },
    )


@require_http_methods(["GET", "POST"])
def attachment_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    application = get_application_for(user, pk, write=True)
    if not application.is_editable:
        return _locked(request, application)
    log_access(request, "case", [application.case_id])
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = services.fund_attachment_add(
                application=application,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                by=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{attachment.original_name} attached.")
            return redirect("enterprise_fund:application-detail", pk=application.pk)
    return render(
        request,
        "enterprise_fund/attachment_form.html",
        {"application": application, "form": form},
    )


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, if the user may see its application's case; 404 otherwise. The name and the
    type come from the service (a generated name; the type found from the content)."""
    attachment = get_attachment_for(_user(request), pk)
    log_access(request, "case", [attachment.application.case_id])
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    name = attachment.file.name or ""
    extension = name.rsplit(".", 1)[-1] if "." in name else "bin"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{attachment.application.reference}-{attachment.kind}-{attachment.pk}.{extension}",
        content_type=attachment.content_type,
    )


@require_http_methods(["GET", "POST"])
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    application = get_application_for(user, pk, write=True)
    if not application.is_editable:
        return _locked(request, application)
    log_access(request, "case", [application.case_id])
    form = SubmitForm(request.POST or None, application=application)
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_application_submit(
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
    budget = application.budget_items.all()
    return render(
        request,
        "enterprise_fund/application_submit.html",
        {
            "application": application,
            "form": form,
            "budget": budget,
            "budget_total": budget.aggregate(total=Sum("cost_pence"))["total"] or 0,
            "attachments": application.attachments.all(),
            "criteria": CRITERIA,
            "threshold": _threshold(),
        },
    )


def _not_awaiting(request: HttpRequest, application: FundApplication) -> HttpResponse:
    messages.info(request, "This application is not waiting for a decision.")
    return redirect("enterprise_fund:application-detail", pk=application.pk)


def _independence(application: FundApplication, user: User, action: str) -> str:
    try:
        services.check_independent(application, user, action)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _decide_problem(application: FundApplication, user: User) -> str:
    """Why the user may not decide the application, or ""."""
    problem = _independence(application, user, "decide")
    awaiting_second = application.status == FundApplication.Status.AWAITING_SECOND_APPROVAL
    if not problem and awaiting_second and application.first_approved_by_id == user.pk:
        problem = (
            f"You gave the first approval. Awards over {format_pounds(_threshold())} need a "
            "second approval from a different manager."
        )
    return problem


@require_http_methods(["GET", "POST"])
def application_assess(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    application = get_application_for(user, pk, write=True)
    if not application.is_awaiting_decision:
        return _not_awaiting(request, application)
    log_access(request, "case", [application.case_id])
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_application_assess(
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
            "conflict": _independence(application, user, "assess"),
        },
    )


@require_http_methods(["GET", "POST"])
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    application = get_application_for(user, pk, write=True)
    if not application.is_awaiting_decision and request.method == "GET":
        return _not_awaiting(request, application)
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
            decided = services.fund_application_decide(
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
            "threshold": _threshold(),
            "assessments": application.assessments.select_related("assessor"),
            "conflict": _decide_problem(application, user),
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
            f"Awards over {format_pounds(_threshold())} need a second manager's approval before "
            "the money is awarded."
        )
    if application.status == status.MORE_INFORMATION:
        return "More information asked for. The application is open for changes again."
    return "Application rejected."


@require_http_methods(["GET", "POST"])
def payment_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    application = get_application_for(user, pk, write=True)
    if application.status != FundApplication.Status.APPROVED:
        messages.info(request, "Only an approved application can be paid.")
        return redirect("enterprise_fund:application-detail", pk=application.pk)
    log_access(request, "case", [application.case_id])
    form = PaymentForm(
        request.POST or None,
        request.FILES or None,
        application=application,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            payment = services.fund_payment_record(
                application=application, by=user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Payment of {format_pounds(payment.amount_pence)} to {payment.payee_name} "
                "recorded.",
            )
            return redirect("enterprise_fund:application-detail", pk=application.pk)
    return render(
        request, "enterprise_fund/payment_form.html", {"application": application, "form": form}
    )


# --- Follow-up: the business start, income, and the business stopping -----------------------


def _follow_up_page(
    request: HttpRequest, application: FundApplication, form: Any, **context: Any
) -> HttpResponse:
    return render(
        request,
        "enterprise_fund/follow_up_form.html",
        {"application": application, "form": form, **context},
    )


@require_http_methods(["GET", "POST"])
def business_start(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    application = get_application_for(user, pk, write=True)
    if application.status != FundApplication.Status.APPROVED or application.business_outcome_id:
        messages.info(request, "The business start is recorded once, after an approval.")
        return redirect("enterprise_fund:application-detail", pk=application.pk)
    log_access(request, "case", [application.case_id])
    form = BusinessStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_business_start(application=application, by=user, **form.cleaned_data)
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
def income_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    application = get_application_for(user, pk, write=True)
    if application.business_outcome_id is None:
        messages.info(request, "Record the business start before reporting its income.")
        return redirect("enterprise_fund:application-detail", pk=application.pk)
    log_access(request, "case", [application.case_id])
    form = IncomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_income_record(
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
    user = _user(request)
    application = get_application_for(user, pk, write=True)
    outcome = application.business_outcome
    if outcome is None or outcome.end_date is not None:
        messages.info(request, "Only a business recorded as trading can be recorded as stopped.")
        return redirect("enterprise_fund:application-detail", pk=application.pk)
    log_access(request, "case", [application.case_id])
    form = BusinessStopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_business_stop(application=application, by=user, **form.cleaned_data)
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
