"""Cover during leave: the manager's list, giving cover, one cover's page, ending it."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseload.forms.cover import CoverForm
from caseload.models import Case, Cover
from caseload.records import record_history
from caseload.services import cover as cover_service
from core import once
from core.audit import log_access
from core.confirm import confirm_with_reason
from core.models import User
from core.selectors import workers_with_capacity
from core.utils import add_service_errors


def cover_list(request: HttpRequest) -> HttpResponse:
    """Covers in place or to come, then the last ones ended; and whose cases to cover."""
    today = timezone.localdate()
    covers = Cover.objects.select_related("absent", "covering")
    current = covers.filter(ended_at__isnull=True, ends__gte=today).order_by("starts", "pk")
    past = covers.exclude(pk__in=current.values("pk")).order_by("-ends", "-pk")[:20]
    return render(
        request,
        "caseload/cover_list.html",
        {
            "current": current,
            "past": past,
            "today": today,
            "workers": workers_with_capacity(),
        },
    )


@require_http_methods(["GET", "POST"])
@once.create_view
def cover_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Give cover of the cases of the worker `pk` (who is away)."""
    user = cast(User, request.user)
    absent = get_object_or_404(workers_with_capacity(), pk=pk)
    form = CoverForm(request.POST or None, absent=absent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cover = cover_service.cover_give(
                absent=absent,
                covering=data["covering"],
                starts=data["starts"],
                ends=data["ends"],
                cases=list(data["cases"]) if data["which"] == "chosen" else None,
                reason=data["reason"],
                by=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{cover.covering.full_name} covers {absent.full_name}'s cases from "
                f"{cover.starts:%-d %B} to {cover.ends:%-d %B %Y}.",
            )
            return redirect("caseload:cover-detail", pk=cover.pk)
    return render(request, "caseload/cover_form.html", {"form": form, "absent": absent})


def cover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cover = get_object_or_404(Cover.objects.select_related("absent", "covering", "by"), pk=pk)
    today = timezone.localdate()
    if cover.all_cases:
        cases = Case.objects.filter(worker=cover.absent, closed_date__isnull=True)
    else:
        cases = cover.cases.all()
    cases = cases.select_related("referral").order_by("referral__last_name", "pk")
    log_access(request, "case", [case.pk for case in cases])
    return render(
        request,
        "caseload/cover_detail.html",
        {
            "cover": cover,
            "cases": cases,
            "in_force": cover.in_force_on(today),
            "may_end": cover.ended_at is None and cover.ends >= today,
            "history": record_history(cover),
        },
    )


@require_http_methods(["GET", "POST"])
def cover_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a cover before its last day (or cancel it before it begins), after a
    confirmation and with a reason."""
    user = cast(User, request.user)
    cover = get_object_or_404(Cover.objects.select_related("absent", "covering"), pk=pk)
    if cover.ended_at is not None or cover.ends < timezone.localdate():
        messages.info(request, "This cover has ended.")  # a second tab, a repeated post
        return redirect("caseload:cover-detail", pk=cover.pk)
    return confirm_with_reason(
        request,
        label="Why does the cover end early?",
        required_message="Enter why the cover ends early",
        hint="For example, they came back from leave early.",
        act=lambda reason: cover_service.cover_end(cover=cover, reason=reason, by=user),
        done=f"{cover.covering.full_name} no longer covers these cases.",
        then=reverse("caseload:cover-detail", args=[cover.pk]),
        template="caseload/cover_end.html",
        context={"cover": cover},
    )
