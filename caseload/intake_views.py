"""Screening's last steps, where a referral meets the caseloads: accepting it to a worker
with a place, and the waiting list with the places free."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseload import intake
from caseload.capacity import CapacityReached, worker_places
from caseload.forms.intake import AcceptForm
from core.audit import log_access
from core.models import User
from core.utils import add_service_errors
from referrals.selectors import get_referral_for, waiting_list
from referrals.views import already_decided


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@require_http_methods(["GET", "POST"])
def referral_accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = get_referral_for(user, pk, write=True)
    if referral.is_decided:
        return already_decided(request, referral)
    log_access(request, "referral", [referral.pk])
    form = AcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        worker = form.cleaned_data["worker"]
        try:
            intake.referral_accept(
                referral=referral,
                worker=worker,
                by=user,
                notify_referrer=True,
                eligibility_override=form.cleaned_data["eligibility_override"],
            )
        except CapacityReached as error:
            form.add_error("worker", error.messages[0])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Referral {referral.reference} accepted. {worker.full_name} has a new case, "
                "awaiting its initial assessment.",
            )
            return redirect("referrals:detail", pk=referral.pk)
    places = worker_places()
    return render(
        request,
        "referrals/accept.html",
        {
            "referral": referral,
            "form": form,
            "places": places,
            "selected": str(form["worker"].value() or ""),
            "everyone_full": all(place.is_full for place in places),
            "failed_checks": intake.failed_checks(referral),
        },
    )


def referral_waiting_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    referrals = list(waiting_list(user))
    log_access(request, "referral", [referral.pk for referral in referrals])
    rows = [
        {
            "referral": referral,
            "waited_days": (today - referral.received_date).days,
            "listed_on": referral.waiting_since,
            "listed_days": (today - referral.waiting_since).days
            if referral.waiting_since
            else None,
        }
        for referral in referrals
    ]
    places = worker_places()
    return render(
        request,
        "referrals/waiting_list.html",
        {"rows": rows, "free_places": sum(place.free for place in places)},
    )
