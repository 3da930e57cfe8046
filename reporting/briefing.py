"""The first page of the return: the headline figures, each beside last quarter and the
financial year to date against the year's targets (statement of requirement 8.3 and 8.4).

What the comparison reads is frozen with the return's figures (`comparison_for`, stored by
the snapshot job), so a signed-off return's first page never changes; the values shown to
the OPCC pass through the same small-number rules as the rest of the return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from core.charts import format_value
from core.periods import previous_quarter, quarter_of
from reporting.figures.suppression import opcc_document

#: A cell with nothing to compare (an en dash).
NOT_COMPARED = "\u2013"


@dataclass(frozen=True)
class HeadlineRow:
    label: str
    this_quarter: str
    last_quarter: str
    year_to_date: str
    target: str


def comparison_for(start: date, end: date) -> dict[str, Any]:
    """What the first page compares the quarter with, as it stands now: the exact figures
    of the quarter before, and the latest fidelity review on or before the quarter's end."""
    from reporting.fidelity.models import FidelityReview
    from reporting.fidelity.scale import band
    from reporting.figures import figures_for

    before = previous_quarter(quarter_of(start))
    review = FidelityReview.objects.filter(reviewed_on__lte=end).order_by("-reviewed_on").first()
    return {
        "previous_quarter": figures_for(before.start, before.end),
        "fidelity": None
        if review is None
        else {
            "reviewed_on": review.reviewed_on.isoformat(),
            "total": review.total,
            "band": band(review.total),
        },
    }


def _get(doc: dict[str, Any] | None, section: str, key: str) -> Any:
    return ((doc or {}).get(section) or {}).get(key)


def _paid_starts(doc: dict[str, Any] | None) -> Any:
    keys = ("paid_employment_starts", "self_employment_starts")
    paid = [_get(doc, "employment", key) for key in keys]
    return sum(paid) if all(isinstance(value, int) for value in paid) else None


def _year_total(doc: dict[str, Any], key: str) -> Any:
    rows = _get(doc, "year", "per_worker") or []
    values = [row.get(key) for row in rows]
    numbers = [value for value in values if isinstance(value, int | float)]
    return sum(numbers) if rows and len(numbers) == len(values) else None


def _against(value: Any, target: Any) -> str:
    if not isinstance(target, int | float) or not target:
        return NOT_COMPARED
    shown = format_value(round(float(target), 1), "decimal")
    if isinstance(value, int | float):
        return f"{shown} ({100 * value / target:.0f}% reached)"
    return shown


def headline(exact: dict[str, Any], comparison: dict[str, Any] | None) -> list[HeadlineRow]:
    """The headline rows as the OPCC may see them, from the return's exact figures and its
    frozen comparison (None for a return frozen before the first page had one)."""
    shown = opcc_document(exact)
    before = None
    if comparison and comparison.get("previous_quarter"):
        before = opcc_document(comparison["previous_quarter"])

    def row(label: str, section: str, key: str, kind: str = "count", **year: str) -> HeadlineRow:
        return HeadlineRow(
            label,
            format_value(_get(shown, section, key), kind),
            format_value(_get(before, section, key), kind) if before else NOT_COMPARED,
            year.get("to_date", NOT_COMPARED),
            year.get("target", NOT_COMPARED),
        )

    people_to_date = _year_total(exact, "people_accessed")
    paid_to_date = _get(exact, "year", "paid_starts_fytd")
    fidelity = (comparison or {}).get("fidelity")
    return [
        row("People supported since the service began", "cumulative", "people_supported"),
        row(
            "New referrals",
            "access",
            "new_referrals",
            to_date=format_value(_get(exact, "year", "referrals_fytd")),
        ),
        row(
            "People starting on the service",
            "caseload",
            "newly_started",
            to_date=format_value(people_to_date),
            target=_against(people_to_date, _year_total(exact, "people_target")),
        ),
        row("Active caseload at the end of the quarter", "caseload", "active_at_end"),
        HeadlineRow(
            "Paid outcomes started (jobs and businesses)",
            format_value(_paid_starts(shown)),
            format_value(_paid_starts(before)) if before else NOT_COMPARED,
            format_value(paid_to_date),
            _against(paid_to_date, _year_total(exact, "paid_outcomes_target")),
        ),
        row("Paid work sustained 13 weeks", "employment", "sustained_13_weeks_pct", "pct"),
        HeadlineRow(
            "IPS fidelity score, latest review (out of 125)",
            f"{fidelity['total']}: {fidelity['band']} "
            f"({date.fromisoformat(fidelity['reviewed_on']):%-d %B %Y})"
            if fidelity
            else "No review yet",
            NOT_COMPARED,
            NOT_COMPARED,
            "100 or more (good fidelity)",
        ),
    ]
