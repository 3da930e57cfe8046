"""Reviews of the service against the IPS fidelity scale."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core import once
from core.models import User
from core.periods import last_complete_quarter
from reporting.fidelity import scale as fidelity
from reporting.fidelity.evidence import evidence_from_records
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
    evidence = evidence_from_records(start, end)
    suggested = {n: e.suggested for n, e in evidence.items()}
    initial: dict[str, Any] = {
        "period_start": start,
        "period_end": end,
        **{f"evidence_{n}": e.text for n, e in evidence.items()},
        **{f"score_{n}": score for n, score in suggested.items() if score is not None},
    }
    form = FidelityReviewForm(request.POST or None, initial=initial, suggested=suggested)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        review = fidelity_review_record(
            period_start=data["period_start"],
            period_end=data["period_end"],
            scores=form.scores(),
            evidence={item.number: data[f"evidence_{item.number}"] for item in fidelity.ITEMS},
            by=user,
        )
        messages.success(
            request, f"Fidelity review saved: {review.total} of 125, {fidelity.band(review.total)}."
        )
        return redirect("reporting:fidelity-detail", pk=review.pk)
    return render(
        request,
        "reporting/fidelity_form.html",
        {"form": form, "prefilled": sorted(evidence), "start": start, "end": end},
    )


@dataclass(frozen=True)
class ScoredItem:
    item: fidelity.Item
    score: int | None
    evidence: str

    @property
    def meaning(self) -> str:
        """The item's guidance for the score given."""
        return self.item.anchor(self.score) if self.score else ""


@require_GET
def fidelity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A saved review in full: each section's subtotal, each item's score with what that
    score means, and the review's history."""
    review = get_object_or_404(FidelityReview.objects.select_related("by"), pk=pk)
    saved: dict[str, dict[str, Any]] = review.items
    scored = {
        item.number: ScoredItem(
            item=item,
            score=saved.get(str(item.number), {}).get("score"),
            evidence=saved.get(str(item.number), {}).get("evidence", ""),
        )
        for item in fidelity.ITEMS
    }
    subtotals = fidelity.subtotals({n: entry.score for n, entry in scored.items()})
    sections = [
        {"section": section, "subtotal": subtotal, "items": [scored[n] for n in section.numbers]}
        for section, subtotal in subtotals
    ]
    summary = [
        {
            "key": "Period reviewed",
            "value": f"{review.period_start:%-d %B %Y} to {review.period_end:%-d %B %Y}",
        },
        {"key": "Reviewed", "value": f"{review.reviewed_on:%-d %B %Y} by {review.by.full_name}"},
        *(
            {"key": f"{section.name} subtotal", "value": f"{subtotal} of {section.most}"}
            for section, subtotal in subtotals
        ),
        {"key": "Total", "value": f"{review.total} of 125"},
        {"key": "Band", "value": fidelity.band(review.total)},
    ]
    return render(
        request,
        "reporting/fidelity_detail.html",
        {
            "review": review,
            "summary": summary,
            "sections": sections,
            "history": review.history.order_by("history_date").select_related("history_user"),
        },
    )
