"""Reminders to the person: their consent and channel, recorded by their worker; and the
two addresses GOV.UK Notify calls back (delivery receipts, and replies such as STOP)."""

from __future__ import annotations

import hmac
import json
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from caseload.forms.appointments import ReminderConsentForm
from caseload.selectors import consent_of, get_case_for, reminders_sent, why_not_remind
from caseload.services import reminders as service
from core.audit import log_access
from core.models import User
from core.system_user import system_user
from core.utils import add_service_errors


@require_http_methods(["GET", "POST"])
def case_reminders(request: HttpRequest, pk: int) -> HttpResponse:
    """Whether the person agreed to reminders and how; the reminders sent lately."""
    user = cast(User, request.user)
    case = get_case_for(user, pk, write=request.method == "POST")
    log_access(request, "case", [case.pk])
    consent = consent_of(case)
    initial: dict[str, Any] = {}
    if consent is not None:
        initial = {"consent": "yes" if consent.consent else "no", "channel": consent.channel}
    form = ReminderConsentForm(
        request.POST or None,
        initial=initial,
        phone=case.referral.phone,
        email=case.referral.email,
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.consent_record(
                case=case,
                consent=form.cleaned_data["consent"],
                channel=form.cleaned_data["channel"],
                by=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Reminders will be sent."
                if form.cleaned_data["consent"]
                else "No reminders will be sent.",
            )
            return redirect("caseload:case-detail", pk=case.pk)
    return render(
        request,
        "caseload/case_reminders.html",
        {
            "case": case,
            "form": form,
            "consent": consent,
            "why_not": why_not_remind(case, consent),
            "reminders": reminders_sent(case=case),
        },
    )


def _from_notify(request: HttpRequest) -> dict[str, Any]:
    """The callback's JSON body if it carries our bearer token; 404 otherwise (and when no
    token is set, the callbacks are off)."""
    expected = settings.NOTIFY_CALLBACK_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Http404("No such page")
    try:
        body = json.loads(request.body)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise Http404("No such page")
    return body


@csrf_exempt
@require_POST
def notify_delivery_receipt(request: HttpRequest) -> HttpResponse:
    """Notify says what became of a message: delivered, or failed and why."""
    body = _from_notify(request)
    matched = service.delivery_record(str(body.get("id", "")), str(body.get("status", "")))
    return JsonResponse({"matched": matched})


@csrf_exempt
@require_POST
def notify_received_text(request: HttpRequest) -> HttpResponse:
    """A text the person sent to the service's number: STOP opts them out."""
    body = _from_notify(request)
    opted_out = service.stop_reply_record(
        str(body.get("source_number", "")), str(body.get("message", "")), by=system_user()
    )
    return JsonResponse({"opted_out": opted_out})
