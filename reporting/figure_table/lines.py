"""The figure table: one line per figure of the return, section by section in the order of
the definitions (shared/spec/kpi-definitions.md), which is the CSV's order and the order of
the rows within each table."""

from __future__ import annotations

from reporting.figure_table.layout import (
    AGE_BANDS,
    BY_AGE_BAND,
    BY_ETHNICITY,
    BY_GENDER,
    BY_REASON,
    BY_SOURCE,
    BY_TIME_ON_SERVICE,
    BY_WORKER,
    CASELOAD,
    CUMULATIVE,
    DOMAINS,
    ENGAGEMENT,
    ETHNICITIES,
    FIDELITY,
    FUND,
    GENDERS,
    HOURS,
    MEAN_CHANGE,
    PAID_WORK,
    REASSESSMENTS,
    REFERRALS,
    REJECTION_REASONS,
    SOURCES,
    STARTS,
    TIME_ON_CASELOAD,
    TIME_ON_SERVICE,
)
from reporting.figure_table.shapes import (
    Breakdown,
    Column,
    Figure,
    Line,
    PerWorker,
    ReturnTable,
)

# --- The figures, in the definitions' order ----------------------------------------------

#: Equity's measures, each broken down by every group: (key, label).
EQUITY_MEASURES = (
    ("new_referrals", "New referrals"),
    ("newly_started", "Newly started"),
    ("people_starting_paid_work", "People starting paid work"),
)
#: Equity's groups: (key, what the rows are, their categories, their table).
EQUITY_GROUPS = (
    ("by_ethnicity", "ethnicity", ETHNICITIES, BY_ETHNICITY),
    ("by_gender", "gender", GENDERS, BY_GENDER),
    ("by_age_band", "age on the referral date", AGE_BANDS, BY_AGE_BAND),
)

FIGURES: tuple[Line, ...] = (
    # Table 1: access to the service.
    Figure("access", "new_referrals", "New referrals", "count", REFERRALS, trend=1),
    Breakdown("access", "referrals_by_source", "Referrals by source", BY_SOURCE, SOURCES),
    Figure("access", "accepted", "Accepted", "count", REFERRALS),
    Figure("access", "rejected", "Rejected", "count", REFERRALS),
    Figure("access", "withdrawn", "Withdrawn", "count", REFERRALS),
    Breakdown(
        "access", "rejections_by_reason", "Rejections by reason", BY_REASON, REJECTION_REASONS
    ),
    Figure(
        "access",
        "referral_to_start_days_mean",
        "Days from referral to start (mean)",
        "days",
        REFERRALS,
    ),
    Figure(
        "access",
        "referral_to_start_days_median",
        "Days from referral to start (median)",
        "days",
        REFERRALS,
    ),
    # Table 1: caseload.
    Figure(
        "caseload",
        "carried_over",
        "Carried over (active the day before the quarter)",
        "count",
        CASELOAD,
    ),
    Figure("caseload", "newly_started", "Newly started", "count", CASELOAD, trend=2),
    Figure("caseload", "open_at_end", "Open at the end of the quarter", "count", CASELOAD),
    Figure(
        "caseload", "active_at_end", "Active at the end of the quarter", "count", CASELOAD, trend=4
    ),
    PerWorker(
        "caseload",
        "per_worker",
        "Caseload by worker",
        BY_WORKER,
        (
            Column("fte", "FTE", "decimal"),
            Column("capacity", "Capacity", "count"),
            Column("open_at_end", "Open at end", "count", suppress="count"),
            Column("active_at_end", "Active at end", "count", suppress="count"),
            Column("newly_started", "Newly started", "count", suppress="count"),
            Column("paid_outcomes_started", "Paid outcomes started", "count", suppress="count"),
            Column(
                "face_to_face_employer_contacts_per_fte_week",
                "Employer contacts per FTE week",
                "decimal",
            ),
        ),
    ),
    Figure("caseload", "closed", "Closed", "count", CASELOAD),
    Figure(
        "caseload",
        "days_on_caseload_closed_mean",
        "Days on caseload, cases closed (mean)",
        "days",
        TIME_ON_CASELOAD,
    ),
    Figure(
        "caseload",
        "days_on_caseload_open_mean",
        "Days on caseload, cases open at end (mean)",
        "days",
        TIME_ON_CASELOAD,
    ),
    # Table 1: service provider information.
    Figure("hours", "face_to_face_hours", "Face to face", "hours", HOURS),
    Figure("hours", "remote_hours", "Remote (phone, video, message)", "hours", HOURS),
    Figure("hours", "admin_hours", "Admin", "hours", HOURS),
    # Outcome Framework 12.1: engagement.
    Figure(
        "engagement",
        "sustained_6_weeks_pct",
        "Engaged at 6 weeks",
        "pct",
        ENGAGEMENT,
        suppress="percentage",
        of="sustained_6_weeks_cohort",
    ),
    Figure("engagement", "sustained_6_weeks_cohort", "Cases reaching 6 weeks", "count", ENGAGEMENT),
    Figure(
        "engagement",
        "sustained_12_weeks_pct",
        "Engaged at 12 weeks",
        "pct",
        ENGAGEMENT,
        suppress="percentage",
        of="sustained_12_weeks_cohort",
    ),
    Figure(
        "engagement", "sustained_12_weeks_cohort", "Cases reaching 12 weeks", "count", ENGAGEMENT
    ),
    Figure(
        "engagement",
        "sustained_24_weeks_pct",
        "Engaged at 24 weeks",
        "pct",
        ENGAGEMENT,
        suppress="percentage",
        of="sustained_24_weeks_cohort",
    ),
    Figure(
        "engagement", "sustained_24_weeks_cohort", "Cases reaching 24 weeks", "count", ENGAGEMENT
    ),
    Figure(
        "engagement",
        "re_engaged",
        "Re-engaged after a gap of more than 28 days",
        "count",
        ENGAGEMENT,
    ),
    # Outcome Framework 12.4: employment.
    Figure("employment", "paid_employment_starts", "Paid employment", "count", STARTS),
    Figure("employment", "self_employment_starts", "Self-employment", "count", STARTS),
    Figure("employment", "training_starts", "Training", "count", STARTS),
    Figure("employment", "education_starts", "Education", "count", STARTS),
    Figure("employment", "volunteering_starts", "Volunteering", "count", STARTS),
    Figure(
        "employment",
        "people_starting_paid_work",
        "People starting paid work",
        "count",
        PAID_WORK,
        trend=3,
    ),
    Figure(
        "employment", "full_time_starts", "Full-time starts (30 hours or more)", "count", PAID_WORK
    ),
    Figure("employment", "part_time_starts", "Part-time starts", "count", PAID_WORK),
    Breakdown(
        "employment",
        "paid_starts_by_time_on_service",
        "Paid outcomes started, by time on the service",
        BY_TIME_ON_SERVICE,
        TIME_ON_SERVICE,
    ),
    Figure(
        "employment",
        "sustained_13_weeks_pct",
        "Paid work sustained 13 weeks",
        "pct",
        PAID_WORK,
        suppress="percentage",
        of="sustained_13_weeks_cohort",
    ),
    Figure(
        "employment",
        "sustained_13_weeks_cohort",
        "Paid outcomes reaching 13 weeks",
        "count",
        PAID_WORK,
    ),
    Figure(
        "employment",
        "sustained_26_weeks_pct",
        "Paid work sustained 26 weeks",
        "pct",
        PAID_WORK,
        suppress="percentage",
        of="sustained_26_weeks_cohort",
    ),
    Figure(
        "employment",
        "sustained_26_weeks_cohort",
        "Paid outcomes reaching 26 weeks",
        "count",
        PAID_WORK,
    ),
    Figure(
        "employment",
        "sustained_52_weeks_pct",
        "Paid work sustained 52 weeks",
        "pct",
        PAID_WORK,
        suppress="percentage",
        of="sustained_52_weeks_cohort",
    ),
    Figure(
        "employment",
        "sustained_52_weeks_cohort",
        "Paid outcomes reaching 52 weeks",
        "count",
        PAID_WORK,
    ),
    # Statement of requirement 8.6: IPS fidelity.
    Figure(
        "fidelity",
        "first_employer_contact_days_mean",
        "Days from start to first face-to-face employer contact (mean)",
        "days",
        FIDELITY,
    ),
    Figure(
        "fidelity",
        "first_employer_contact_within_30_days_pct",
        "First employer contact within 30 days of start",
        "pct",
        FIDELITY,
        suppress="percentage",
        of="first_employer_contact_within_30_days_cohort",
    ),
    Figure(
        "fidelity",
        "caseload_over_capacity_workers",
        "Workers over their caseload capacity",
        "count",
        FIDELITY,
    ),
    # Service specification section 8: the enterprise fund.
    Figure("enterprise_fund", "applications_submitted", "Applications submitted", "count", FUND),
    Figure("enterprise_fund", "applications_approved", "Applications approved", "count", FUND),
    Figure("enterprise_fund", "applications_rejected", "Applications rejected", "count", FUND),
    Figure("enterprise_fund", "awarded_amount", "Awarded this quarter", "money", FUND),
    Figure("enterprise_fund", "awarded_to_date", "Awarded to date", "money", FUND),
    Figure("enterprise_fund", "fund_total", "Fund total", "money", FUND),
    Figure("enterprise_fund", "balance_at_end", "Balance at the end of the quarter", "money", FUND),
    Figure(
        "enterprise_fund",
        "businesses_trading_26_weeks_pct",
        "Businesses trading at 26 weeks",
        "pct",
        FUND,
        suppress="percentage",
        of="businesses_trading_26_weeks_cohort",
    ),
    Figure(
        "enterprise_fund",
        "businesses_trading_52_weeks_pct",
        "Businesses trading at 52 weeks",
        "pct",
        FUND,
        suppress="percentage",
        of="businesses_trading_52_weeks_cohort",
    ),
    # Outcome Framework 12.2: distance travelled.
    Figure("distance_travelled", "cases_reassessed", "Cases reassessed", "count", REASSESSMENTS),
    Breakdown(
        "distance_travelled",
        "mean_change",
        "Mean change in score",
        MEAN_CHANGE,
        DOMAINS,
        column="Mean change",
        kind="decimal",
    ),
    Figure(
        "distance_travelled",
        "improved_pct",
        "Cases whose total score rose",
        "pct",
        REASSESSMENTS,
        suppress="percentage",
        of="cases_reassessed",
    ),
    # Cumulative, since the service began.
    Figure("cumulative", "people_supported", "People supported", "count", CUMULATIVE),
    Figure("cumulative", "people_into_paid_work", "People into paid work", "count", CUMULATIVE),
    Figure(
        "cumulative",
        "competitive_employment_rate_pct",
        "Competitive employment rate",
        "pct",
        CUMULATIVE,
        suppress="percentage",
        of="people_supported",
    ),
    Figure(
        "cumulative",
        "reoffending_rate_pct",
        "Reoffending rate",
        "pct",
        CUMULATIVE,
        suppress="percentage",
        of="people_supported",
    ),
    # Outcome Framework 12.6: equity, each measure by each group (a table per group).
    *(
        Breakdown(
            "equity",
            measure,
            f"{label} by {group}",
            table,
            categories,
            by=by,
            column=label,
            suppress="count",
        )
        for measure, label in EQUITY_MEASURES
        for by, group, categories, table in EQUITY_GROUPS
    ),
)

#: The figures the dashboard's trend follows, in the trend's order.
TREND: tuple[Figure, ...] = tuple(
    sorted(
        (line for line in FIGURES if isinstance(line, Figure) and line.trend is not None),
        key=lambda figure: figure.trend or 0,
    )
)


def lines_of(table: ReturnTable) -> list[Line]:
    """The lines that make up `table`, in the order of its rows (or columns)."""
    return [line for line in FIGURES if line.table is table]
