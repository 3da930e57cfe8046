"""The whole quarterly return as one document, and its copy for the OPCC."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from core.periods import Period
from reporting.figure_table import FIGURES, Breakdown, Figure, Line, PerWorker
from reporting.figures import outcomes, people, service

#: Every percentage in the return and the count it is a share of, as (section, key) pairs,
#: from the figure table: what the small-number rule needs to know which percentages to hide.
PERCENTAGE_DENOMINATORS: dict[tuple[str, str], tuple[str, str]] = {
    (line.section, line.key): (line.section, line.of)
    for line in FIGURES
    if isinstance(line, Figure) and line.suppress == "percentage" and line.of is not None
}
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
    """The OPCC's copy of a return, by what the figure table says of each figure: a count
    of 1 to 4 marked "count" (equity's breakdowns, the per-worker counts) shown as "<5", a
    percentage or mean whose count is 1 to 4 as "-", and workers named "Worker 1",
    "Worker 2", ... in the order of their email addresses."""
    suppressed = copy.deepcopy(document)
    for line in FIGURES:
        exact, shown = document.get(line.section) or {}, suppressed.get(line.section) or {}
        if line.key not in exact:
            continue  # nothing to show, so nothing to hide (a snapshot older than the figure)
        if isinstance(line, PerWorker):
            counts = [column.key for column in line.columns if column.suppress == "count"]
            rows = sorted(exact[line.key], key=lambda row: row[line.worker])
            shown[line.key] = [
                {
                    **row,
                    line.worker: f"Worker {number}",
                    **{key: _suppress_counts(row[key]) for key in counts},
                }
                for number, row in enumerate(rows, 1)
            ]
        elif line.suppress == "count" and isinstance(line, Breakdown) and line.by is not None:
            # Every cell under the breakdown, declared category or not: none escapes the rule.
            shown[line.key][line.by] = _suppress_counts(exact[line.key][line.by])
        elif line.suppress == "count":
            shown[line.key] = _suppress_counts(exact[line.key])
        elif line.suppress in ("percentage", "mean") and _over_few(line, exact):
            shown[line.key] = "-"
    return suppressed


def _over_few(line: Line, section: dict[str, Any]) -> bool:
    """Whether the percentage or mean `line` is over 1 to 4 people (its count, `of`)."""
    return isinstance(line, Figure) and line.of is not None and section[line.of] in SMALL


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
