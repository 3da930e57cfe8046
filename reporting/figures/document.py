"""The whole quarterly return as one document, and its copy for the OPCC."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from core.periods import Period
from reporting.figure_table import FIGURES, Breakdown, Figure
from reporting.figures import outcomes, people, service, stability, year
from reporting.figures.together import Job, run_together

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

    def caseload_hours_and_fidelity() -> dict[str, Any]:
        contacts = service.contact_sums(period)  # one pass for the per-worker rows and hours
        caseload = service.caseload(period, contacts)
        return {
            "caseload": caseload,
            "hours": service.hours(contacts),
            "fidelity": outcomes.fidelity(period, caseload["per_worker"]),
        }

    def reassessed() -> dict[str, Any]:
        changes = people.reassessments(period)
        return {
            "distance_travelled": people.distance_travelled(changes),
            "stability": stability.stability(period, changes),
        }

    def section(name: str, compute: Callable[[Period], dict[str, Any]]) -> Job:
        return lambda: {name: compute(period)}

    # The longest first (at 20,000 clients), so that the side-by-side run ends together.
    sections = run_together(
        [
            caseload_hours_and_fidelity,
            section("engagement", service.engagement),
            section("year", year.year),
            reassessed,
            section("equity", people.equity),
            section("access", service.access),
            section("cumulative", people.cumulative),
            section("employment", outcomes.employment),
            section("enterprise_fund", outcomes.enterprise_fund),
            section("voice", stability.voice),
        ]
    )
    return {"period": {"start": start.isoformat(), "end": end.isoformat()}} | {
        name: sections[name] for name in SECTIONS
    }


#: The document's sections, in the order of the definitions.
SECTIONS = (
    "access",
    "caseload",
    "hours",
    "engagement",
    "employment",
    "fidelity",
    "enterprise_fund",
    "distance_travelled",
    "cumulative",
    "equity",
    "stability",
    "voice",
    "year",
)


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
