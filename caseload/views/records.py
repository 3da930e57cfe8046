"""The smaller records kept on a case (one shared form page, see caseload.records), and
a complaint's later updates."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from caseload.forms.records import ComplaintUpdateForm, DisclosureReportForm
from caseload.models import Complaint, ThreatToLifeDisclosure
from caseload.records import RECORD_KINDS, RECORD_PAGES, record_fields, record_history
from caseload.selectors import cases_visible_to, get_case_for
from caseload.services.records import (
    case_record_correct,
    complaint_update,
    disclosure_report_add,
)
from core import once
from core.audit import log_access
from core.govuk_forms import REASON_MAX_LENGTH, text_field
from core.models import User
from core.utils import add_service_errors


@require_http_methods(["GET", "POST"])
@once.create_view
def record_new(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    spec = RECORD_KINDS.get(kind)
    if spec is None:
        raise Http404("No such kind of record")
    log_access(request, "case", [case.pk])
    form = spec.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in spec.confirm_only}
        try:
            spec.add(case=case, model=spec.model, by=user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{spec.title} recorded.")
            return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/record_form.html", {"case": case, "form": form, "spec": spec})


@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Correct a mistake in a small record, saying why (kept in its history)."""
    user = cast(User, request.user)
    spec = RECORD_KINDS.get(kind)
    if spec is None or not spec.correctable:
        raise Http404("No such kind of record")
    record = get_object_or_404(
        spec.model._default_manager.select_related("case__referral"),
        pk=pk,
        case__in=cases_visible_to(user),
    )
    case = record.case  # type: ignore[attr-defined]
    log_access(request, "case", [case.pk])
    initial = {
        name: getattr(record, name) for name in spec.form.base_fields if hasattr(record, name)
    }
    form = spec.form(request.POST or None, initial=initial)
    form.fields["change_reason"] = text_field(
        "Why are you correcting it?",
        max_length=REASON_MAX_LENGTH,
        required_message="Enter why the record is being corrected",
        help_text="For example, the wrong organisation was chosen.",
    )
    detail = redirect("caseload:record-detail", kind=kind, pk=record.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reason = data.pop("change_reason")
        fields = {k: v for k, v in data.items() if k not in spec.confirm_only}
        try:
            case_record_correct(record=record, by=user, reason=reason, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{spec.title} corrected.")
            return detail
    return render(
        request,
        "caseload/record_form.html",
        {"case": case, "form": form, "spec": spec, "correcting": record, "kind": kind},
    )


def record_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """One small record on a case, every field of it, who recorded it and its history."""
    user = cast(User, request.user)
    if kind not in RECORD_PAGES:
        raise Http404("No such kind of record")
    title, model = RECORD_PAGES[kind]
    record = get_object_or_404(
        model._default_manager.select_related("case__referral"),
        pk=pk,
        case__in=cases_visible_to(user),
    )
    case = record.case  # type: ignore[attr-defined]
    log_access(request, "case", [case.pk])
    history = record_history(record)
    return render(
        request,
        "caseload/record_detail.html",
        {
            "case": case,
            "title": title,
            "kind": kind,
            "record": record,
            "rows": record_fields(record),
            "history": history,
            "recorded": history[0] if history else None,
            "correctable": kind in RECORD_KINDS and RECORD_KINDS[kind].correctable,
        },
    )


@require_http_methods(["GET", "POST"])
def disclosure_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the written report to a threat-to-life disclosure recorded without one."""
    user = cast(User, request.user)
    disclosure = get_object_or_404(
        ThreatToLifeDisclosure.objects.select_related("case__referral"),
        pk=pk,
        case__in=cases_visible_to(user),
    )
    log_access(request, "case", [disclosure.case.pk])
    detail = redirect("caseload:record-detail", kind="disclosure", pk=disclosure.pk)
    if disclosure.follow_up_report:
        messages.info(request, "The written report has already been added.")
        return detail
    form = DisclosureReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disclosure_report_add(
                disclosure=disclosure, report=form.cleaned_data["report"], by=user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The written report has been added.")
            return detail
    return render(
        request, "caseload/disclosure_report_form.html", {"disclosure": disclosure, "form": form}
    )


def disclosure_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The written report as a PDF to send to the police, once it has been added."""
    from core.pdf import simple_pdf  # WeasyPrint loads only when a PDF is made

    user = cast(User, request.user)
    disclosure = get_object_or_404(
        ThreatToLifeDisclosure.objects.select_related("case__referral", "by"),
        pk=pk,
        case__in=cases_visible_to(user),
    )
    if not disclosure.follow_up_report:
        messages.info(request, "Add the written report first; then it can be downloaded.")
        return redirect("caseload:disclosure-report", pk=disclosure.pk)
    log_access(request, "case", [disclosure.case.pk])
    html = render_to_string(
        "pdf/disclosure_report.html",
        {"disclosure": disclosure, "made": timezone.now(), "made_by": user},
    )
    response = HttpResponse(simple_pdf(html), content_type="application/pdf")
    # The file name carries no name of the person: the police reference only.
    response["Content-Disposition"] = (
        f'attachment; filename="threat-to-life-report-{slugify(disclosure.police_reference)}.pdf"'
    )
    return response


@require_http_methods(["GET", "POST"])
def complaint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    complaint = get_object_or_404(
        Complaint.objects.select_related("case__referral"), pk=pk, case__in=cases_visible_to(user)
    )
    log_access(request, "case", [complaint.case.pk])
    form = ComplaintUpdateForm(
        request.POST or None,
        initial={
            "acknowledged_date": complaint.acknowledged_date,
            "resolved_date": complaint.resolved_date,
            "outcome": complaint.outcome,
            "learning": complaint.learning,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            complaint_update(complaint=complaint, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The complaint has been updated.")
            return redirect("caseload:case-detail", pk=complaint.case.pk)
    return render(request, "caseload/complaint_form.html", {"complaint": complaint, "form": form})
