"""Reviews of the service against the IPS fidelity scale."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core import once
from core.models import User
from core.periods import last_complete_quarter
from reporting.fidelity import scale as fidelity
from reporting.fidelity.forms import FidelityReviewForm
from reporting.fidelity.models import FidelityReview
from reporting.fidelity.services import fidelity_review_record


def fidelity_list(request: HttpRequest) -> HttpResponse:
    reviews = [(r, fidelity.band(r.total)) for r in FidelityReview.objects.select_related("by")]
    return render(request, "reporting/fidelity_list.html", {"reviews": reviews})


@require_http_methods(["GET", "POST"])
@once.create_view
def fidelity_new(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    quarter = last_complete_quarter(timezone.localdate())
    start, end = quarter.start, quarter.end
    prefilled = fidelity.evidence_from_records(start, end)
    initial: dict[str, Any] = {
        "period_start": start,
        "period_end": end,
        **{f"evidence_{n}": text for n, text in prefilled.items()},
    }
    form = FidelityReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        review = fidelity_review_record(
            period_start=data["period_start"],
            period_end=data["period_end"],
            scores={n: data[f"score_{n}"] for n, _ in fidelity.ITEMS},
            evidence={n: data[f"evidence_{n}"] for n, _ in fidelity.ITEMS},
            by=user,
        )
        messages.success(
            request, f"Fidelity review saved: {review.total} of 125, {fidelity.band(review.total)}."
        )
        return redirect("reporting:fidelity-list")
    return render(
        request,
        "reporting/fidelity_form.html",
        {"form": form, "prefilled": sorted(prefilled), "start": start, "end": end},
    )
