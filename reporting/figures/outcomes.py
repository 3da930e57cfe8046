"""Employment, fidelity and the enterprise fund: what the support led to."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery, Sum

from caseload.models import Case, Contact, Outcome, VocationalProfile
from caseload.models.cases import active_on
from core.money import pence_to_pounds
from core.periods import Period
from enterprise_fund.models import FundApplication
from enterprise_fund.selectors import current_fund
from reporting.figures.common import FACE_TO_FACE_EMPLOYER, DaysBetween, percentage, ratio

FULL_TIME_HOURS = 30
#: Days from case start to a paid start: (key, first day, last day or None).
TIME_ON_SERVICE = (("0_6_months", 0, 182), ("6_12_months", 183, 364), ("over_12_months", 365, None))
SUSTAINED_JOB_WEEKS = (13, 26, 52)
TRADING_WEEKS = (26, 52)
FIRST_EMPLOYER_CONTACT_DAYS = 30


def _lasted(weeks: int) -> Q:
    """For outcomes annotated with `days_lasted`: still going `weeks` weeks after starting."""
    return Q(end_date__isnull=True) | Q(days_lasted__gte=7 * weeks)


def _sustained(outcomes: Any, period: Period, weeks: int) -> tuple[int, float | None]:
    """The cohort of outcomes whose milestone falls in the period, and the share lasting."""
    cohort = (
        outcomes.filter(start_date__range=period.milestones(7 * weeks))
        .alias(days_lasted=DaysBetween("start_date", "end_date"))
        .aggregate(outcomes=Count("pk"), lasting=Count("pk", filter=_lasted(weeks)))
    )
    return cohort["outcomes"], percentage(cohort["lasting"], cohort["outcomes"])


def employment(period: Period) -> dict[str, Any]:
    paid = Q(type__in=Outcome.PAID)
    started = Outcome.objects.filter(start_date__range=period.range).alias(
        days_on_service=DaysBetween("case__start_date", "start_date")
    )
    counts = started.aggregate(
        **{f"{kind}_starts": Count("pk", filter=Q(type=kind)) for kind in Outcome.Type.values},
        people_starting_paid_work=Count("case", filter=paid, distinct=True),
        full_time_starts=Count("pk", filter=paid & Q(hours_per_week__gte=FULL_TIME_HOURS)),
        part_time_starts=Count("pk", filter=paid & Q(hours_per_week__lt=FULL_TIME_HOURS)),
        **{
            key: Count(
                "pk",
                filter=paid
                & Q(days_on_service__gte=first)
                & (Q(days_on_service__lte=last) if last is not None else Q()),
            )
            for key, first, last in TIME_ON_SERVICE
        },
    )
    figures: dict[str, Any] = {
        f"{kind}_starts": counts[f"{kind}_starts"] for kind in Outcome.Type.values
    }
    figures |= {
        "people_starting_paid_work": counts["people_starting_paid_work"],
        "full_time_starts": counts["full_time_starts"],
        "part_time_starts": counts["part_time_starts"],
        "paid_starts_by_time_on_service": {key: counts[key] for key, _, _ in TIME_ON_SERVICE},
    }
    for weeks in SUSTAINED_JOB_WEEKS:
        cohort, share = _sustained(Outcome.objects.filter(paid), period, weeks)
        figures[f"sustained_{weeks}_weeks_pct"] = share
        figures[f"sustained_{weeks}_weeks_cohort"] = cohort
    figures["progressions"] = progressions(period)
    return figures


def progressions(period: Period) -> int:
    """Paid outcomes starting in the period that are a step up (Outcome Framework 12.4.3):
    their case had an outcome start earlier that was not paid, or paid for fewer hours."""
    step_from = Outcome.objects.filter(
        ~Q(type__in=Outcome.PAID) | Q(hours_per_week__lt=OuterRef("hours_per_week")),
        case=OuterRef("case"),
        start_date__lt=OuterRef("start_date"),
    )
    return (
        Outcome.objects.filter(type__in=Outcome.PAID, start_date__range=period.range)
        .filter(Exists(step_from))
        .count()
    )


def fidelity(period: Period, per_worker: list[dict[str, Any]]) -> dict[str, Any]:
    employer_visits = Contact.objects.filter(FACE_TO_FACE_EMPLOYER, case=OuterRef("pk"))
    # A case's first visit is in the period when it has one there and none before: the
    # period's visits, not every case, are looked at.
    visited_before = Contact.objects.filter(
        FACE_TO_FACE_EMPLOYER, case=OuterRef("case"), date__lt=period.start
    )
    firsts = (
        Contact.objects.filter(
            FACE_TO_FACE_EMPLOYER, date__range=period.range, case__start_date__isnull=False
        )
        .exclude(Exists(visited_before))
        .values("case", "case__start_date")
        .annotate(first_visit=Min("date"))
        .order_by()
        .aggregate(days=Sum(DaysBetween("case__start_date", "first_visit")), cases=Count("case"))
    )
    days = FIRST_EMPLOYER_CONTACT_DAYS
    early_visit = employer_visits.alias(
        after_start=DaysBetween(OuterRef("start_date"), "date")
    ).filter(after_start__lte=days)
    cohort = Case.objects.filter(start_date__range=period.milestones(days)).aggregate(
        cases=Count("pk"), visited=Count("pk", filter=Q(Exists(early_visit)))
    )
    # Items 13 and 14 of the fidelity scale, from the vocational profiles' history (as they
    # stood then, so a later edit changes no earlier period): the people active at the end
    # whose profile then held a plan for disclosing convictions; the people whose paid work
    # started or ended in the period whose profile was updated in it.
    plan_at_end = (
        VocationalProfile.history.filter(case=OuterRef("pk"), history_date__date__lte=period.end)
        .order_by("-history_date", "-history_id")
        .values("disclosure_plan")[:1]
    )
    plans = (
        Case.objects.filter(active_on(period.end))
        .alias(plan=Subquery(plan_at_end))
        .aggregate(
            cases=Count("pk"),
            planned=Count("pk", filter=Q(plan__isnull=False) & ~Q(plan="")),
        )
    )
    profile_updated = VocationalProfile.history.filter(
        case=OuterRef("pk"), history_date__date__range=period.range
    )
    jobs = Case.objects.filter(
        Exists(
            Outcome.objects.filter(type__in=Outcome.PAID, case=OuterRef("pk")).filter(
                Q(start_date__range=period.range) | Q(end_date__range=period.range)
            )
        )
    ).aggregate(cases=Count("pk"), updated=Count("pk", filter=Q(Exists(profile_updated))))
    return {
        "first_employer_contact_days_mean": ratio(firsts["days"] or 0, firsts["cases"]),
        # The number the mean is over, for the small-number rule.
        "first_employer_contact_cases": firsts["cases"],
        "first_employer_contact_within_30_days_pct": percentage(cohort["visited"], cohort["cases"]),
        "first_employer_contact_within_30_days_cohort": cohort["cases"],
        "disclosure_plan_pct": percentage(plans["planned"], plans["cases"]),
        "disclosure_plan_cohort": plans["cases"],
        "profile_updated_with_job_pct": percentage(jobs["updated"], jobs["cases"]),
        "profile_updated_with_job_cohort": jobs["cases"],
        # From the per-worker rows: every worker with an open case at the end has one.
        "caseload_over_capacity_workers": sum(
            1 for row in per_worker if row["open_at_end"] > row["capacity"]
        ),
    }


def enterprise_fund(period: Period) -> dict[str, Any]:
    approved = Q(status=FundApplication.Status.APPROVED)
    decided = Q(decision_date__range=period.range)
    counts = FundApplication.objects.aggregate(
        submitted=Count("pk", filter=Q(submitted_date__range=period.range)),
        approved=Count("pk", filter=approved & decided),
        rejected=Count("pk", filter=decided & Q(status=FundApplication.Status.REJECTED)),
        awarded=Sum("amount_awarded_pence", filter=approved & decided),
        awarded_to_date=Sum(
            "amount_awarded_pence", filter=approved & Q(decision_date__lte=period.end)
        ),
    )
    fund = current_fund()
    total = fund.total_pence if fund is not None else 0
    figures: dict[str, Any] = {
        "applications_submitted": counts["submitted"],
        "applications_approved": counts["approved"],
        "applications_rejected": counts["rejected"],
        "awarded_amount": pence_to_pounds(counts["awarded"] or 0),
        "awarded_to_date": pence_to_pounds(counts["awarded_to_date"] or 0),
        "fund_total": pence_to_pounds(total),
        "balance_at_end": pence_to_pounds(total - (counts["awarded_to_date"] or 0)),
    }
    businesses = Outcome.objects.filter(type=Outcome.Type.SELF_EMPLOYMENT)
    for weeks in TRADING_WEEKS:
        cohort, share = _sustained(businesses, period, weeks)
        figures[f"businesses_trading_{weeks}_weeks_pct"] = share
        figures[f"businesses_trading_{weeks}_weeks_cohort"] = cohort
    return figures
