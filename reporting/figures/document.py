"""The whole quarterly return as one document, and its copy for the OPCC."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.periods import Period
from reporting.figure_table import FIGURES, Breakdown, Figure
from reporting.figures import outcomes, people, service, stability, year

#: Every percentage, mean and median in the return and the count it is over, as (section,
#: key) pairs, from the figure table: what the small-number rule needs to know which to hide.
DENOMINATORS: dict[tuple[str, str], tuple[str, str]] = {
    (line.section, line.key): (
        (line.of.split(".")[0], line.of.split(".")[1])
        if "." in line.of
        else (line.section, line.of)
    )
    for line in FIGURES
    if isinstance(line, Figure | Breakdown)
    and line.suppress in ("percentage", "mean")
    and line.of is not None
}


def quarterly_return(start: date, end: date) -> dict[str, Any]:
    """Every figure of shared/spec/kpi-definitions.md for the period start..end (both
    included), computed in the database. Keys beyond the definitions' are the cohort sizes
    behind percentages that had none, so that small numbers can be suppressed."""
    period = Period(start, end)
    caseload = service.caseload(period)
    reassessed = people.reassessments(period)
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "access": service.access(period),
        "caseload": caseload,
        "hours": service.hours(period),
        "engagement": service.engagement(period),
        "employment": outcomes.employment(period),
        "fidelity": outcomes.fidelity(period, caseload["per_worker"]),
        "enterprise_fund": outcomes.enterprise_fund(period),
        "distance_travelled": people.distance_travelled(reassessed),
        "cumulative": people.cumulative(period),
        "equity": people.equity(period),
        "stability": stability.stability(period, reassessed),
        "voice": stability.voice(period),
        "year": year.year(period),
    }


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
