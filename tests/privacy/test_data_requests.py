"""DP-4: the log of data-protection requests and its clock: a calendar month from receipt,
two more when extended, stopped while the service waits for the person."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.models import User
from privacy import data_requests as services
from privacy.models import DataRequest
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

SignedIn = Callable[..., Client]
TODAY = date(2026, 11, 22)


def log(manager: User, received: date, **extra: str) -> DataRequest:
    arguments = {"kind": "access", "referral_reference": "", "notes": ""} | extra
    return services.data_request_log(received_date=received, by=manager, today=TODAY, **arguments)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 11, 2), date(2026, 12, 2)),
        (date(2026, 1, 31), date(2026, 2, 28)),  # no 31 February: the month's last day
        (date(2024, 1, 31), date(2024, 2, 29)),
        (date(2025, 12, 15), date(2026, 1, 15)),
    ],
)
def test_a_request_is_due_a_calendar_month_after_it_arrived(
    manager: User, received: date, due: date
) -> None:
    assert log(manager, received).due_date(TODAY) == due


def test_extension_and_stopped_clock_move_the_due_date(manager: User) -> None:
    request = log(manager, date(2026, 10, 1))
    request = services.data_request_pause(
        request=request, on=date(2026, 10, 5), reason="Waiting for ID", by=manager
    )
    # While stopped, each day moves the due date on.
    assert request.due_date(date(2026, 10, 15)) == date(2026, 11, 11)
    request = services.data_request_resume(request=request, on=date(2026, 10, 15), by=manager)
    assert request.paused_days == 10
    assert request.due_date(TODAY) == date(2026, 11, 11)
    request = services.data_request_extend(request=request, reason="Many records", by=manager)
    assert request.due_date(TODAY) == date(2027, 1, 11)
    with pytest.raises(ValidationError, match="extended already"):
        services.data_request_extend(request=request, reason="Again", by=manager)


def test_references_count_up_within_the_year(manager: User) -> None:
    assert [log(manager, date(2026, 3, 1)).reference for _ in range(3)] == [
        "DPR-2026-001",
        "DPR-2026-002",
        "DPR-2026-003",
    ]
    assert log(manager, date(2025, 12, 30)).reference == "DPR-2025-001"


def test_a_request_links_to_the_person_by_referral_reference(
    manager: User, specialist: User
) -> None:
    case = CaseFactory(worker=specialist)
    request = log(manager, date(2026, 11, 1), referral_reference=case.referral.reference.lower())
    assert request.referral == case.referral
    with pytest.raises(ValidationError) as refused:
        log(manager, date(2026, 11, 1), referral_reference="E4E-NOPE")
    assert "No referral has that reference" in str(refused.value)
    with pytest.raises(ValidationError, match="future"):
        log(manager, date(2026, 11, 23))


def test_closing_needs_an_outcome_and_restarts_a_stopped_clock(manager: User) -> None:
    request = log(manager, date(2026, 11, 1))
    services.data_request_pause(request=request, on=date(2026, 11, 3), reason="ID", by=manager)
    with pytest.raises(ValidationError):
        services.data_request_close(
            request=request, status="done", on=TODAY, outcome=" ", by=manager
        )
    closed = services.data_request_close(
        request=request, status="refused", on=date(2026, 11, 10), outcome="No ID", by=manager
    )
    assert (closed.status, closed.paused_days, closed.paused_since) == ("refused", 7, None)
    with pytest.raises(ValidationError, match="closed already"):
        services.data_request_close(
            request=closed, status="done", on=TODAY, outcome="Again", by=manager
        )


def test_the_pages_log_a_request_and_show_what_is_overdue(
    signed_in: SignedIn, manager: User
) -> None:
    client = signed_in(manager)
    response = client.post(
        reverse("data-requests:new"),
        {
            "kind": "erasure",
            "received_date_0": "1",
            "received_date_1": "9",
            "received_date_2": "2026",
            "referral_reference": "",
            "notes": "By letter",
        },
    )
    request = DataRequest.objects.get()
    assert response["Location"] == reverse("data-requests:detail", args=[request.pk])
    listing = client.get(reverse("data-requests:list")).content.decode()
    assert request.reference in listing and "Overdue" in listing

    refused = client.post(reverse("data-requests:extend", args=[request.pk]), {"extend-reason": ""})
    assert "Explain why the request is complex" in refused.content.decode()
    assert not DataRequest.objects.get().extended

    client.post(
        reverse("data-requests:close", args=[request.pk]),
        {
            "close-status": "done",
            "close-on_0": "2",
            "close-on_1": "9",
            "close-on_2": "2026",
            "close-outcome": "Details removed",
        },
    )
    assert DataRequest.objects.get().status == "done"
    assert "No request is open." in client.get(reverse("data-requests:list")).content.decode()


def test_only_managers_see_the_requests(signed_in: SignedIn, specialist: User) -> None:
    assert signed_in(specialist).get(reverse("data-requests:list")).status_code == 403
