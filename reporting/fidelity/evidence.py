"""What the records say for the fidelity items they can inform, and the score they suggest.

Read only from the return's figures for the period (`figures_for`, the one computation of
every figure), never from queries of its own: where the return has no figure an item needs,
the evidence says so and suggests no score, and the reviewer scores it from the case records.
A suggestion applies the item's anchors (reporting.fidelity.scale) to a figure; the reviewer
may change it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from core.codes import Need, RejectionReason, Source
from reporting.figures.common import percentage, ratio

#: The rejections the scale counts as screening people out: on readiness or on risk (its
#: "history of violent behaviour"), not on the contract's eligibility, capacity or duplicates.
SCREENED_OUT = (RejectionReason.NOT_READY, RejectionReason.RISK_UNACCEPTABLE)


@dataclass(frozen=True)
class Evidence:
    text: str
    #: The score the figures suggest, 1-5; None where they cannot suggest one.
    suggested: int | None = None


Figures = dict[str, Any]


def evidence_from_records(start: date, end: date) -> dict[int, Evidence]:
    """Item number -> what the return's figures for start..end say for it."""
    from reporting.figures import figures_for

    figures: Figures = figures_for(start, end)
    period = f"{start:%-d %b %Y} to {end:%-d %b %Y}"
    evidence = {number: read(figures) for number, read in READERS.items()}
    return {n: Evidence(f"{period}: {e.text}", e.suggested) for n, e in evidence.items()}


def at_most(value: float, limits: tuple[float, float, float, float]) -> int:
    """The score for a figure where lower is better: 5 up to limits[0], 4 up to limits[1],
    3 up to limits[2], 2 up to limits[3], else 1."""
    return next((5 - i for i, limit in enumerate(limits) if value <= limit), 1)


def at_least(value: float, limits: tuple[float, float, float, float]) -> int:
    """The score for a figure where higher is better: 5 from limits[0], 4 from limits[1],
    3 from limits[2], 2 from limits[3], else 1."""
    return next((5 - i for i, limit in enumerate(limits) if value >= limit), 1)


def _shown(value: Any, unit: str = "") -> str:
    return "-" if value is None else f"{value}{unit}"


def caseload(figures: Figures) -> Evidence:
    """Item 1: the highest caseload per FTE at the end of the period, as the scale's limit is
    on any one specialist."""
    rows = [row for row in figures["caseload"]["per_worker"] if row["fte"]]
    per_fte = [ratio(row["open_at_end"], Decimal(str(row["fte"]))) or 0.0 for row in rows]
    by_worker = ", ".join(
        f"{row['open_at_end']} open at {row['fte']} FTE ({value} per FTE)"
        for row, value in zip(rows, per_fte, strict=True)
    )
    over = figures["fidelity"]["caseload_over_capacity_workers"]
    if not per_fte:
        return Evidence(f"caseloads at the end of the period: none. Workers over capacity: {over}.")
    highest = max(per_fte)
    return Evidence(
        f"caseloads at the end of the period: {by_worker}. Highest: {highest} per FTE, "
        f"against the scale's 20 or fewer. Workers over capacity: {over}.",
        at_most(highest, (20, 25, 30, 40)),
    )


def vocational_rehabilitation(figures: Figures) -> Evidence:
    """Item 6: referrals from the public employment service show some joint working."""
    dwp = figures["access"]["referrals_by_source"][Source.DWP]
    return Evidence(
        f"referrals from DWP / Jobcentre Plus: {dwp}. The return has no figure of contact with "
        "work coaches about shared people."
    )


def zero_exclusion(figures: Figures) -> Evidence:
    """Item 9: refusals on readiness or risk, against the referrals decided."""
    access = figures["access"]
    reasons = access["rejections_by_reason"]
    by_reason = ", ".join(f"{RejectionReason(code).label} {n}" for code, n in reasons.items())
    decided = access["accepted"] + access["rejected"]
    screened = sum(reasons.get(code, 0) for code in SCREENED_OUT)
    sources = sum(1 for n in access["referrals_by_source"].values() if n)
    text = (
        f"referrals accepted {access['accepted']}, rejected {access['rejected']}. Rejections by "
        f"reason: {by_reason}. Refused as not ready or on risk (screening out, to the scale): "
        f"{screened} of {decided} decided. Referrals came from {sources} kinds of source."
    )
    if not decided:
        return Evidence(text)
    suggested = 5 if not screened else 3 if 2 * screened <= decided else 2
    return Evidence(text, suggested)


def competitive_focus(figures: Figures) -> Evidence:
    """Item 10: the return itself measures the rate of paid work each quarter (one element)."""
    cumulative = figures["cumulative"]
    return Evidence(
        "the quarterly return measures the rate of paid work each quarter: "
        f"{cumulative['people_into_paid_work']} of {cumulative['people_supported']} people "
        f"supported to date have started paid work "
        f"({_shown(cumulative['competitive_employment_rate_pct'], '%')})."
    )


def work_incentives(figures: Figures) -> Evidence:
    """Item 12: signposting for benefits advice is the nearest figure the return has."""
    stability = figures["stability"]
    benefits = stability["signposted_by_need"][Need.BENEFITS]
    return Evidence(
        f"signposted for benefits advice: {benefits} (of {stability['signposted']} "
        f"signposted). Finances improved for {_shown(stability['finances_improved_pct'], '%')} "
        "of those reassessed. The return has no figure of benefits plans or better-off "
        "calculations before a job start: check the case records."
    )


def disclosure(figures: Figures) -> Evidence:
    """Item 13: the share of the people active at the end with a plan for disclosing their
    convictions in their vocational profile (a plan recorded stands for the practices being
    talked through; the reviewer checks a sample for the four practices)."""
    fidelity = figures["fidelity"]
    share = fidelity["disclosure_plan_pct"]
    text = (
        "people active at the end with a plan for disclosing convictions: "
        f"{_shown(share, '%')} of {fidelity['disclosure_plan_cohort']}. Check a sample of "
        "plans for the four practices."
    )
    if share is None:
        return Evidence(text)
    return Evidence(text, at_least(share, (90, 75, 50, 25)))


def vocational_profile(figures: Figures) -> Evidence:
    """Item 14: of the people whose paid work started or ended in the period, the share
    whose vocational profile was updated in it."""
    fidelity = figures["fidelity"]
    share = fidelity["profile_updated_with_job_pct"]
    text = (
        "vocational profile updated in the period for "
        f"{_shown(share, '%')} of the {fidelity['profile_updated_with_job_cohort']} people "
        "whose paid work started or ended in it."
    )
    if share is None:
        return Evidence(text)
    return Evidence(text, at_least(share, (90, 75, 50, 25)))


def rapid_search(figures: Figures) -> Evidence:
    """Item 15: the mean days from the start of support to the first employer contact."""
    fidelity = figures["fidelity"]
    first_contact = fidelity["first_employer_contact_days_mean"]
    mean = (
        f"{first_contact} (over {fidelity['first_employer_contact_cases']} cases)"
        if first_contact is not None
        else "no case had its first in the period"
    )
    text = (
        "mean days from the start of support to the first face-to-face employer contact: "
        f"{mean}; within 30 days: "
        f"{_shown(fidelity['first_employer_contact_within_30_days_pct'], '%')}."
    )
    if first_contact is None:
        return Evidence(text)
    return Evidence(text, at_most(first_contact, (30, 60, 150, 270)))


def employer_contact(figures: Figures) -> Evidence:
    """Item 17: the workers' mean of face-to-face employer contacts per FTE per week."""
    rates = [
        row["face_to_face_employer_contacts_per_fte_week"]
        for row in figures["caseload"]["per_worker"]
        if row["face_to_face_employer_contacts_per_fte_week"] is not None
    ]
    text = (
        "face-to-face employer contacts per FTE per week, by worker: "
        f"{', '.join(str(rate) for rate in rates) or 'none'} (high fidelity: 6 or more)."
    )
    if not rates:
        return Evidence(text)
    mean = ratio(Decimal(str(sum(rates))), len(rates)) or 0.0
    return Evidence(f"{text} Mean: {mean}.", at_least(mean, (6, 5, 3, 2)))


def diversity(of_what: str) -> Callable[[Figures], Evidence]:
    """Items 19 and 20: no figure in the return."""

    def read(figures: Figures) -> Evidence:
        employment = figures["employment"]
        return Evidence(
            f"paid work started by {employment['people_starting_paid_work']} people. The return "
            f"has no figure of the {of_what} of the jobs started: check the outcome records."
        )

    return read


def competitive_jobs(figures: Figures) -> Evidence:
    """Item 21: paid work (employed or self-employed) as a share of the work started,
    volunteering being the work that is not competitive; training and education are not
    jobs, so count for neither."""
    employment = figures["employment"]
    employed = employment["paid_employment_starts"]
    self_employed = employment["self_employment_starts"]
    volunteering = employment["volunteering_starts"]
    share = percentage(employed + self_employed, employed + self_employed + volunteering)
    text = (
        f"work started: {employed} paid employment, {self_employed} self-employment, "
        f"{volunteering} volunteering; competitive (paid) share: {_shown(share, '%')}. Training "
        f"({employment['training_starts']}) and education ({employment['education_starts']}) "
        "are not counted as jobs. The scale scores 1 where fewer than ten people are in work; "
        "the return does not count people in work on a day."
    )
    if share is None:
        return Evidence(text)
    return Evidence(text, at_least(share, (95, 85, 75, 65)))


def in_work_support(figures: Figures) -> Evidence:
    """Item 22: what lasted, not the support given; no figure of the support itself."""
    employment = figures["employment"]
    lasted = ", ".join(
        f"{weeks} weeks {_shown(employment[f'sustained_{weeks}_weeks_pct'], '%')} "
        f"(of {employment[f'sustained_{weeks}_weeks_cohort']})"
        for weeks in (13, 26, 52)
    )
    return Evidence(
        f"paid work sustained: {lasted}. The return has no figure of the support given to "
        "people in work or to their employers: check the contacts after each job start."
    )


def time_unlimited(figures: Figures) -> Evidence:
    """Item 23: time on the caseload shows there is no fixed limit, not the contact in work."""
    caseload = figures["caseload"]
    return Evidence(
        "mean days on the caseload of the cases open at the end: "
        f"{_shown(caseload['days_on_caseload_open_mean'])}; cases closed in the period: "
        f"{caseload['closed']} (mean days on the caseload "
        f"{_shown(caseload['days_on_caseload_closed_mean'])}). The return has no figure of "
        "face-to-face contact after a job start."
    )


def community(figures: Figures) -> Evidence:
    """Item 24: hours by kind; the return does not split them by place."""
    hours = figures["hours"]
    return Evidence(
        f"hours of contact: face to face {_shown(hours['face_to_face_hours'])}, remote "
        f"{_shown(hours['remote_hours'])}, admin {_shown(hours['admin_hours'])}. The return "
        "does not split hours by place (office, community, online): check the contacts' places."
    )


def engagement(figures: Figures) -> Evidence:
    """Item 25: re-engagement after a gap, and how many stay engaged."""
    engagement = figures["engagement"]
    kept = ", ".join(
        f"{weeks} weeks {_shown(engagement[f'sustained_{weeks}_weeks_pct'], '%')}"
        for weeks in (6, 12, 24)
    )
    return Evidence(
        f"cases re-engaged after more than 28 days without contact: "
        f"{engagement['re_engaged']}. Still engaged at {kept}."
    )


#: Item number -> what the figures say for it.
READERS: dict[int, Callable[[Figures], Evidence]] = {
    1: caseload,
    6: vocational_rehabilitation,
    9: zero_exclusion,
    10: competitive_focus,
    12: work_incentives,
    13: disclosure,
    14: vocational_profile,
    15: rapid_search,
    17: employer_contact,
    19: diversity("kinds"),
    20: diversity("employers"),
    21: competitive_jobs,
    22: in_work_support,
    23: time_unlimited,
    24: community,
    25: engagement,
}
