"""Recording a review against the IPS fidelity scale."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import history
from core.models import User
from reporting.fidelity.models import FidelityReview
from reporting.fidelity.scale import ITEMS


@transaction.atomic
def fidelity_review_record(
    *,
    period_start: date,
    period_end: date,
    scores: dict[int, int],
    evidence: dict[int, str],
    by: User,
) -> FidelityReview:
    numbers = [item.number for item in ITEMS]
    missing = [n for n in numbers if scores.get(n) not in range(1, 6)]
    if missing:
        raise ValidationError(f"Score every item from 1 to 5 (missing: {missing}).")
    items = {str(n): {"score": scores[n], "evidence": evidence.get(n, "")} for n in numbers}
    review = FidelityReview(
        period_start=period_start,
        period_end=period_end,
        reviewed_on=timezone.localdate(),
        items=items,
        total=sum(scores[n] for n in numbers),
        by=by,
    )
    review.full_clean()
    history.save(review, by=by)
    return review
