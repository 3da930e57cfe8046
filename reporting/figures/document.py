"""The whole quarterly return as one document, and its copy for the OPCC."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from core.periods import Period
from reporting.figures import outcomes, people, service

#: Every percentage in the return and the count it is a share of, as (section, key) pairs:
#: what the small-number rule needs to know which percentages to hide.
PERCENTAGE_DENOMINATORS: dict[tuple[str, str], tuple[str, str]] = {
    **{
        ("engagement", f"sustained_{weeks}_weeks_pct"): (
            "engagement",
            f"sustained_{weeks}_weeks_cohort",
        )
        for weeks in service.SUSTAINED_ENGAGEMENT_WEEKS
    },
    **{
        ("employment", f"sustained_{weeks}_weeks_pct"): (
            "employment",
            f"sustained_{weeks}_weeks_cohort",
        )
        for weeks in outcomes.SUSTAINED_JOB_WEEKS
    },
    ("fidelity", "first_employer_contact_within_30_days_pct"): (
        "fidelity",
        "first_employer_contact_within_30_days_cohort",
    ),
    **{
        ("enterprise_fund", f"businesses_trading_{weeks}_weeks_pct"): (
            "enterprise_fund",
            f"businesses_trading_{weeks}_weeks_cohort",
        )
        for weeks in outcomes.TRADING_WEEKS
    },
    ("distance_travelled", "improved_pct"): ("distance_travelled", "cases_reassessed"),
    ("cumulative", "competitive_employment_rate_pct"): ("cumulative", "people_supported"),
    ("cumulative", "reoffending_rate_pct"): ("cumulative", "people_supported"),
}
#: The counts of people in a per-worker row (the rest are the worker's FTE and rates).
PER_WORKER_COUNTS = ("open_at_end", "active_at_end", "newly_started", "paid_outcomes_started")
SMALL = range(1, 5)


def quarterly_return(start: date, end: date) -> dict[str, Any]:
    """Every figure of shared/spec/kpi-definitions.md for the period start..end (both
    included), computed in the database. Keys beyond the definitions' are the cohort sizes
    behind percentages that had none, so that small numbers can be suppressed."""
    period = Period(start, end)
    caseload = service.caseload(period)
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "access": service.access(period),
        "caseload": caseload,
        "hours": service.hours(period),
        "engagement": service.engagement(period),
        "employment": outcomes.employment(period),
        "fidelity": outcomes.fidelity(period, caseload["per_worker"]),
        "enterprise_fund": outcomes.enterprise_fund(period),
        "distance_travelled": people.distance_travelled(period),
        "cumulative": people.cumulative(period),
        "equity": people.equity(period),
    }


def _suppress_counts(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _suppress_counts(item) for key, item in value.items()}
    if isinstance(value, int) and not isinstance(value, bool) and value in SMALL:
        return "<5"
    return value


def suppress_small_numbers(document: dict[str, Any]) -> dict[str, Any]:
    """The OPCC's copy of a return: counts of 1 to 4 in `equity` and `per_worker` shown as
    "<5", a percentage whose denominator is 1 to 4 as "-", and workers named "Worker 1",
    "Worker 2", ... in the order of their email addresses."""
    suppressed = copy.deepcopy(document)
    suppressed["equity"] = _suppress_counts(document["equity"])
    rows = sorted(document["caseload"]["per_worker"], key=lambda row: row["worker"])
    suppressed["caseload"]["per_worker"] = [
        {
            **row,
            "worker": f"Worker {number}",
            **{key: _suppress_counts(row[key]) for key in PER_WORKER_COUNTS},
        }
        for number, row in enumerate(rows, 1)
    ]
    for (section, key), (of_section, of_key) in PERCENTAGE_DENOMINATORS.items():
        if document[of_section][of_key] in SMALL:
            suppressed[section][key] = "-"
    return suppressed


def figure_rows(document: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """The return as (section, key, value) rows, one per figure: nested objects flattened
    with dotted keys (`referrals_by_source.police`), list items numbered from 1
    (`per_worker.1.worker`)."""
    rows: list[tuple[str, str, Any]] = []

    def add(section: str, key: str, value: Any) -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                add(section, f"{key}.{name}" if key else name, item)
        elif isinstance(value, list):
            for number, item in enumerate(value, 1):
                add(section, f"{key}.{number}", item)
        else:
            rows.append((section, key, value))

    for section, figures in document.items():
        add(section, "", figures)
    return rows
