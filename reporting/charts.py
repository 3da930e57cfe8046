"""The figures of a return laid out for people: sections of tables, and server-drawn SVG
bar charts, each paired with the table that holds its numbers.

The same layout feeds the manager's pages (exact figures) and the OPCC's PDF (after the
small-number rule). Only the keys listed here are shown, so a key added to the figures
later reaches no page or PDF until it is given a label here. Templates draw the SVG from
the geometry computed here; all text goes through the template's escaping.
"""

from __future__ import annotations

import re
from typing import Any

from core.charts import (
    Block,
    Chart,
    Kind,
    Section,
    Table,
    bar_chart,
    breakdown_table,
    chart_from_table,
    figure_table,
    format_value,
)
from core.codes import Ethnicity, Gender, RejectionReason, Source

AGE_BANDS = [
    ("under_18", "Under 18"),
    ("18_21", "18 to 21"),
    ("22_25", "22 to 25"),
    ("26_30", "26 to 30"),
    ("31_35", "31 to 35"),
    ("over_35", "Over 35"),
]
TIME_ON_SERVICE = [
    ("0_6_months", "0 to 6 months"),
    ("6_12_months", "6 to 12 months"),
    ("over_12_months", "Over 12 months"),
]
DOMAINS = [
    ("confidence", "Confidence"),
    ("motivation", "Motivation"),
    ("readiness", "Readiness"),
    ("stability", "Stability"),
    ("housing", "Housing"),
    ("finances", "Finances"),
    ("wellbeing", "Wellbeing"),
]
EQUITY_MEASURES = [
    ("new_referrals", "New referrals"),
    ("newly_started", "Newly started"),
    ("people_starting_paid_work", "People starting paid work"),
]
EQUITY_BREAKDOWNS = [
    ("by_ethnicity", "Ethnicity", list(Ethnicity.choices)),
    ("by_gender", "Gender", list(Gender.choices)),
    ("by_age_band", "Age on the referral date", AGE_BANDS),
]
PER_WORKER_COLUMNS: list[tuple[str, str, Kind]] = [
    ("fte", "FTE", "decimal"),
    ("capacity", "Capacity", "count"),
    ("open_at_end", "Open at end", "count"),
    ("active_at_end", "Active at end", "count"),
    ("newly_started", "Newly started", "count"),
    ("paid_outcomes_started", "Paid outcomes started", "count"),
    ("face_to_face_employer_contacts_per_fte_week", "Employer contacts per FTE week", "decimal"),
]

# --- The return, section by section ------------------------------------------------------


def relabel_workers(doc: dict[str, Any]) -> dict[str, Any]:
    """The OPCC-facing copy: workers become "Worker 1", "Worker 2", ... in email order.

    suppress_small_numbers already numbers them; this is the safety net that makes sure no
    worker's email or name can reach the OPCC whatever that function does.
    """
    caseload = dict(doc.get("caseload") or {})
    labels = [str(row.get("worker", "")) for row in caseload.get("per_worker") or []]
    if all(re.fullmatch(r"Worker [1-9][0-9]*", label) for label in labels):
        return doc
    rows = sorted(caseload.get("per_worker") or [], key=lambda row: str(row.get("worker", "")))
    caseload["per_worker"] = [
        {**row, "worker": f"Worker {number}"} for number, row in enumerate(rows, start=1)
    ]
    return {**doc, "caseload": caseload}


def sections(doc: dict[str, Any]) -> list[Section]:
    """Every section of the return, in the order of the OPCC's template."""
    access = doc.get("access") or {}
    caseload = doc.get("caseload") or {}
    hours = doc.get("hours") or {}
    engagement = doc.get("engagement") or {}
    employment = doc.get("employment") or {}
    fidelity = doc.get("fidelity") or {}
    fund = doc.get("enterprise_fund") or {}
    distance = doc.get("distance_travelled") or {}
    cumulative = doc.get("cumulative") or {}
    equity = doc.get("equity") or {}
    result = []

    # Table 1: access to the service.
    by_source = breakdown_table(
        "Referrals by source",
        "Source",
        access.get("referrals_by_source") or {},
        list(Source.choices),
    )
    result.append(
        Section(
            "access",
            "Access to the service",
            "Table 1",
            [
                Block(
                    figure_table(
                        "Referrals and decisions",
                        access,
                        [
                            ("new_referrals", "New referrals", "count"),
                            ("accepted", "Accepted", "count"),
                            ("rejected", "Rejected", "count"),
                            ("withdrawn", "Withdrawn", "count"),
                            (
                                "referral_to_start_days_mean",
                                "Days from referral to start (mean)",
                                "days",
                            ),
                            (
                                "referral_to_start_days_median",
                                "Days from referral to start (median)",
                                "days",
                            ),
                        ],
                    )
                ),
                Block(
                    by_source,
                    chart_from_table(
                        "chart-referrals-by-source",
                        "New referrals by source",
                        by_source,
                        [
                            (access.get("referrals_by_source") or {}).get(code)
                            for code, _ in Source.choices
                        ],
                    ),
                ),
                Block(
                    breakdown_table(
                        "Rejections by reason",
                        "Reason",
                        access.get("rejections_by_reason") or {},
                        list(RejectionReason.choices),
                    )
                ),
            ],
        )
    )

    # Table 1: caseload.
    caseload_keys = [
        ("carried_over", "Carried over (active the day before the quarter)", "count"),
        ("newly_started", "Newly started", "count"),
        ("open_at_end", "Open at the end of the quarter", "count"),
        ("active_at_end", "Active at the end of the quarter", "count"),
        ("closed", "Closed", "count"),
    ]
    caseload_table = figure_table("Caseload", caseload, caseload_keys)
    days_table = figure_table(
        "Time on the caseload",
        caseload,
        [
            ("days_on_caseload_closed_mean", "Days on caseload, cases closed (mean)", "days"),
            ("days_on_caseload_open_mean", "Days on caseload, cases open at end (mean)", "days"),
        ],
    )
    per_worker = Table(
        caption="Caseload by worker",
        head=["Worker", *[label for _, label, _ in PER_WORKER_COLUMNS]],
        rows=[
            [str(row.get("worker", ""))]
            + [format_value(row.get(key), kind) for key, _, kind in PER_WORKER_COLUMNS]
            for row in caseload.get("per_worker") or []
        ],
    )
    result.append(
        Section(
            "caseload",
            "Caseload",
            "Table 1",
            [
                Block(
                    caseload_table,
                    chart_from_table(
                        "chart-caseload",
                        "Caseload",
                        caseload_table,
                        [caseload.get(key) for key, _, _ in caseload_keys],
                    ),
                ),
                Block(days_table),
                Block(per_worker),
            ],
        )
    )

    # Table 1: service provider information.
    hours_keys = [
        ("face_to_face_hours", "Face to face", "hours"),
        ("remote_hours", "Remote (phone, video, message)", "hours"),
        ("admin_hours", "Admin", "hours"),
    ]
    hours_table = figure_table("Hours of contact", hours, hours_keys)
    hours_table.head = ["Mode", "Hours"]
    result.append(
        Section(
            "hours",
            "Service provider information",
            "Table 1",
            [
                Block(
                    hours_table,
                    chart_from_table(
                        "chart-hours",
                        "Hours of contact by mode",
                        hours_table,
                        [hours.get(key) for key, _, _ in hours_keys],
                    ),
                )
            ],
        )
    )

    # Outcome Framework 12.1: engagement.
    result.append(
        Section(
            "engagement",
            "Engagement",
            "Outcome Framework 12.1",
            [
                Block(
                    figure_table(
                        "Sustained engagement",
                        engagement,
                        [
                            ("sustained_6_weeks_pct", "Engaged at 6 weeks", "pct"),
                            ("sustained_6_weeks_cohort", "Cases reaching 6 weeks", "count"),
                            ("sustained_12_weeks_pct", "Engaged at 12 weeks", "pct"),
                            ("sustained_12_weeks_cohort", "Cases reaching 12 weeks", "count"),
                            ("sustained_24_weeks_pct", "Engaged at 24 weeks", "pct"),
                            ("sustained_24_weeks_cohort", "Cases reaching 24 weeks", "count"),
                            ("re_engaged", "Re-engaged after a gap of more than 28 days", "count"),
                        ],
                    )
                )
            ],
        )
    )

    # Outcome Framework 12.2: distance travelled.
    mean_change = distance.get("mean_change") or {}
    result.append(
        Section(
            "distance",
            "Distance travelled",
            "Outcome Framework 12.2",
            [
                Block(
                    figure_table(
                        "Reassessments",
                        distance,
                        [
                            ("cases_reassessed", "Cases reassessed", "count"),
                            ("improved_pct", "Cases whose total score rose", "pct"),
                        ],
                    )
                ),
                Block(
                    Table(
                        caption="Mean change in score, first to latest assessment (1 to 10)",
                        head=["Domain", "Mean change"],
                        rows=[
                            [label, format_value(mean_change.get(code), "decimal")]
                            for code, label in DOMAINS
                        ],
                    )
                ),
            ],
        )
    )

    # Outcome Framework 12.4: employment.
    starts_keys = [
        ("paid_employment_starts", "Paid employment", "count"),
        ("self_employment_starts", "Self-employment", "count"),
        ("training_starts", "Training", "count"),
        ("education_starts", "Education", "count"),
        ("volunteering_starts", "Volunteering", "count"),
    ]
    starts_table = figure_table("Outcomes started, by type", employment, starts_keys)
    starts_table.head = ["Outcome", "Started"]
    time_on_service = employment.get("paid_starts_by_time_on_service") or {}
    result.append(
        Section(
            "employment",
            "Employment",
            "Outcome Framework 12.4",
            [
                Block(
                    starts_table,
                    chart_from_table(
                        "chart-outcomes",
                        "Outcomes started, by type",
                        starts_table,
                        [employment.get(key) for key, _, _ in starts_keys],
                    ),
                ),
                Block(
                    figure_table(
                        "Paid work",
                        employment,
                        [
                            ("people_starting_paid_work", "People starting paid work", "count"),
                            ("full_time_starts", "Full-time starts (30 hours or more)", "count"),
                            ("part_time_starts", "Part-time starts", "count"),
                            ("sustained_13_weeks_pct", "Paid work sustained 13 weeks", "pct"),
                            (
                                "sustained_13_weeks_cohort",
                                "Paid outcomes reaching 13 weeks",
                                "count",
                            ),
                            ("sustained_26_weeks_pct", "Paid work sustained 26 weeks", "pct"),
                            (
                                "sustained_26_weeks_cohort",
                                "Paid outcomes reaching 26 weeks",
                                "count",
                            ),
                            ("sustained_52_weeks_pct", "Paid work sustained 52 weeks", "pct"),
                            (
                                "sustained_52_weeks_cohort",
                                "Paid outcomes reaching 52 weeks",
                                "count",
                            ),
                        ],
                    )
                ),
                Block(
                    breakdown_table(
                        "Paid outcomes started, by time on the service",
                        "Time on the service",
                        time_on_service,
                        TIME_ON_SERVICE,
                    )
                ),
            ],
        )
    )

    # Statement of requirement 8.6: IPS fidelity.
    result.append(
        Section(
            "fidelity",
            "IPS fidelity indicators",
            "Statement of requirement 8.6",
            [
                Block(
                    figure_table(
                        "Fidelity",
                        fidelity,
                        [
                            (
                                "first_employer_contact_days_mean",
                                "Days from start to first face-to-face employer contact (mean)",
                                "days",
                            ),
                            (
                                "first_employer_contact_within_30_days_pct",
                                "First employer contact within 30 days of start",
                                "pct",
                            ),
                            (
                                "caseload_over_capacity_workers",
                                "Workers over their caseload capacity",
                                "count",
                            ),
                        ],
                    )
                )
            ],
        )
    )

    # Service specification section 8: the enterprise fund.
    result.append(
        Section(
            "fund",
            "Enterprise fund",
            "Service specification 8",
            [
                Block(
                    figure_table(
                        "Enterprise fund",
                        fund,
                        [
                            ("applications_submitted", "Applications submitted", "count"),
                            ("applications_approved", "Applications approved", "count"),
                            ("applications_rejected", "Applications rejected", "count"),
                            ("awarded_amount", "Awarded this quarter", "money"),
                            ("awarded_to_date", "Awarded to date", "money"),
                            ("fund_total", "Fund total", "money"),
                            ("balance_at_end", "Balance at the end of the quarter", "money"),
                            (
                                "businesses_trading_26_weeks_pct",
                                "Businesses trading at 26 weeks",
                                "pct",
                            ),
                            (
                                "businesses_trading_52_weeks_pct",
                                "Businesses trading at 52 weeks",
                                "pct",
                            ),
                        ],
                    )
                )
            ],
        )
    )

    # Outcome Framework 12.6: equity.
    equity_blocks = []
    for breakdown, heading, codes in EQUITY_BREAKDOWNS:
        table = Table(
            caption=f"By {heading[0].lower()}{heading[1:]}",
            head=[heading, *[label for _, label in EQUITY_MEASURES]],
            rows=[
                [label]
                + [
                    format_value(((equity.get(measure) or {}).get(breakdown) or {}).get(code))
                    for measure, _ in EQUITY_MEASURES
                ]
                for code, label in codes
            ],
        )
        chart = None
        if breakdown == "by_ethnicity":
            counts = (equity.get("new_referrals") or {}).get(breakdown) or {}
            chart = bar_chart(
                "chart-equity-ethnicity",
                "New referrals by ethnicity",
                [(label, counts.get(code), "count") for code, label in codes],
            )
        equity_blocks.append(Block(table, chart))
    result.append(Section("equity", "Equity", "Outcome Framework 12.6", equity_blocks))

    # Cumulative, since the service began.
    result.append(
        Section(
            "cumulative",
            "Since the service began",
            "Cumulative figures",
            [
                Block(
                    figure_table(
                        "Cumulative",
                        cumulative,
                        [
                            ("people_supported", "People supported", "count"),
                            ("people_into_paid_work", "People into paid work", "count"),
                            (
                                "competitive_employment_rate_pct",
                                "Competitive employment rate",
                                "pct",
                            ),
                            ("reoffending_rate_pct", "Reoffending rate", "pct"),
                        ],
                    )
                )
            ],
        )
    )
    return result


def trend_table(trend: list[dict[str, Any]], figures: list[tuple[str, str, str]]) -> Table:
    """The dashboard's trend: one table, quarter by figure (trend_charts draws each figure)."""
    return Table(
        caption="The last eight complete quarters",
        head=["Quarter", *[label for _, _, label in figures]],
        rows=[
            [row["quarter"].name, *[format_value(value) for value in row["values"]]]
            for row in trend
        ],
    )


def trend_charts(trend: list[dict[str, Any]], figures: list[tuple[str, str, str]]) -> list[Chart]:
    """One bar chart per trend figure, a bar per quarter; the numbers are in trend_table."""
    return [
        bar_chart(
            f"chart-trend-{key.replace('_', '-')}",
            label,
            [(row["quarter"].name, row["values"][index], "count") for row in trend],
        )
        for index, (_, key, label) in enumerate(figures)
    ]
