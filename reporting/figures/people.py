"""Distance travelled, the cumulative figures and equity: how people moved, and who they were."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value, When, Window
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, FirstValue, RowNumber

from caseload.models import Case, DistanceAssessment, Offence, Outcome
from core.codes import Ethnicity, Gender
from core.periods import Period
from referrals.models import Referral
from reporting.figures.common import percentage, ratio

DOMAINS = DistanceAssessment.DOMAINS
#: Age bands on the referral date: (key, youngest, oldest or None).
AGE_BANDS = (
    ("under_18", None, 17),
    ("18_21", 18, 21),
    ("22_25", 22, 25),
    ("26_30", 26, 30),
    ("31_35", 31, 35),
    ("over_35", 36, None),
)


def reassessments(period: Period) -> list[dict[str, int]]:
    """For each case assessed twice or more whose latest assessment is in the period: the
    change in each domain from its first assessment to its latest.

    One pass over the assessments of the cases assessed in the period and not after it:
    window functions give each case's count and first scores, and keep its latest row.
    """
    by_case: dict[str, Any] = {"partition_by": F("case")}
    oldest_first = [F("date").asc(), F("pk").asc()]
    assessed_later = DistanceAssessment.objects.filter(case=OuterRef("case"), date__gt=period.end)
    latest = (
        DistanceAssessment.objects.filter(
            case__in=DistanceAssessment.objects.filter(date__range=period.range).values("case")
        )
        .exclude(Exists(assessed_later))
        .annotate(
            assessments=Window(Count("pk"), **by_case),
            newest=Window(RowNumber(), **by_case, order_by=[F("date").desc(), F("pk").desc()]),
            **{
                f"first_{domain}": Window(FirstValue(domain), **by_case, order_by=oldest_first)
                for domain in DOMAINS
            },
        )
        .filter(newest=1, assessments__gte=2)
        .order_by()
    )
    return [
        {
            domain: latest_score - first_score
            for domain, latest_score, first_score in zip(DOMAINS, row[::2], row[1::2], strict=True)
        }
        for row in latest.values_list(
            *(name for domain in DOMAINS for name in (domain, f"first_{domain}"))
        )
    ]


def distance_travelled(changes: list[dict[str, int]]) -> dict[str, Any]:
    """Over the cases reassessed (`reassessments`): the mean change per domain, and the
    share whose total rose."""
    cases = len(changes)
    return {
        "cases_reassessed": cases,
        "mean_change": {
            domain: ratio(sum(change[domain] for change in changes), cases) for domain in DOMAINS
        },
        "improved_pct": percentage(sum(1 for change in changes if sum(change.values()) > 0), cases),
    }


def cumulative(period: Period) -> dict[str, Any]:
    end = period.end
    paid_work = Outcome.objects.filter(
        case=OuterRef("pk"), type__in=Outcome.PAID, start_date__lte=end
    )
    # An offence while on the service: from the case's start, before its close, by the end.
    offence = Offence.objects.filter(
        Q(case__closed_date__isnull=True) | Q(case__closed_date__gt=F("date")),
        case=OuterRef("pk"),
        date__gte=F("case__start_date"),
        date__lte=end,
    )
    counts = Case.objects.filter(start_date__lte=end).aggregate(
        supported=Count("pk"),
        into_paid_work=Count("pk", filter=Q(Exists(paid_work))),
        reoffended=Count("pk", filter=Q(Exists(offence))),
    )
    return {
        "people_supported": counts["supported"],
        "people_into_paid_work": counts["into_paid_work"],
        "competitive_employment_rate_pct": percentage(
            counts["into_paid_work"], counts["supported"]
        ),
        "reoffending_rate_pct": percentage(counts["reoffended"], counts["supported"]),
    }


def with_age(people: QuerySet[Any], prefix: str) -> QuerySet[Any]:
    """`people` (referrals, or cases with `prefix` "referral__") with an `age` alias: whole
    years of age on the referral's received date."""
    birthday_to_come = Q(received_month__lt=F("born_month")) | Q(
        received_month=F("born_month"), received_day__lt=F("born_day")
    )
    return people.alias(
        born_month=ExtractMonth(f"{prefix}date_of_birth"),
        born_day=ExtractDay(f"{prefix}date_of_birth"),
        received_month=ExtractMonth(f"{prefix}received_date"),
        received_day=ExtractDay(f"{prefix}received_date"),
    ).alias(
        age=ExtractYear(f"{prefix}received_date")
        - ExtractYear(f"{prefix}date_of_birth")
        - models.Case(When(birthday_to_come, then=Value(1)), default=Value(0))
    )


def age_band_filter(youngest: int | None, oldest: int | None) -> Q:
    """For rows with the `age` alias of with_age: in the band from `youngest` to `oldest`."""
    return (Q(age__gte=youngest) if youngest is not None else Q()) & (
        Q(age__lte=oldest) if oldest is not None else Q()
    )


def age_band() -> models.Case:
    """For rows with the `age` alias of with_age: the key of their age band."""
    return models.Case(
        *(
            When(age_band_filter(youngest, oldest), then=Value(key))
            for key, youngest, oldest in AGE_BANDS
        ),
        output_field=models.CharField(),
    )


def _by_group(people: QuerySet[Any], prefix: str) -> dict[str, dict[str, int]]:
    """`people` (referrals, or cases with `prefix` "referral__") counted by ethnicity,
    gender and age band."""
    counts = with_age(people, prefix).aggregate(
        **{
            f"ethnicity_{code}": Count("pk", filter=Q(**{f"{prefix}ethnicity": code}))
            for code in Ethnicity.values
        },
        **{
            f"gender_{code}": Count("pk", filter=Q(**{f"{prefix}gender": code}))
            for code in Gender.values
        },
        **{
            f"age_{key}": Count("pk", filter=age_band_filter(youngest, oldest))
            for key, youngest, oldest in AGE_BANDS
        },
    )
    return {
        "by_ethnicity": {code: counts[f"ethnicity_{code}"] for code in Ethnicity.values},
        "by_gender": {code: counts[f"gender_{code}"] for code in Gender.values},
        "by_age_band": {key: counts[f"age_{key}"] for key, _, _ in AGE_BANDS},
    }


def equity(period: Period) -> dict[str, Any]:
    paid_start = Outcome.objects.filter(
        case=OuterRef("pk"), type__in=Outcome.PAID, start_date__range=period.range
    )
    return {
        "new_referrals": _by_group(
            Referral.objects.filter(received_date__range=period.range), prefix=""
        ),
        "newly_started": _by_group(
            Case.objects.filter(start_date__range=period.range), prefix="referral__"
        ),
        "people_starting_paid_work": _by_group(
            Case.objects.filter(Exists(paid_start)), prefix="referral__"
        ),
    }
