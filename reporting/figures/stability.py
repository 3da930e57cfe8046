"""Stability and the service user's voice (Outcome Framework 12.3, 12.5 and 12.7.2):
signposting, crises, housing and finances, and complaints."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from caseload.models import Case, Complaint, CrisisEpisode, Signposting
from core.codes import Need
from core.periods import Period
from reporting.figures.common import DaysBetween, percentage

#: A case's crises in its first 13 weeks, against those in the 13 weeks after: days from its
#: start, both ends included, and the milestone (26 weeks) whose cohort the case is in.
EARLY_CRISES = (0, 90)
LATER_CRISES = (91, 181)
CRISIS_MILESTONE_DAYS = 182
COMPLAINT_ACKNOWLEDGED_WITHIN_DAYS = 30
#: The needs whose engagement 12.7.2 asks for.
HEALTH_NEEDS = (Need.MENTAL_HEALTH, Need.SUBSTANCE_MISUSE)


def stability(period: Period, reassessed: list[dict[str, int]]) -> dict[str, Any]:
    """`reassessed` is the period's `people.reassessments`: the housing and finances shares
    are over the same cases as distance travelled."""
    dated = Q(date__range=period.range)
    engaged = Q(outcome=Signposting.Result.ENGAGED)
    signposting = Signposting.objects.filter(dated).aggregate(
        signposted=Count("pk"),
        **{f"need_{need}": Count("pk", filter=Q(need=need)) for need in Need.values},
        with_result=Count(
            "pk", filter=Q(outcome__in=[Signposting.Result.ENGAGED, Signposting.Result.DECLINED])
        ),
        engaged=Count("pk", filter=engaged),
        health_engaged=Count("pk", filter=engaged & Q(need__in=HEALTH_NEEDS)),
    )
    crises = CrisisEpisode.objects.filter(dated).aggregate(
        episodes=Count("pk"),
        people=Count("case", distinct=True),
        **{f"kind_{kind}": Count("pk", filter=Q(kind=kind)) for kind in CrisisEpisode.Kind.values},
    )
    cohort, reduced = _crisis_reduction(period)
    cases = len(reassessed)
    return {
        "signposted": signposting["signposted"],
        "signposted_by_need": {need: signposting[f"need_{need}"] for need in Need.values},
        "signposting_engaged_pct": percentage(signposting["engaged"], signposting["with_result"]),
        # The number the share is over (engaged or declined), for the small-number rule.
        "signposting_engaged_cohort": signposting["with_result"],
        "mental_health_or_substance_engaged": signposting["health_engaged"],
        "crisis_episodes": crises["episodes"],
        "people_with_crisis": crises["people"],
        "crises_by_kind": {kind: crises[f"kind_{kind}"] for kind in CrisisEpisode.Kind.values},
        "crisis_reduction_pct": percentage(reduced, cohort),
        "crisis_reduction_cohort": cohort,
        "housing_improved_pct": percentage(
            sum(1 for change in reassessed if change["housing"] > 0), cases
        ),
        "finances_improved_pct": percentage(
            sum(1 for change in reassessed if change["finances"] > 0), cases
        ),
    }


def _crisis_reduction(period: Period) -> tuple[int, int]:
    """The cases reaching 26 weeks in the period that had a crisis in their first 13 weeks,
    and how many of them had none in the 13 weeks after."""

    def crisis_between(first: int, last: int) -> Exists:
        return Exists(
            CrisisEpisode.objects.alias(
                after_start=DaysBetween(OuterRef("start_date"), "date")
            ).filter(case=OuterRef("pk"), after_start__gte=first, after_start__lte=last)
        )

    counts = (
        Case.objects.filter(start_date__range=period.milestones(CRISIS_MILESTONE_DAYS))
        .filter(crisis_between(*EARLY_CRISES))
        .aggregate(cases=Count("pk"), reduced=Count("pk", filter=~Q(crisis_between(*LATER_CRISES))))
    )
    return counts["cases"], counts["reduced"]


def voice(period: Period) -> dict[str, Any]:
    days = COMPLAINT_ACKNOWLEDGED_WITHIN_DAYS
    received_by_end = Q(received_date__lte=period.end)
    resolved_by_end = Q(resolved_date__isnull=False, resolved_date__lte=period.end)
    counts = Complaint.objects.alias(
        to_acknowledge=DaysBetween("received_date", "acknowledged_date")
    ).aggregate(
        received=Count("pk", filter=Q(received_date__range=period.range)),
        cohort=Count("pk", filter=Q(received_date__range=period.milestones(days))),
        acknowledged=Count(
            "pk",
            filter=Q(received_date__range=period.milestones(days), to_acknowledge__lte=days),
        ),
        resolved=Count("pk", filter=Q(resolved_date__range=period.range)),
        open_at_end=Count("pk", filter=received_by_end & ~resolved_by_end),
    )
    return {
        "complaints_received": counts["received"],
        "complaints_acknowledged_in_30_days_pct": percentage(
            counts["acknowledged"], counts["cohort"]
        ),
        "complaints_acknowledged_in_30_days_cohort": counts["cohort"],
        "complaints_resolved": counts["resolved"],
        "complaints_open_at_end": counts["open_at_end"],
    }
