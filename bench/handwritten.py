"""The quarterly return's figures from one hand-written SQL statement, as a yardstick.

The target for the ORM's return is at most 5 times the time of one hand-written query of the
same figures. `handwritten_return.sql` beside this file is that query (PostgreSQL only);
`handwritten_figures` runs it and shapes its row like the return's document, for the keys it
covers. Run as a script, against the database DATABASE_URL names (read only):

    DATABASE_URL=postgres://... DEBUG=true python bench/handwritten.py [2026-27-Q2]

it times the ORM's return and the statement five times each for the quarter (by default
the latest complete one), checks that every figure the statement covers equals the
return's, and prints both medians, their ratio and how many figures were compared. Any
difference is printed and the exit status is 1.

Covered: every figure reporting.figures.quarterly_return computes here, the rows of
`caseload.per_worker` included (not `period`, which is its input). Not covered: the
figures kpi-definitions.md adds in version 2 (the `stability`, `voice` and `year`
sections and the keys added to the others); where the return has them, they are simply
not compared.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SQL = Path(__file__).with_name("handwritten_return.sql")
ROUNDS = 5

SOURCES = (
    "police",
    "probation",
    "prison",
    "dwp",
    "youth_justice",
    "childrens_trust",
    "further_education",
    "school",
    "community_group",
    "self",
    "other",
)
REJECTION_REASONS = (
    "risk_unacceptable",
    "capacity",
    "ineligible_age",
    "ineligible_area",
    "not_ready",
    "duplicate",
    "other",
)
OUTCOME_TYPES = ("paid_employment", "self_employment", "training", "education", "volunteering")
DOMAINS = ("confidence", "motivation", "readiness", "stability", "housing", "finances", "wellbeing")
EQUITY_MEASURES = ("new_referrals", "newly_started", "people_starting_paid_work")
BREAKDOWNS = {
    "by_ethnicity": ("asian", "black", "mixed", "white", "other", "not_stated"),
    "by_gender": ("female", "male", "other", "not_stated"),
    "by_age_band": ("under_18", "18_21", "22_25", "26_30", "31_35", "over_35"),
}
_TENTH = Decimal("0.1")
#: What `differences` finds where the return has no such figure.
MISSING = "(missing)"


def _ratio(numerator: int | Decimal | None, denominator: int | Decimal | None) -> float | None:
    """numerator / denominator rounded half-even to one decimal from the exact decimal
    ratio; None for a zero (or missing) denominator."""
    if not denominator:
        return None
    exact = Decimal(numerator or 0) / Decimal(denominator)
    return float(exact.quantize(_TENTH, rounding=ROUND_HALF_EVEN))


def _percentage(numerator: int, denominator: int) -> float | None:
    return _ratio(100 * numerator, denominator)


def _pounds(pence: int | Decimal) -> float:
    return float(Decimal(pence) / 100)


def _cohorts(row: dict[str, Any], key: str, column: str, weeks: tuple[int, ...]) -> dict[str, Any]:
    """Milestone cohorts: for each N in `weeks`, the return's `{key}_pct` and `{key}_cohort`
    (key holding "{weeks}") from the statement's `{column}` and `{column}_cohort` counts."""
    figures: dict[str, Any] = {}
    for n in weeks:
        counted, cohort = row[column.format(weeks=n)], row[f"{column.format(weeks=n)}_cohort"]
        figures[f"{key.format(weeks=n)}_pct"] = _percentage(counted, cohort)
        figures[f"{key.format(weeks=n)}_cohort"] = cohort
    return figures


def _json(value: Any) -> Any:
    """A json column: decoded by the driver, or text when a loader leaves it so."""
    return json.loads(value) if isinstance(value, str) else value


def _counts(value: Any, codes: tuple[str, ...]) -> dict[str, int]:
    """A breakdown from a JSON object of the codes that occur: every code, zeros included."""
    found = _json(value) or {}
    return {code: int(found.get(code, 0)) for code in codes}


def run_statement(start: date, end: date) -> dict[str, Any]:
    """The statement's one row, by column name."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(SQL.read_text(encoding="utf-8"), {"start": start, "end": end})
        names = [column.name for column in cursor.description]
        values = cursor.fetchone()
    return dict(zip(names, values, strict=True))


def handwritten_figures(start: date, end: date) -> dict[str, Any]:
    """The return's figures for start..end from the hand-written statement, keyed like the
    document of reporting.figures.quarterly_return (only the keys the statement covers)."""
    row = run_statement(start, end)
    days = (end - start).days + 1
    per_worker = [
        {
            "worker": worker["worker"],
            "fte": float(Decimal(worker["fte"])) if worker["fte"] is not None else None,
            "capacity": worker["capacity"],
            "open_at_end": worker["open_at_end"],
            "active_at_end": worker["active_at_end"],
            "newly_started": worker["newly_started"],
            "paid_outcomes_started": worker["paid_outcomes_started"],
            "face_to_face_employer_contacts_per_fte_week": _ratio(
                7 * worker["employer_visits"],
                Decimal(worker["fte"]) * days if worker["fte"] is not None else None,
            ),
        }
        for worker in _json(row["per_worker"]) or []
    ]
    equity = _json(row["equity"]) or {}
    change = _json(row["distance_change"])
    starts = _counts(row["outcome_starts"], OUTCOME_TYPES)
    lower, upper = row["wait_lower_median"], row["wait_upper_median"]
    return {
        "access": {
            "new_referrals": row["new_referrals"],
            "referrals_by_source": _counts(row["referrals_by_source"], SOURCES),
            "accepted": row["accepted"],
            "rejected": row["rejected"],
            "withdrawn": row["withdrawn"],
            "rejections_by_reason": _counts(row["rejections_by_reason"], REJECTION_REASONS),
            "referral_to_start_days_mean": _ratio(row["wait_days"], row["wait_cases"]),
            "referral_to_start_days_median": (
                _ratio(lower + upper, 2) if row["wait_cases"] else None
            ),
        },
        "caseload": {
            "carried_over": row["carried_over"],
            "newly_started": row["newly_started"],
            "open_at_end": row["open_at_end"],
            "active_at_end": row["active_at_end"],
            "per_worker": per_worker,
            "closed": row["closed"],
            "days_on_caseload_closed_mean": _ratio(row["closed_days"], row["closed_cases"]),
            "days_on_caseload_open_mean": _ratio(row["open_days"], row["open_at_end"]),
        },
        "hours": {
            "face_to_face_hours": _ratio(row["face_to_face_minutes"], 60),
            "remote_hours": _ratio(row["remote_minutes"], 60),
            "admin_hours": _ratio(row["admin_minutes"], 60),
        },
        "engagement": {
            **_cohorts(row, "sustained_{weeks}_weeks", "sustained_{weeks}_weeks", (6, 12, 24)),
            "re_engaged": row["re_engaged"],
        },
        "employment": {
            **{f"{kind}_starts": starts[kind] for kind in OUTCOME_TYPES},
            "people_starting_paid_work": row["people_starting_paid_work"],
            "full_time_starts": row["full_time_starts"],
            "part_time_starts": row["part_time_starts"],
            "paid_starts_by_time_on_service": {
                "0_6_months": row["paid_0_6_months"],
                "6_12_months": row["paid_6_12_months"],
                "over_12_months": row["paid_over_12_months"],
            },
            **_cohorts(row, "sustained_{weeks}_weeks", "jobs_{weeks}_weeks", (13, 26, 52)),
        },
        "fidelity": {
            "first_employer_contact_days_mean": _ratio(
                row["first_visit_days"], row["first_visit_cases"]
            ),
            "first_employer_contact_within_30_days_pct": _percentage(
                row["visited_in_30_days"], row["visit_cohort"]
            ),
            "first_employer_contact_within_30_days_cohort": row["visit_cohort"],
            "caseload_over_capacity_workers": row["over_capacity"],
        },
        "enterprise_fund": {
            "applications_submitted": row["applications_submitted"],
            "applications_approved": row["applications_approved"],
            "applications_rejected": row["applications_rejected"],
            "awarded_amount": _pounds(row["awarded_pence"]),
            "awarded_to_date": _pounds(row["awarded_to_date_pence"]),
            "fund_total": _pounds(row["fund_total_pence"]),
            "balance_at_end": _pounds(row["fund_total_pence"] - row["awarded_to_date_pence"]),
            **_cohorts(
                row, "businesses_trading_{weeks}_weeks", "businesses_{weeks}_weeks", (26, 52)
            ),
        },
        "distance_travelled": {
            "cases_reassessed": row["cases_reassessed"],
            "mean_change": {
                domain: _ratio(change[domain], row["cases_reassessed"]) for domain in DOMAINS
            },
            "improved_pct": _percentage(row["improved"], row["cases_reassessed"]),
        },
        "cumulative": {
            "people_supported": row["people_supported"],
            "people_into_paid_work": row["into_paid_work"],
            "competitive_employment_rate_pct": _percentage(
                row["into_paid_work"], row["people_supported"]
            ),
            "reoffending_rate_pct": _percentage(row["reoffended"], row["people_supported"]),
        },
        "equity": {
            measure: {
                breakdown: _counts(equity.get(measure, {}).get(breakdown), codes)
                for breakdown, codes in BREAKDOWNS.items()
            }
            for measure in EQUITY_MEASURES
        },
    }


def differences(
    expected: Any, actual: Any, where: str = ""
) -> tuple[int, list[tuple[str, Any, Any]]]:
    """How many figures `actual` holds, and those that differ from `expected` (in value or
    in type: 0 is not 0.0, nor None), as (dotted key, expected, actual). A figure the
    return lacks differs too. A list counts as one figure (its length) and its items."""
    wrong: list[tuple[str, Any, Any]] = []
    if isinstance(actual, dict):
        compared = 0
        for key, item in actual.items():
            inner = expected.get(key, MISSING) if isinstance(expected, dict) else MISSING
            count, found = differences(inner, item, f"{where}.{key}" if where else key)
            compared, wrong = compared + count, wrong + found
        return compared, wrong
    if isinstance(actual, list):
        compared = 1
        if not isinstance(expected, list):
            wrong.append((f"{where} (rows)", expected, len(actual)))
            expected = []
        elif len(expected) != len(actual):
            wrong.append((f"{where} (rows)", len(expected), len(actual)))
        for number, item in enumerate(actual, 1):
            inner = expected[number - 1] if number <= len(expected) else MISSING
            count, found = differences(inner, item, f"{where}.{number}")
            compared, wrong = compared + count, wrong + found
        return compared, wrong
    same = type(expected) is type(actual) and expected == actual
    return 1, [] if same else [(where, expected, actual)]


def _timed(compute: Any, start: date, end: date) -> tuple[list[float], Any]:
    timings, result = [], None
    for _ in range(ROUNDS):
        begun = time.perf_counter()
        result = compute(start, end)
        timings.append(time.perf_counter() - begun)
    return timings, result


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "e4e.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings

    from core.periods import last_complete_quarter, period_for_quarter
    from reporting.figures import quarterly_return

    if connection.vendor != "postgresql":
        print("Return against hand-written SQL: skipped, the statement is PostgreSQL's.")
        return
    name = sys.argv[1] if len(sys.argv) > 1 else last_complete_quarter(date.today()).name
    start, end = period_for_quarter(name)
    with connection.cursor() as cursor:
        # Both sides only read: make sure of it on a database others measure on.
        cursor.execute("SET default_transaction_read_only = on")

    orm_timings, document = _timed(quarterly_return, start, end)
    with override_settings(RETURN_CONNECTIONS=1):
        one_connection, _ = _timed(quarterly_return, start, end)
    sql_timings, figures = _timed(handwritten_figures, start, end)
    compared, wrong = differences(document, figures)
    orm, sql = statistics.median(orm_timings), statistics.median(sql_timings)
    print(f"quarter {name} ({start} to {end}), median of {ROUNDS}")
    connections = settings.RETURN_CONNECTIONS
    print(f"ORM return      {orm:8.3f} s  ({connections} connections side by side)")
    print(f"  on one        {statistics.median(one_connection):8.3f} s")
    print(f"hand-written    {sql:8.3f} s")
    print(f"ratio           {orm / sql:8.1f} x")
    print(f"figures compared {compared}, differing {len(wrong)}")
    for key, expected, actual in wrong:
        print(f"  {key}: ORM {expected!r}, SQL {actual!r}")
    if wrong:
        sys.exit(1)


if __name__ == "__main__":
    main()
