"""Pages of the returns: the manager's dashboard, returns and their narrative and sign-off;
the OPCC's list of signed-off returns and their downloads.

Every return is fetched through get_return_for, so an OPCC user asking for a draft gets
404, and files are served only by `return_download`, never from a public URL (IN-4).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from core import once
from core.charts import KEY_TO_SYMBOLS
from core.http import HtmxHttpRequest
from core.models import User
from core.periods import last_complete_quarter
from core.utils import add_service_errors
from reporting import briefing, charts, services
from reporting.figure_table import TREND
from reporting.forms import NarrativeForm, StartReturnForm
from reporting.models import QuarterlyReturn, ReturnJob
from reporting.selectors import (
    case_updates_of_return,
    finished_file_job,
    get_return_for,
    latest_jobs,
    latest_version_numbers,
    returns_visible_to,
)
from reporting.selectors import (
    dashboard as dashboard_figures,
)

CONTENT_TYPES = {
    ReturnJob.Kind.PDF: "application/pdf",
    ReturnJob.Kind.CSV: "text/csv; charset=utf-8",
}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


# --- Manager: dashboard ------------------------------------------------------------------


def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    data = dashboard_figures(today)
    # The per-worker tables a page of workers at a time (?page=).
    workers = charts.workers_paginator(data["figures"]).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/dashboard.html",
        {
            **dashboard_context(data, workers_page=workers),
            "last_complete": last_complete_quarter(today),
        },
    )


def dashboard_context(data: dict[str, Any], *, workers_page: Page | None = None) -> dict[str, Any]:
    """What the dashboard's template needs from reporting.selectors.dashboard's figures:
    the sections with their charts and the trend (the evaluators' figures page too)."""
    return {
        **data,
        "sections": charts.sections(data["figures"], workers_page=workers_page),
        "trend_table": charts.trend_table(data["trend"], TREND),
        "trend_charts": charts.trend_charts(data["trend"], TREND),
        "symbols": KEY_TO_SYMBOLS[:1],
    }


# --- Manager: returns --------------------------------------------------------------------


def return_list(request: HttpRequest) -> HttpResponse:
    returns = returns_visible_to(_user(request))
    return render(request, "reporting/return_list.html", {"returns": returns})


@require_http_methods(["GET", "POST"])
@once.create_view
def return_start(request: HttpRequest) -> HttpResponse:
    form = StartReturnForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        quarter = form.cleaned_data["quarter"]
        try:
            quarterly_return = services.return_start(
                start=quarter.start, end=quarter.end, by=_user(request)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The return for {quarter.name} has been started.")
            return redirect("reporting:return-detail", pk=quarterly_return.pk)
    return render(request, "reporting/return_start.html", {"form": form})


def _status_context(quarterly_return: QuarterlyReturn) -> dict[str, Any]:
    jobs = latest_jobs(quarterly_return)
    ordered = [jobs[kind] for kind in ReturnJob.Kind.values if kind in jobs]
    return {
        "return": quarterly_return,
        "jobs": ordered,
        "unfinished": any(job.is_unfinished for job in ordered),
    }


def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    quarterly_return = get_return_for(_user(request), pk)
    latest = latest_version_numbers().get(
        (quarterly_return.period_start, quarterly_return.period_end), quarterly_return.version
    )
    figures = quarterly_return.figures
    return render(
        request,
        "reporting/return_detail.html",
        {
            **_status_context(quarterly_return),
            "sections": charts.sections(figures) if figures is not None else [],
            "headline": briefing.headline(figures, quarterly_return.comparison)
            if figures is not None
            else [],
            "symbols": KEY_TO_SYMBOLS[:1],
            "problems": services.sign_off_problems(quarterly_return),
            "is_latest": quarterly_return.version == latest,
            "pdf_ready": finished_file_job(quarterly_return, ReturnJob.Kind.PDF) is not None,
            "csv_ready": finished_file_job(quarterly_return, ReturnJob.Kind.CSV) is not None,
            "case_updates": case_updates_of_return(quarterly_return),
            "not_reviewed": services.updates_not_reviewed(quarterly_return),
        },
    )


def return_status(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The jobs' progress, for htmx to poll every 2 seconds while anything is unfinished.
    When what was unfinished has finished, the whole page reloads to show the result."""
    quarterly_return = get_return_for(_user(request), pk)
    context = _status_context(quarterly_return)
    if request.htmx and not context["unfinished"]:
        return HttpResponseClientRefresh()
    return render(request, "reporting/includes/return_status.html", context)


@require_http_methods(["GET", "POST"])
def return_narrative(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    quarterly_return = get_return_for(user, pk)
    if quarterly_return.is_signed_off:
        if request.method == "POST":
            # The service refuses it too; say so plainly rather than show a form.
            messages.error(request, services.FROZEN_MESSAGE)
        return redirect("reporting:return-detail", pk=quarterly_return.pk)
    narrative = {
        "progress": quarterly_return.progress,
        "challenges": quarterly_return.challenges,
        "service_user_feedback": quarterly_return.service_user_feedback,
        "case_studies": quarterly_return.case_studies,
        "case_studies_consent": quarterly_return.case_studies_consent,
    }
    form = NarrativeForm(request.POST or None, initial=narrative)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_narrative_update(
                quarterly_return=quarterly_return, by=user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The narrative has been saved.")
            return redirect("reporting:return-detail", pk=quarterly_return.pk)
    return render(
        request,
        "reporting/return_narrative.html",
        {"return": quarterly_return, "form": form},
    )


@require_http_methods(["GET", "POST"])
def return_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    quarterly_return = get_return_for(user, pk)
    if quarterly_return.is_signed_off:
        messages.info(request, "This return has already been signed off.")
        return redirect("reporting:return-detail", pk=quarterly_return.pk)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.return_sign_off(quarterly_return=quarterly_return, by=user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                "The return has been signed off. Its PDF and CSV are being built; the OPCC "
                "can download them once they are ready.",
            )
            return redirect("reporting:return-detail", pk=quarterly_return.pk)
    return render(
        request,
        "reporting/return_sign_off.html",
        {
            "return": quarterly_return,
            "problems": services.sign_off_problems(quarterly_return),
            "errors": errors,
        },
    )


@require_POST
def return_correction(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    quarterly_return = get_return_for(user, pk)
    try:
        correction = services.return_start_correction(quarterly_return=quarterly_return, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reporting:return-detail", pk=quarterly_return.pk)
    messages.success(
        request,
        f"Version {correction.version} has been started. Version "
        f"{quarterly_return.version} stays as it was signed off.",
    )
    return redirect("reporting:return-detail", pk=correction.pk)


@require_http_methods(["GET", "POST"])
def return_rebuild(request: HttpRequest, pk: int) -> HttpResponse:
    """Rebuild a signed-off return's PDF and CSV from its frozen snapshot (confirm first)."""
    user = _user(request)
    quarterly_return = get_return_for(user, pk)
    if not quarterly_return.is_signed_off:
        messages.info(request, "Only a signed-off return's files can be rebuilt.")
        return redirect("reporting:return-detail", pk=quarterly_return.pk)
    error = ""
    if request.method == "POST":
        try:
            services.return_files_rebuild(quarterly_return=quarterly_return, by=user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                "The PDF and CSV are being rebuilt from the figures frozen at sign-off.",
            )
            return redirect("reporting:return-detail", pk=quarterly_return.pk)
    return render(
        request, "reporting/return_rebuild.html", {"return": quarterly_return, "error": error}
    )


@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    job = get_object_or_404(
        ReturnJob.objects.filter(quarterly_return__in=returns_visible_to(user)), pk=pk
    )
    try:
        services.return_job_retry(job=job, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Trying again.")
    return redirect("reporting:return-detail", pk=job.quarterly_return_id)


# --- Downloads (managers and the OPCC) ---------------------------------------------------


def return_download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    """The return's PDF or CSV, if the user may see the return (OPCC: signed off only) and
    the file has been built; 404 otherwise. The file name is made here, from the period."""
    quarterly_return = get_return_for(_user(request), pk)
    job = finished_file_job(quarterly_return, kind)
    if job is None or not quarterly_return.is_signed_off:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{quarterly_return.file_stem}.{kind}",
        content_type=CONTENT_TYPES[ReturnJob.Kind(kind)],
    )


# --- OPCC --------------------------------------------------------------------------------


def opcc_return_list(request: HttpRequest) -> HttpResponse:
    """Signed-off returns only, newest first, with their downloads."""
    returns = list(returns_visible_to(_user(request)))
    latest: dict[tuple[Any, Any], int] = {}
    for item in returns:
        key = (item.period_start, item.period_end)
        latest[key] = max(item.version, latest.get(key, 0))
    rows = [
        {
            "return": item,
            "superseded_by": latest[(item.period_start, item.period_end)]
            if latest[(item.period_start, item.period_end)] > item.version
            else None,
            "pdf_ready": finished_file_job(item, ReturnJob.Kind.PDF) is not None,
            "csv_ready": finished_file_job(item, ReturnJob.Kind.CSV) is not None,
        }
        for item in returns
    ]
    return render(request, "reporting/opcc_return_list.html", {"rows": rows})
