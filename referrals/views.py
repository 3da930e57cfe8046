"""Referral screening pages: the queue, a referral, entering one, and the decisions.

Every referral is fetched through get_referral_for, so one the user may not see is 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core import once
from core.access import may
from core.audit import log_access
from core.confirm import confirm_with_reason
from core.models import User
from core.utils import add_service_errors
from referrals import services
from referrals.eligibility import age_on, eligibility_checks
from referrals.forms import (
    RISKS,
    WANTS,
    QueueFilterForm,
    RejectForm,
    StaffReferralForm,
    StatusForm,
)
from referrals.models import PartnerSubmission, Referral
from referrals.selectors import (
    erasure_refusal,
    get_referral_for,
    is_overdue,
    may_decide_referrals,
    overdue_count,
    possible_duplicates,
    referral_history,
    referral_queue,
)

PAGE_SIZE = 25

Row = dict[str, Any]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def referral_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    form = QueueFilterForm(request.GET or None)
    filters: dict[str, object] = {}
    if form.is_bound:
        form.is_valid()
        data = form.cleaned_data
        filters = {
            "statuses": data.get("status") or None,
            "source": data.get("source") or "",
            "received_from": data.get("received_from"),
            "received_to": data.get("received_to"),
            "reference": data.get("reference") or "",
        }
    referrals = referral_queue(user, today=today, **filters)  # type: ignore[arg-type]
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    log_access(request, "referral", [referral.pk for referral in page])
    return render(
        request,
        "referrals/list.html",
        {
            "form": form,
            "page_obj": page,
            "filtered": any(filters.values()),
            "overdue": overdue_count(user, today=today),
            "can_decide": may_decide_referrals(user),
        },
    )


@require_http_methods(["GET", "POST"])
@once.create_view
def referral_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = StaffReferralForm(
        request.POST if request.method == "POST" else None,
        initial={"received_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(by=user, **form.referral_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Referral {referral.reference} recorded.")
            return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/new.html", {"form": form})


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _summary(referral: Referral, partner: PartnerSubmission | None) -> dict[str, list[Row]]:
    """The referral's answers as summary-list rows, by section."""
    wants = [label for name, label in WANTS if getattr(referral, name)]
    risks = [label for name, label in RISKS if getattr(referral, name)]
    age = age_on(referral.date_of_birth, referral.received_date)
    via = f"Partner link for {partner.link.organisation}" if partner else "Entered by staff"
    return {
        "Referral": [
            {"key": "Received", "value": _long_date(referral.received_date)},
            {"key": "Source", "value": referral.get_source_display()},
            {"key": "How it came in", "value": via},
            {"key": "Referrer", "value": referral.referrer_name or "Not given"},
            {"key": "Organisation", "value": referral.referrer_organisation or "Not given"},
            {"key": "Referrer's email", "value": referral.referrer_email or "Not given"},
            {"key": "Referrer's phone", "value": referral.referrer_phone or "Not given"},
        ],
        "Person": [
            {"key": "Name", "value": referral.full_name},
            {
                "key": "Date of birth",
                "value": f"{_long_date(referral.date_of_birth)} (aged {age} when referred)",
            },
            {"key": "Gender", "value": referral.get_gender_display()},
            {"key": "Ethnic group", "value": referral.get_ethnicity_display()},
            {"key": "Preferred language", "value": referral.preferred_language or "Not given"},
            {"key": "Phone", "value": referral.phone or "Not given"},
            {"key": "Email", "value": referral.email or "Not given"},
            {"key": "Postcode", "value": referral.postcode or "Not given"},
        ],
        "Why they are referred": [
            {"key": "Cohort", "value": referral.get_cohort_display()},
            {"key": "Reason", "value": referral.reason or "Not given"},
            {"key": "Wants help with", "value": ", ".join(wants) or "Not given"},
        ],
        "Risks": [
            {"key": "Known risks", "value": ", ".join(risks) or "None known"},
            {"key": "Areas they cannot go to", "value": referral.unsafe_areas or "None given"},
            {"key": "Other risk notes", "value": referral.risk_notes or "None given"},
            {"key": "Agreed to the referral", "value": _yes_no(referral.consent)},
        ],
    }


def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = get_referral_for(user, pk)
    partner = PartnerSubmission.objects.select_related("link").filter(referral=referral).first()
    duplicates = possible_duplicates(referral, user)
    # The duplicates are shown by name too, so their viewing is logged with the referral's.
    log_access(request, "referral", [referral.pk, *(d.referral.pk for d in duplicates)])
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "case": getattr(referral, "case", None),
            "checks": [
                [check.name, {"text": check.outcome, "tag": check.colour}, check.reason]
                for check in eligibility_checks(referral)
            ],
            "check_head": ["Check", "Result", "Reason"],
            "summary": _summary(referral, partner),
            "duplicates": duplicates,
            "history": referral_history(referral),
            "can_decide": may_decide_referrals(user) and not referral.is_decided,
            "can_erase": may(user, "privacy:erase") and erasure_refusal(referral) is None,
            "is_overdue": is_overdue(referral, timezone.localdate()),
            "partner": partner,
        },
    )


_STATUS_PHRASES: dict[str, str] = {
    Referral.Status.RECEIVED: "back to received",
    Referral.Status.SCREENING: "being screened",
    Referral.Status.WAITING_LIST: "on the waiting list",
}


@require_POST
def referral_set_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = get_referral_for(user, pk, write=True)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a status.")
        return redirect("referrals:detail", pk=referral.pk)
    try:
        referral = services.referral_set_status(
            referral=referral, status=form.cleaned_data["status"], by=user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        now = _STATUS_PHRASES.get(referral.status, referral.get_status_display().lower())
        messages.success(request, f"Referral {referral.reference} is now {now}.")
    return redirect("referrals:detail", pk=referral.pk)


def already_decided(request: HttpRequest, referral: Referral) -> HttpResponse:
    """Back to the referral, saying it was decided already (a second tab, a double post)."""
    messages.info(
        request,
        f"Referral {referral.reference} has already been decided "
        f"({referral.get_status_display().lower()}).",
    )
    return redirect("referrals:detail", pk=referral.pk)


@require_http_methods(["GET", "POST"])
def referral_reject(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = get_referral_for(user, pk, write=True)
    if referral.is_decided:
        return already_decided(request, referral)
    log_access(request, "referral", [referral.pk])
    form = RejectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_reject(
                referral=referral,
                reason=form.cleaned_data["reason"],
                rationale=form.cleaned_data["rationale"],
                by=user,
                notify_referrer=True,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Referral {referral.reference} rejected.")
            return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/reject.html", {"referral": referral, "form": form})


@require_http_methods(["GET", "POST"])
def referral_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = get_referral_for(user, pk, write=True)
    if referral.is_decided:
        return already_decided(request, referral)
    log_access(request, "referral", [referral.pk])
    return confirm_with_reason(
        request,
        label="Why is the referral being withdrawn?",
        required_message="Enter why the referral is being withdrawn",
        hint="For example, they asked to stop, or could not be reached after three tries.",
        act=lambda reason: services.referral_withdraw(referral=referral, reason=reason, by=user),
        done=f"Referral {referral.reference} withdrawn.",
        then=reverse("referrals:detail", args=[referral.pk]),
        template="referrals/withdraw.html",
        context={"referral": referral},
    )


@require_http_methods(["GET", "POST"])
def referral_waiting_list_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Put an undecided referral on the waiting list, saying why, after a confirmation."""
    user = _user(request)
    referral = get_referral_for(user, pk, write=True)
    if referral.is_decided:
        return already_decided(request, referral)
    log_access(request, "referral", [referral.pk])
    return confirm_with_reason(
        request,
        label="Why is the referral going on the waiting list?",
        required_message="Enter why the referral is going on the waiting list",
        hint="For example, every specialist's caseload is full.",
        act=lambda reason: services.referral_set_status(
            referral=referral, status=Referral.Status.WAITING_LIST, reason=reason, by=user
        ),
        done=f"Referral {referral.reference} is now on the waiting list.",
        then=reverse("referrals:detail", args=[referral.pk]),
        template="referrals/waiting_list_add.html",
        context={"referral": referral},
    )
