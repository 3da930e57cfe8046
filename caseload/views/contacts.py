"""Logging a contact or admin time, and changing a contact's note."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseload.forms.contacts import AdminTimeForm, ContactForm, ContactNoteForm
from caseload.models import Case, Contact
from caseload.selectors import cases_visible_to, get_case_for
from caseload.services import contacts
from caseload.services.appointments import (
    appointment_link_contact,
    appointment_to_log,
    contact_from_appointment,
)
from core import once
from core.audit import log_access
from core.models import User
from core.utils import add_service_errors


@require_http_methods(["GET", "POST"])
@once.create_view
def contact_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=True)
    if case.closed_date is not None:  # said before the form is filled in, not after
        messages.error(request, "This case is closed. Reopen it to log a contact.")
        return redirect("caseload:case-detail", pk=case.pk)
    log_access(request, "case", [case.pk])
    now = timezone.localtime()
    # Where they last met, or the office: one tap fewer on a phone for the usual case.
    last_place = (
        (Contact.objects.filter(case=case).exclude(place="").order_by("-date", "-pk"))
        .values_list("place", flat=True)
        .first()
    )
    initial: dict[str, object] = {
        "date": now.date(),
        "time": now.time().replace(second=0, microsecond=0),
        "mode": Contact.Mode.FACE_TO_FACE,
        "party": Contact.Party.CLIENT,
        "place": last_place or Contact.Place.OFFICE,
    }
    # Logged from an attended appointment (?appointment=): filled in from it.
    appointment = appointment_to_log(case, request.GET.get("appointment", ""))
    if appointment is not None:
        initial |= contact_from_appointment(appointment)
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact = contacts.contact_log(case=case, worker=user, by=user, **form.cleaned_data)
            if appointment is not None:
                appointment_link_contact(appointment=appointment, contact=contact, by=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Contact logged.")
            return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/contact_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
@once.create_view
def admin_time_new(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = AdminTimeForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        contacts.contact_log(case=None, worker=user, by=user, **form.cleaned_data)
        messages.success(request, "Admin time logged.")
        return redirect("core:home")
    return render(request, "caseload/admin_time_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def contact_note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    contact = get_object_or_404(
        Contact.objects.select_related("case__referral"),
        pk=pk,
        case__in=cases_visible_to(user),
    )
    case = cast(Case, contact.case)  # only contacts on a visible case reach here
    log_access(request, "case", [case.pk])
    form = ContactNoteForm(request.POST or None, initial={"note": contact.note})
    if request.method == "POST" and form.is_valid():
        try:
            contacts.contact_change_note(contact=contact, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The note has been changed.")
            return redirect("caseload:case-detail", pk=case.pk)
    return render(request, "caseload/contact_note_form.html", {"contact": contact, "form": form})
