"""Managers' log of data-protection requests (what came in, when each is due, what was
done), and the work itself: a person's subject access download and erasure, reached from
their referral page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from core import once
from core.audit import log_access
from core.models import User
from core.utils import add_service_errors
from privacy import data_requests as services
from privacy.forms import (
    DataRequestCloseForm,
    DataRequestExtendForm,
    DataRequestForm,
    DataRequestPauseForm,
    DataRequestResumeForm,
    ErasureForm,
)
from privacy.models import DataRequest
from privacy.retention import erase_person
from privacy.subject_access import subject_access_export
from referrals.selectors import erasure_refusal, get_referral_for


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def request_list(request: HttpRequest) -> HttpResponse:
    still_open, closed = services.data_requests_listed()
    today = timezone.localdate()
    rows = [
        {"request": item, "due": item.due_date(today), "overdue": item.due_date(today) < today}
        for item in still_open
    ]
    return render(
        request,
        "data_requests/list.html",
        {"rows": rows, "closed": closed[:50], "today": today},
    )


@require_http_methods(["GET", "POST"])
@once.create_view
def request_new(request: HttpRequest) -> HttpResponse:
    form = DataRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            logged = services.data_request_log(
                **form.cleaned_data, by=_user(request), today=timezone.localdate()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Request {logged.reference} logged.")
            return redirect("data-requests:detail", pk=logged.pk)
    return render(request, "data_requests/new.html", {"form": form})


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(DataRequest.objects.select_related("referral"), pk=pk)
    if item.referral_id:
        log_access(request, "referral", [item.referral_id])
    return render(request, "data_requests/detail.html", _detail_context(item))


def _detail_context(item: DataRequest, **forms_given: forms.Form) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "item": item,
        "due": item.due_date(today),
        "overdue": not item.is_closed and item.due_date(today) < today,
        "history": item.history.order_by("history_date").select_related("history_user"),
        "pause_form": forms_given.get("pause_form") or DataRequestPauseForm(prefix="pause"),
        "resume_form": forms_given.get("resume_form") or DataRequestResumeForm(prefix="resume"),
        "extend_form": forms_given.get("extend_form") or DataRequestExtendForm(prefix="extend"),
        "close_form": forms_given.get("close_form") or DataRequestCloseForm(prefix="close"),
    }


def _action(
    form_class: type[forms.Form],
    prefix: str,
    run: Callable[[DataRequest, dict[str, Any], User], DataRequest],
    done: str,
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST-only view that runs one service on the request, or shows the page again with
    the form's errors."""

    @require_http_methods(["POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        item = get_object_or_404(DataRequest.objects.select_related("referral"), pk=pk)
        form = form_class(request.POST, prefix=prefix)
        if form.is_valid():
            try:
                run(item, form.cleaned_data, _user(request))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, done)
                return redirect("data-requests:detail", pk=item.pk)
        context = _detail_context(item, **{f"{prefix}_form": form})
        return render(request, "data_requests/detail.html", context, status=200)

    return view


request_pause = _action(
    DataRequestPauseForm,
    "pause",
    lambda item, data, by: services.data_request_pause(request=item, by=by, **data),
    "The clock is stopped.",
)
request_resume = _action(
    DataRequestResumeForm,
    "resume",
    lambda item, data, by: services.data_request_resume(request=item, by=by, **data),
    "The clock is running again.",
)
request_extend = _action(
    DataRequestExtendForm,
    "extend",
    lambda item, data, by: services.data_request_extend(request=item, by=by, **data),
    "The request is extended by two months.",
)
request_close = _action(
    DataRequestCloseForm,
    "close",
    lambda item, data, by: services.data_request_close(request=item, by=by, **data),
    "The request is closed.",
)


@require_http_methods(["GET", "POST"])
def referral_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove the person's details at once, on an erasure request: a manager, after the
    case is closed or the referral was rejected or withdrawn. See privacy/retention.py."""
    user = _user(request)
    referral = get_referral_for(user, pk, write=True)
    log_access(request, "referral", [referral.pk])
    refusal = erasure_refusal(referral)
    form = ErasureForm(
        request.POST or None, initial={"request_reference": request.GET.get("reference", "")}
    )
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            erase_person(
                referral=referral,
                by=user,
                request_reference=form.cleaned_data["request_reference"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The details of referral {referral.reference} are removed.")
            return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/erase.html",
        {"referral": referral, "form": form, "refusal": refusal},
    )


@require_safe
def referral_subject_access(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about the person, as a zip, for a subject access request."""
    user = _user(request)
    referral = get_referral_for(user, pk, write=True)
    case = getattr(referral, "case", None)
    log_access(request, "referral", [referral.pk])
    if case is not None:
        log_access(request, "case", [case.pk])
    now = timezone.now()
    archive = subject_access_export(referral, made=now)
    response = HttpResponse(archive, content_type="application/zip")
    filename = f"subject-access-{referral.reference}-{now:%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
