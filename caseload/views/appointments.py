"""Appointments: booking one on a case, its page, marking it kept, missed or cancelled, and
the specialist's diary (a day or a week)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from caseload import calendar_feed
from caseload.forms.appointments import AppointmentForm, CancelForm, MissedForm
from caseload.models import Appointment, CalendarFeed
from caseload.records import record_history
from caseload.selectors import (
    cases_visible_to,
    get_case_for,
    reminders_sent,
    without_risk_assessment,
)
from caseload.services import appointments as service
from core import once
from core.audit import log_access
from core.models import User
from core.utils import add_service_errors


def get_appointment_for(user: User, pk: int) -> Appointment:
    """The appointment if the user may open its case, else 404."""
    return get_object_or_404(
        Appointment.objects.select_related("case__referral", "worker"),
        pk=pk,
        case__in=cases_visible_to(user),
    )


@require_http_methods(["GET", "POST"])
@once.create_view
def appointment_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    if case.closed_date is not None:  # said before the form is filled in, not after
        messages.error(request, "This case is closed. Reopen it to book an appointment.")
        return redirect("caseload:case-detail", pk=case.pk)
    log_access(request, "case", [case.pk])
    form = AppointmentForm(
        request.POST or None,
        initial={
            "date": timezone.localdate() + datetime.timedelta(days=1),
            "place": Appointment.Place.OFFICE,
            "kind": Appointment.Kind.SUPPORT,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            appointment = service.appointment_book(
                case=case, worker=case.worker, by=user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Appointment booked for {appointment.date:%-d %B} at "
                f"{appointment.starts_at:%H:%M}.",
            )
            return redirect("caseload:appointment-detail", pk=appointment.pk)
    return render(request, "caseload/appointment_form.html", {"case": case, "form": form})


def _started(appointment: Appointment) -> bool:
    start = datetime.datetime.combine(appointment.date, appointment.starts_at)
    return timezone.now() >= timezone.make_aware(start)


def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    appointment = get_appointment_for(user, pk)
    log_access(request, "case", [appointment.case_id])
    booked = appointment.status == Appointment.Status.BOOKED
    return render(
        request,
        "caseload/appointment_detail.html",
        {
            "appointment": appointment,
            "case": appointment.case,
            "may_mark": booked and _started(appointment),
            "may_cancel": booked,
            "log_contact": (
                appointment.status == Appointment.Status.ATTENDED and appointment.contact_id is None
            ),
            "contact_url": contact_url(appointment),
            "reminders": reminders_sent(appointment=appointment, limit=10),
            "history": record_history(appointment),
        },
    )


def contact_url(appointment: Appointment) -> str:
    """The contact form, filled in from the appointment."""
    path = reverse("caseload:contact-new", args=[appointment.case_id])
    return f"{path}?appointment={appointment.pk}"


@require_POST
def appointment_attended(request: HttpRequest, pk: int) -> HttpResponse:
    """Attended: then straight to the contact form, filled in from the appointment."""
    user = cast(User, request.user)
    appointment = get_appointment_for(user, pk)
    try:
        service.appointment_attended(appointment=appointment, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("caseload:appointment-detail", pk=appointment.pk)
    messages.success(request, "Marked attended. Log the contact.")
    return redirect(contact_url(appointment))


def _mark(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    heading: str,
    mark: Callable[[Appointment, dict[str, Any], User], object],
    done: str,
) -> HttpResponse:
    """The page that marks an appointment missed or cancelled: its form, the service, and
    back to the appointment."""
    user = cast(User, request.user)
    appointment = get_appointment_for(user, pk)
    log_access(request, "case", [appointment.case_id])
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mark(appointment, form.cleaned_data, user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("caseload:appointment-detail", pk=appointment.pk)
    return render(
        request,
        "caseload/appointment_mark.html",
        {"appointment": appointment, "form": form, "heading": heading},
    )


@require_http_methods(["GET", "POST"])
def appointment_missed(request: HttpRequest, pk: int) -> HttpResponse:
    return _mark(
        request,
        pk,
        MissedForm,
        "The appointment was missed",
        lambda a, data, user: service.appointment_missed(
            appointment=a, reason=data["reason"], by=user
        ),
        "Marked missed. A task to re-engage them is on your list.",
    )


@require_http_methods(["GET", "POST"])
def appointment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _mark(
        request,
        pk,
        CancelForm,
        "Cancel the appointment",
        lambda a, data, user: service.appointment_cancel(
            appointment=a, cancelled_by=data["cancelled_by"], by=user
        ),
        "Appointment cancelled.",
    )


def _day(text: str, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return default


def diary(request: HttpRequest) -> HttpResponse:
    """The specialist's appointments for a day (default today) or its week (?week=1),
    community ones without a risk assessment in force on their day flagged."""
    user = cast(User, request.user)
    today = timezone.localdate()
    day = _day(request.GET.get("day", ""), today)
    week = request.GET.get("week") == "1"
    first = day - datetime.timedelta(days=day.weekday()) if week else day
    last = first + datetime.timedelta(days=6) if week else day
    appointments = list(
        Appointment.objects.filter(
            worker=user, date__range=(first, last), case__in=cases_visible_to(user)
        )
        .select_related("case__referral")
        .order_by("date", "starts_at", "pk")
    )
    log_access(request, "case", sorted({a.case_id for a in appointments}))
    uncovered = without_risk_assessment(appointments)
    days: dict[datetime.date, list[dict[str, Any]]] = {}
    for appointment in appointments:
        days.setdefault(appointment.date, []).append(
            {"appointment": appointment, "no_risk_assessment": appointment.pk in uncovered}
        )
    step = datetime.timedelta(days=7 if week else 1)
    return render(
        request,
        "caseload/diary.html",
        {
            "week": week,
            "first": first,
            "last": last,
            "days": sorted(days.items()),
            "count": len(appointments),
            "previous": first - step,
            "next": first + step,
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def calendar_feed_page(request: HttpRequest) -> HttpResponse:
    """The worker's calendar feed: make its address, or reset it (the old one stops)."""
    user = cast(User, request.user)
    address = ""
    if request.method == "POST":
        token = calendar_feed.feed_reset(user)
        address = request.build_absolute_uri(reverse("caseload:calendar-feed-ics"))
        address = f"{address}?{urlencode({'token': token})}"
    return render(
        request,
        "caseload/calendar_feed.html",
        {"address": address, "has_feed": CalendarFeed.objects.filter(user=user).exists()},
    )


def calendar_feed_ics(request: HttpRequest) -> HttpResponse:
    """The feed itself, for a calendar app (no session): 404 for a wrong or reset token."""
    owner = calendar_feed.feed_owner(request.GET.get("token", ""))
    if owner is None:
        raise Http404("No such calendar")
    response = HttpResponse(calendar_feed.feed_ics(owner), content_type="text/calendar")
    response["Content-Disposition"] = 'inline; filename="e4e-appointments.ics"'
    return response


def team_diary(request: HttpRequest) -> HttpResponse:
    """The manager's view of the team's week: each worker's appointments, day by day, with
    how many were kept and missed."""
    today = timezone.localdate()
    day = _day(request.GET.get("week", ""), today)
    first = day - datetime.timedelta(days=day.weekday())
    last = first + datetime.timedelta(days=6)
    appointments = list(
        Appointment.objects.filter(date__range=(first, last))
        .select_related("case__referral", "worker")
        .order_by("worker__full_name", "worker_id", "date", "starts_at", "pk")
    )
    log_access(request, "case", sorted({a.case_id for a in appointments}))
    workers: dict[int, dict[str, Any]] = {}
    for appointment in appointments:
        row = workers.setdefault(
            appointment.worker_id,
            {"worker": appointment.worker, "appointments": [], "kept": 0, "missed": 0},
        )
        row["appointments"].append(appointment)
        row["kept"] += appointment.status == Appointment.Status.ATTENDED
        row["missed"] += appointment.status == Appointment.Status.MISSED
    return render(
        request,
        "caseload/team_diary.html",
        {
            "first": first,
            "last": last,
            "workers": list(workers.values()),
            "previous": first - datetime.timedelta(days=7),
            "next": first + datetime.timedelta(days=7),
        },
    )
