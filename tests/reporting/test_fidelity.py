"""IPS fidelity reviews: 25 items, total and band, evidence pre-filled from the records."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from core.models import User
from reporting.fidelity.models import FidelityReview
from reporting.fidelity.scale import band

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (125, "Exemplary fidelity"),
        (115, "Exemplary fidelity"),
        (114, "Good fidelity"),
        (100, "Good fidelity"),
        (99, "Fair fidelity"),
        (74, "Fair fidelity"),
        (73, "Not supported employment"),
        (25, "Not supported employment"),
    ],
)
def test_the_total_falls_in_the_scales_bands(total: int, expected: str) -> None:
    assert band(total) == expected


@time_machine.travel(datetime.datetime(2026, 11, 22, 12, 0), tick=False)
def test_a_review_prefills_evidence_for_the_last_quarter_and_saves_the_total(
    signed_in: Callable[..., Client], manager: User
) -> None:
    client = signed_in(manager)
    page = client.get(reverse("reporting:fidelity-new"))
    form = page.context["form"]
    assert form.initial["period_start"] == datetime.date(2026, 7, 1)
    assert form.initial["period_end"] == datetime.date(2026, 9, 30)
    assert "caseloads at the end of the period" in form.initial["evidence_1"]
    assert "employer contacts per FTE per week" in form.initial["evidence_17"]
    data = {
        "period_start_0": "1",
        "period_start_1": "7",
        "period_start_2": "2026",
        "period_end_0": "30",
        "period_end_1": "9",
        "period_end_2": "2026",
    }
    data.update({f"score_{n}": "4" for n in range(1, 26)})
    missing_one = {k: v for k, v in data.items() if k != "score_7"}
    refused = client.post(reverse("reporting:fidelity-new"), missing_one)
    assert "Score item 7 from 1 to 5" in refused.content.decode()
    assert not FidelityReview.objects.exists()
    data["score_1"] = "5"
    client.post(reverse("reporting:fidelity-new"), data)
    review = FidelityReview.objects.get()
    assert review.total == 101 and band(review.total) == "Good fidelity"
    assert review.history.latest().history_user == manager


def test_specialists_cannot_open_fidelity_reviews(
    signed_in: Callable[..., Client], specialist: User
) -> None:
    assert signed_in(specialist).get(reverse("reporting:fidelity-new")).status_code == 403
