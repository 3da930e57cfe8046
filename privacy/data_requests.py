"""Data-protection requests (DP-4): logging them, their clock, and closing them.

A request is due one calendar month after it was received, three when extended (complex
requests; the person must be told within the first month), and the clock stops while the
service waits for proof of identity or a clarification. The work itself is done elsewhere:
the subject access download (core/subject_access.py) and erasure (core/retention.py), both
from the person's referral page.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from core import history
from core.models import User
from privacy.models import DataRequest
from referrals.models import Referral


def _save(request: DataRequest, by: User, reason: str) -> DataRequest:
    request.full_clean()
    return history.save(request, by=by, reason=reason)


def _locked(request: DataRequest) -> DataRequest:
    return DataRequest.objects.select_for_update().get(pk=request.pk)


def _next_reference(year: int) -> str:
    prefix = f"DPR-{year}-"
    taken = DataRequest.objects.select_for_update().filter(reference__startswith=prefix)
    numbers = [int(ref.removeprefix(prefix)) for ref in taken.values_list("reference", flat=True)]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


@transaction.atomic
def data_request_log(
    *,
    kind: str,
    received_date: datetime.date,
    referral_reference: str,
    notes: str,
    by: User,
    today: datetime.date,
) -> DataRequest:
    """Log a request as received; `referral_reference` links it to the person, if known."""
    if received_date > today:
        raise ValidationError({"received_date": "The date received must not be in the future"})
    referral = None
    if referral_reference.strip():
        referral = Referral.objects.filter(reference=referral_reference.strip().upper()).first()
        if referral is None:
            raise ValidationError(
                {
                    "referral_reference": "No referral has that reference: check it, or leave it "
                    "blank until the person is found"
                }
            )
    request = DataRequest(
        reference=_next_reference(received_date.year),
        kind=kind,
        received_date=received_date,
        referral=referral,
        notes=notes,
        logged_by=by,
    )
    return _save(request, by, "Logged")


@transaction.atomic
def data_request_pause(
    *, request: DataRequest, on: datetime.date, reason: str, by: User
) -> DataRequest:
    """Stop the clock: the service is waiting for the person (identity, clarification)."""
    request = _locked(request)
    if request.status != DataRequest.Status.OPEN:
        raise ValidationError("Only an open request's clock can be stopped.")
    if on < request.received_date:
        raise ValidationError({"on": "The clock cannot stop before the request was received"})
    request.status = DataRequest.Status.PAUSED
    request.paused_since = on
    request.pause_reason = reason
    return _save(request, by, "Clock stopped")


def _resume(request: DataRequest, on: datetime.date) -> None:
    if request.paused_since is not None:
        if on < request.paused_since:
            raise ValidationError({"on": "The clock cannot restart before it stopped"})
        request.paused_days += (on - request.paused_since).days
    request.paused_since = None
    request.status = DataRequest.Status.OPEN


@transaction.atomic
def data_request_resume(*, request: DataRequest, on: datetime.date, by: User) -> DataRequest:
    """Restart the clock: the person answered. The days it was stopped move the due date."""
    request = _locked(request)
    if request.status != DataRequest.Status.PAUSED:
        raise ValidationError("The clock of this request is not stopped.")
    _resume(request, on)
    return _save(request, by, "Clock restarted")


@transaction.atomic
def data_request_extend(*, request: DataRequest, reason: str, by: User) -> DataRequest:
    """Extend by two months, once, for a complex request; the reason is kept."""
    request = _locked(request)
    if request.is_closed:
        raise ValidationError("This request is closed.")
    if request.extended:
        raise ValidationError("This request has been extended already.")
    if not reason.strip():
        raise ValidationError({"reason": "Explain why the request is complex"})
    request.extended = True
    request.extension_reason = reason.strip()
    return _save(request, by, "Extended by two months")


@transaction.atomic
def data_request_close(
    *, request: DataRequest, status: str, on: datetime.date, outcome: str, by: User
) -> DataRequest:
    """Close as done or refused, with what was done (or why not)."""
    request = _locked(request)
    if request.is_closed:
        raise ValidationError("This request is closed already.")
    if status not in (DataRequest.Status.DONE, DataRequest.Status.REFUSED):
        raise ValidationError({"status": "Choose whether it was done or refused"})
    if not outcome.strip():
        raise ValidationError({"outcome": "Write what was done, or why it was refused"})
    if on < request.received_date:
        raise ValidationError({"on": "It cannot close before it was received"})
    if request.status == DataRequest.Status.PAUSED:
        _resume(request, on)
    request.status = status
    request.closed_date = on
    request.outcome = outcome.strip()
    return _save(request, by, "Closed")


def data_requests_listed() -> tuple[list[DataRequest], QuerySet[DataRequest]]:
    """The requests still open, soonest due first, and the closed ones, newest first."""
    requests = DataRequest.objects.select_related("referral")
    still_open = sorted(
        requests.exclude(status__in=[DataRequest.Status.DONE, DataRequest.Status.REFUSED]),
        key=lambda request: (request.due_date(), request.pk),
    )
    closed = requests.filter(status__in=[DataRequest.Status.DONE, DataRequest.Status.REFUSED])
    return still_open, closed.order_by("-closed_date", "-pk")
