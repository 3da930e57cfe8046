"""Access, caseload, hours and engagement: who came to the service and how they were held."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value, When, Window
from django.db.models.functions import Coalesce, Lag

from caseload.models import Case, Contact, Feedback, Outcome
from caseload.models.cases import active_on, open_on
from caseload.models.contacts import CLIENT_CONTACT
from core.codes import RejectionReason, Source
from core.models import User
from core.periods import Period
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
    waits = started.aggregate(
        total=Sum("waited"),
        cases=Count("pk"),
        **{
            f"prior_{answer}": Count("pk", filter=Q(prior_similar_support=answer))
            for answer in Case.PriorSupport.values
        },
    )
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
        "prior_similar_support": {
            answer: waits[f"prior_{answer}"] for answer in Case.PriorSupport.values
        },
    }


def caseload(period: Period, contacts: ContactSums) -> dict[str, Any]:
    """The caseload section; `contacts` is contact_sums(period), shared with the hours."""
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
        "per_worker": per_worker(period, contacts),
        "closed": counts["closed"],
        "days_on_caseload_closed_mean": ratio(closed["days"] or 0, closed["cases"]),
        # The number the mean is over (a case closed before it started has no days).
        "days_on_caseload_closed_cases": closed["cases"],
        "days_on_caseload_open_mean": ratio(still_open["days"] or 0, still_open["cases"]),
    }


OUT_OF_HOURS = Q(out_of_hours=True)

#: Minutes of contact by kind of hours, summed over contacts (a period's, or a worker's).
_MINUTES = {
    "face_to_face": Sum("duration_minutes", filter=Q(mode=Contact.Mode.FACE_TO_FACE)),
    "remote": Sum("duration_minutes", filter=Q(mode__in=REMOTE_MODES)),
    "admin": Sum("duration_minutes", filter=Q(mode=Contact.Mode.ADMIN)),
}


#: The period's contacts summed by worker: the minutes of each kind of hours, face-to-face
#: employer visits and out-of-hours work; the rows of contact_sums.
ContactSums = dict[int, dict[str, Any]]


def contact_sums(period: Period) -> ContactSums:
    """One grouped pass over the period's contacts, answered from the contacts' date index
    alone on PostgreSQL: what the per-worker rows and the hours section both need."""
    return {
        row["worker"]: dict(row)
        for row in Contact.objects.filter(date__range=period.range)
        .values("worker")
        # Counted by a column of the index, which then answers alone.
        .annotate(
            employer_visits=Count("worker", filter=FACE_TO_FACE_EMPLOYER),
            out_of_hours_client_contacts=Count("worker", filter=CLIENT_CONTACT & OUT_OF_HOURS),
            out_of_hours=Sum("duration_minutes", filter=OUT_OF_HOURS & ~Q(mode=Contact.Mode.ADMIN)),
            **_MINUTES,
        )
        .order_by()
    }


def per_worker(period: Period, contacts: ContactSums) -> list[dict[str, Any]]:
    """One row per worker with an open case on the last day or a contact in the period.

    One grouped pass over each table (cases, paid outcomes, the period's contacts), not a
    query per worker: a national programme has a thousand workers.
    """
    end = period.end
    in_period = Q(start_date__range=period.range)
    cases: dict[int, dict[str, Any]] = {
        row["worker"]: dict(row)
        for row in Case.objects.filter(open_on(end) | in_period)
        .values("worker")
        .annotate(
            open_at_end=Count("pk", filter=open_on(end)),
            active_at_end=Count("pk", filter=active_on(end)),
            newly_started=Count("pk", filter=in_period),
        )
        .order_by()
    }
    paid_starts = dict(
        Outcome.objects.filter(type__in=Outcome.PAID, start_date__range=period.range)
        .values_list("case__worker")
        .annotate(n=Count("pk"))
        .order_by()
    )
    with_open_case = {worker for worker, row in cases.items() if row["open_at_end"]}
    workers = User.objects.filter(pk__in=(with_open_case | set(contacts)) - {None}).order_by(
        "email"
    )
    return [_worker_row(worker, cases, paid_starts, contacts, period) for worker in workers]


def _worker_row(
    worker: User,
    cases: dict[int, dict[str, Any]],
    paid_starts: dict[int, int],
    contacts: dict[int, dict[str, Any]],
    period: Period,
) -> dict[str, Any]:
    counts = cases.get(worker.pk, {})
    minutes = contacts.get(worker.pk, {})
    employer_visits = minutes.get("employer_visits", 0)
    return {
        "worker": worker.email,
        "fte": float(worker.fte) if worker.fte is not None else None,
        "capacity": worker.capacity,
        "open_at_end": counts.get("open_at_end", 0),
        "active_at_end": counts.get("active_at_end", 0),
        "newly_started": counts.get("newly_started", 0),
        "paid_outcomes_started": paid_starts.get(worker.pk, 0),
        # Visits per full-time week: n / (fte * days / 7) = 7n / (fte * days).
        "face_to_face_employer_contacts_per_fte_week": ratio(
            7 * employer_visits, worker.fte * period.days if worker.fte else None
        ),
        **_hours_of(minutes),
    }


def _hours_of(minutes: dict[str, Any]) -> dict[str, float | None]:
    return {
        f"{kind}_hours": ratio(minutes.get(kind) or 0, 60)
        for kind in ("face_to_face", "remote", "admin")
    }


def hours(contacts: ContactSums) -> dict[str, Any]:
    """The hours section, from contact_sums(period): the sums of its workers' rows."""

    def total(key: str) -> int:
        return sum(row[key] or 0 for row in contacts.values())

    return {
        **_hours_of({kind: total(kind) for kind in _MINUTES}),
        "out_of_hours_client_contacts": total("out_of_hours_client_contacts"),
        "out_of_hours_hours": ratio(total("out_of_hours"), 60),
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
    scores = ("trust", "confidence", "respected")
    feedback = Feedback.objects.filter(date__range=period.range).aggregate(
        responses=Count("pk"), **{score: Sum(score) for score in scores}
    )
    figures["feedback_responses"] = feedback["responses"]
    for score in scores:
        figures[f"feedback_{score}_mean"] = ratio(feedback[score] or 0, feedback["responses"])
    return figures


def re_engaged(period: Period) -> int:
    """Cases with a client contact in the period more than 28 days after their previous
    client contact (the initial assessment counting as one), made while the case was open.

    One pass over the period's client contacts: the previous contact is the one before in
    the period (a window function), or for a case's first contact in the period the latest
    before the period (probed once a case, not once a contact), or else the case's start.
    """
    before_period = (
        Contact.objects.filter(CLIENT_CONTACT, case=OuterRef("case"), date__lt=period.start)
        .order_by("-date")
        .values("date")[:1]
    )
    previous_in_period = Window(Lag("date"), partition_by=F("case"), order_by=F("date").asc())
    while_open = Q(case__start_date__lte=F("date")) & (
        Q(case__closed_date__isnull=True) | Q(case__closed_date__gt=F("date"))
    )
    returns = (
        Contact.objects.filter(CLIENT_CONTACT, date__range=period.range)
        .annotate(
            previous=Coalesce(previous_in_period, Subquery(before_period), F("case__start_date")),
            gap=DaysBetween("previous", "date"),
        )
        # One condition, as it holds the window: filtered after the window is computed over
        # every client contact of the period, not only those of open cases.
        .annotate(
            counts=models.Case(
                When(while_open & Q(gap__gt=RE_ENGAGED_AFTER_DAYS), then=Value(True)),
                default=Value(False),
            )
        )
        .filter(counts=True)
        .order_by()
    )
    return len({case for (case,) in returns.values_list("case")})
