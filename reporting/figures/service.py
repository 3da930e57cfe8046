"""Access, caseload, hours and engagement: who came to the service and how they were held."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from caseload.models import Case, Contact, Outcome
from caseload.models.cases import active_on, open_on
from caseload.models.contacts import CLIENT_CONTACT
from core.codes import RejectionReason, Source
from core.models import User
from core.periods import Period
from core.queries import count_by
from referrals.models import Referral
from reporting.figures.common import (
    FACE_TO_FACE_EMPLOYER,
    DaysBetween,
    active_after,
    median,
    percentage,
    ratio,
)

#: A client contact more than this many days after the one before is a re-engagement.
RE_ENGAGED_AFTER_DAYS = 28
SUSTAINED_ENGAGEMENT_WEEKS = (6, 12, 24)
REMOTE_MODES = (Contact.Mode.PHONE, Contact.Mode.VIDEO, Contact.Mode.MESSAGE)


def access(period: Period) -> dict[str, Any]:
    received = Q(received_date__range=period.range)
    decided = Q(decision_date__range=period.range)
    counts = Referral.objects.aggregate(
        new_referrals=Count("pk", filter=received),
        **{f"source_{code}": Count("pk", filter=received & Q(source=code)) for code in Source},
        **{
            status: Count("pk", filter=decided & Q(status=status))
            for status in ("accepted", "rejected", "withdrawn")
        },
        **{
            f"reason_{code}": Count(
                "pk", filter=decided & Q(status="rejected", rejection_reason=code)
            )
            for code in RejectionReason
        },
    )
    started = Case.objects.filter(start_date__range=period.range).annotate(
        waited=DaysBetween("referral__received_date", "start_date")
    )
    waits = started.aggregate(total=Sum("waited"), cases=Count("pk"))
    # SQLite has no percentile function, so the median is taken from the day counts alone.
    waited_days = list(started.values_list("waited", flat=True))
    return {
        "new_referrals": counts["new_referrals"],
        "referrals_by_source": {code: counts[f"source_{code}"] for code in Source.values},
        "accepted": counts["accepted"],
        "rejected": counts["rejected"],
        "withdrawn": counts["withdrawn"],
        "rejections_by_reason": {code: counts[f"reason_{code}"] for code in RejectionReason.values},
        "referral_to_start_days_mean": ratio(waits["total"] or 0, waits["cases"]),
        "referral_to_start_days_median": median(waited_days),
    }


def caseload(period: Period) -> dict[str, Any]:
    end = period.end
    before = period.start - timedelta(days=1)
    counts = Case.objects.aggregate(
        carried_over=Count("pk", filter=active_on(before)),
        newly_started=Count("pk", filter=Q(start_date__range=period.range)),
        open_at_end=Count("pk", filter=open_on(end)),
        active_at_end=Count("pk", filter=active_on(end)),
        closed=Count("pk", filter=Q(closed_date__range=period.range)),
    )
    closed = Case.objects.filter(
        closed_date__range=period.range, start_date__isnull=False
    ).aggregate(days=Sum(DaysBetween("start_date", "closed_date")), cases=Count("pk"))
    still_open = Case.objects.filter(open_on(end)).aggregate(
        days=Sum(DaysBetween("start_date", end)), cases=Count("pk")
    )
    return {
        "carried_over": counts["carried_over"],
        "newly_started": counts["newly_started"],
        "open_at_end": counts["open_at_end"],
        "active_at_end": counts["active_at_end"],
        "per_worker": per_worker(period),
        "closed": counts["closed"],
        "days_on_caseload_closed_mean": ratio(closed["days"] or 0, closed["cases"]),
        "days_on_caseload_open_mean": ratio(still_open["days"] or 0, still_open["cases"]),
    }


def per_worker(period: Period) -> list[dict[str, Any]]:
    """One row per worker with an open case on the last day or a contact in the period."""
    end = period.end
    in_period = Q(date__range=period.range)
    workers = (
        User.objects.filter(
            Q(Exists(Case.objects.filter(open_on(end), worker=OuterRef("pk"))))
            | Q(Exists(Contact.objects.filter(in_period, worker=OuterRef("pk"))))
        )
        .annotate(
            open_at_end=count_by(Case.objects.filter(open_on(end)), "worker"),
            active_at_end=count_by(Case.objects.filter(active_on(end)), "worker"),
            newly_started=count_by(Case.objects.filter(start_date__range=period.range), "worker"),
            paid_outcomes_started=count_by(
                Outcome.objects.filter(type__in=Outcome.PAID, start_date__range=period.range),
                "case__worker",
            ),
            employer_visits=count_by(
                Contact.objects.filter(in_period, FACE_TO_FACE_EMPLOYER), "worker"
            ),
        )
        .order_by("email")
    )
    return [
        {
            "worker": worker.email,
            "fte": float(worker.fte) if worker.fte is not None else None,
            "capacity": worker.capacity,
            "open_at_end": worker.open_at_end,
            "active_at_end": worker.active_at_end,
            "newly_started": worker.newly_started,
            "paid_outcomes_started": worker.paid_outcomes_started,
            # Visits per full-time week: n / (fte * days / 7) = 7n / (fte * days).
            "face_to_face_employer_contacts_per_fte_week": ratio(
                7 * worker.employer_visits, worker.fte * period.days if worker.fte else None
            ),
        }
        for worker in workers
    ]


def hours(period: Period) -> dict[str, Any]:
    minutes = Contact.objects.filter(date__range=period.range).aggregate(
        face_to_face=Sum("duration_minutes", filter=Q(mode=Contact.Mode.FACE_TO_FACE)),
        remote=Sum("duration_minutes", filter=Q(mode__in=REMOTE_MODES)),
        admin=Sum("duration_minutes", filter=Q(mode=Contact.Mode.ADMIN)),
    )
    return {
        "face_to_face_hours": ratio(minutes["face_to_face"] or 0, 60),
        "remote_hours": ratio(minutes["remote"] or 0, 60),
        "admin_hours": ratio(minutes["admin"] or 0, 60),
    }


def engagement(period: Period) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for weeks in SUSTAINED_ENGAGEMENT_WEEKS:
        days = 7 * weeks
        cohort = (
            Case.objects.filter(start_date__range=period.milestones(days))
            .alias(days_open=DaysBetween("start_date", "closed_date"))
            .aggregate(cases=Count("pk"), sustained=Count("pk", filter=active_after(days)))
        )
        figures[f"sustained_{weeks}_weeks_pct"] = percentage(cohort["sustained"], cohort["cases"])
        figures[f"sustained_{weeks}_weeks_cohort"] = cohort["cases"]
    figures["re_engaged"] = re_engaged(period)
    return figures


def re_engaged(period: Period) -> int:
    """Cases with a client contact in the period more than 28 days after their previous
    client contact (the initial assessment counting as one), made while the case was open."""
    previous = (
        Contact.objects.filter(CLIENT_CONTACT, case=OuterRef("case"), date__lt=OuterRef("date"))
        .order_by("-date")
        .values("date")[:1]
    )
    returns = (
        Contact.objects.filter(CLIENT_CONTACT, date__range=period.range)
        .filter(case__start_date__lte=F("date"))
        .filter(Q(case__closed_date__isnull=True) | Q(case__closed_date__gt=F("date")))
        .alias(
            previous=Coalesce(Subquery(previous), F("case__start_date")),
            gap=DaysBetween("previous", "date"),
        )
        .filter(gap__gt=RE_ENGAGED_AFTER_DAYS)
    )
    return returns.values("case").distinct().count()
