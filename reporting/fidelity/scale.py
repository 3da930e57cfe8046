"""The IPS 25-item fidelity scale: items, bands, and the evidence the records can give."""

from __future__ import annotations

from datetime import date
from typing import Any

#: (item number, name) in the order of the IPS Supported Employment Fidelity Scale.
ITEMS: list[tuple[int, str]] = [
    (1, "Caseload size"),
    (2, "Employment services staff"),
    (3, "Vocational generalists"),
    (4, "Integration of rehabilitation with mental health treatment through team assignment"),
    (5, "Integration of rehabilitation with mental health treatment through frequent contact"),
    (6, "Collaboration between employment specialists and vocational rehabilitation"),
    (7, "Vocational unit"),
    (8, "Role of the employment supervisor"),
    (9, "Zero exclusion criteria"),
    (10, "Agency focus on competitive employment"),
    (11, "Executive team support for supported employment"),
    (12, "Work incentives planning"),
    (13, "Disclosure"),
    (14, "Ongoing, work-based vocational assessment"),
    (15, "Rapid search for competitive jobs"),
    (16, "Individualised job search"),
    (17, "Job development: frequent employer contact"),
    (18, "Job development: quality of employer contact"),
    (19, "Diversity of job types"),
    (20, "Diversity of employers"),
    (21, "Competitive jobs"),
    (22, "Individualised follow-along supports"),
    (23, "Time-unlimited follow-along supports"),
    (24, "Community-based services"),
    (25, "Assertive engagement and outreach by the integrated team"),
]

#: (lowest total, band) from the top: 115-125 exemplary, 100-114 good, 74-99 fair.
BANDS: list[tuple[int, str]] = [
    (115, "Exemplary fidelity"),
    (100, "Good fidelity"),
    (74, "Fair fidelity"),
    (0, "Not supported employment"),
]


def band(total: int) -> str:
    return next(label for lowest, label in BANDS if total >= lowest)


def evidence_from_records(start: date, end: date) -> dict[int, str]:
    """What the records say for the items they can evidence, from the return's figures for
    the period (the one computation of every figure)."""
    from reporting.figures import figures_for

    figures: dict[str, Any] = figures_for(start, end)
    workers = figures["caseload"]["per_worker"]
    caseloads = ", ".join(
        f"{w['open_at_end']} open of {w['capacity']} ({w['fte']} FTE)" for w in workers
    )
    contacts = ", ".join(str(w["face_to_face_employer_contacts_per_fte_week"]) for w in workers)
    first_contact = figures["fidelity"]["first_employer_contact_days_mean"]
    within_30 = figures["fidelity"]["first_employer_contact_within_30_days_pct"]
    open_days = figures["caseload"]["days_on_caseload_open_mean"]
    period = f"{start:%-d %b %Y} to {end:%-d %b %Y}"
    return {
        1: f"{period}: caseloads at the end of the period: {caseloads or 'none'}. "
        f"Workers over capacity: {figures['fidelity']['caseload_over_capacity_workers']}.",
        15: f"{period}: mean days from the start of support to the first face-to-face "
        f"employer contact: {first_contact if first_contact is not None else 'no cases'}; "
        f"within 30 days: {within_30 if within_30 is not None else '-'}%.",
        17: f"{period}: face-to-face employer contacts per FTE per week, by worker: "
        f"{contacts or 'none'} (high fidelity: 6 or more).",
        23: f"{period}: mean days on the caseload of the cases open at the end: "
        f"{open_days if open_days is not None else '-'}; cases closed in the period: "
        f"{figures['caseload']['closed']}.",
    }
