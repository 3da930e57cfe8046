"""Employers, and job development contacts with them."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseload.forms.employers import EmployerForm, JobDevelopmentContactForm
from caseload.models import Contact, Employer
from caseload.services import contacts, employers
from core import once
from core.models import User


def employer_list(request: HttpRequest) -> HttpResponse:
    return render(request, "caseload/employer_list.html", {"employers": Employer.objects.all()})


@require_http_methods(["GET", "POST"])
@once.create_view
def employer_new(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        employer = employers.employer_record(by=user, **form.cleaned_data)
        messages.success(request, f"{employer.name} added.")
        return redirect("caseload:employers")
    return render(request, "caseload/employer_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@once.create_view
def employer_contact_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    employer = get_object_or_404(Employer, pk=pk)
    now = timezone.localtime()
    form = JobDevelopmentContactForm(
        request.POST or None,
        initial={
            "date": now.date(),
            "time": now.time().replace(second=0, microsecond=0),
            "mode": Contact.Mode.FACE_TO_FACE,
        },
    )
    if request.method == "POST" and form.is_valid():
        contacts.contact_log(
            case=None,
            worker=user,
            by=user,
            party=Contact.Party.EMPLOYER,
            employer=employer,
            **form.cleaned_data,
        )
        messages.success(request, f"Contact with {employer.name} logged.")
        return redirect("caseload:employers")
    return render(
        request, "caseload/employer_contact_form.html", {"form": form, "employer": employer}
    )
