"""Reads of cases that depend on who is asking. The only place that knows visibility."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from caseload.case_access import cases_opened_by
from caseload.models import Appointment, Case, Reminder, ReminderConsent
from caseload.models.reminders import Channel
from core.models import Role, User


def cases_visible_to(user: User, cases: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """Specialists see the cases they hold a grant for (their own); managers see every
    case; no one else sees any. The rule itself is `caseload.case_access`. `cases` (default
    every case) narrows or annotates the cases looked at."""
    cases = Case.objects.all() if cases is None else cases
    return cases_opened_by(user, cases.select_related("referral", "worker"))


#: A case with no client contact for this many days shows as going inactive.
INACTIVE_WARNING_DAYS = 21


def get_case_for(
    user: User, pk: int, *, write: bool = False, cases: QuerySet[Case] | None = None
) -> Case:
    """The case if the user may see it, else 404 (never confirming that it exists).

    Everyone who may see a case may also change it today (its specialist and managers);
    `write` is kept so that read-only roles can be added without changing callers. `cases`
    annotates the case with what a page needs of it, in the same query.
    """
    from django.shortcuts import get_object_or_404

    return get_object_or_404(cases_visible_to(user, cases), pk=pk)


def caseload_for(worker: User, today: date | None = None) -> QuerySet[Case]:
    """The worker's open cases, newest first, each with `latest_client_contact`: the date
    of the latest client contact (mode other than admin), or None; and with `today` given,
    `is_active`: whether the case is active that day (Case.objects.active_on's rule)."""
    from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Subquery

    from caseload.models import Contact
    from caseload.models.cases import active_on

    # The newest first, one row: read backwards along the (case, party, date) index and
    # stopped at the first, where a Max would read each of the case's client contacts.
    latest_contact = (
        Contact.objects.filter(case=OuterRef("pk"), party=Contact.Party.CLIENT)
        .exclude(mode=Contact.Mode.ADMIN)
        .order_by("-date")
        .values("date")[:1]
    )
    # The referral only: the worker of every case is the one asking.
    cases = (
        cases_visible_to(worker)
        .select_related(None)
        .select_related("referral")
        .filter(worker=worker, closed_date__isnull=True)
        .annotate(latest_client_contact=Subquery(latest_contact))
        .order_by("-accepted_date", "-pk")
    )
    if today is not None:
        cases = cases.annotate(
            is_active=ExpressionWrapper(active_on(today), output_field=BooleanField())
        )
    return cases


def days_since_client_contact(case: Case, today: date) -> int | None:
    """Days since the person was last seen or spoken to; the initial assessment counts as a
    client contact on the start date. None while the case awaits its assessment."""
    seen = [d for d in (getattr(case, "latest_client_contact", None), case.start_date) if d]
    return (today - max(seen)).days if seen else None


def team_caseloads(today: date, workers: Iterable[User] | None = None) -> list[User]:
    """Workers (every active one by default, in name order) each with counts of their
    cases: held against the cap (accepted, not closed), awaiting the initial assessment,
    open and active today (the definitions of the return: `open_on`, `active_on`), going
    inactive (open, no client contact for more than 21 days), overdue tasks, complaints not
    acknowledged in time, recent threat-to-life records, and the client contacts they made
    out of hours and the appointments kept and missed in the last 28 days.

    Eight grouped queries over the workers' cases and records, whatever the number of
    workers (one pass each, not a subquery per worker or per case)."""
    from django.db.models import Count

    from caseload.models import Complaint, Contact, Task, ThreatToLifeDisclosure
    from caseload.models.contacts import CLIENT_CONTACT
    from core.selectors import workers_with_capacity

    people = list(workers if workers is not None else workers_with_capacity())
    cases = case_counts(people, today)
    records: dict[str, QuerySet[Any]] = {
        "overdue_tasks": Task.objects.filter(done_date__isnull=True, due_date__lt=today),
        "late_complaints": Complaint.objects.filter(
            acknowledged_date__isnull=True,
            received_date__lt=today - timedelta(days=COMPLAINT_ACKNOWLEDGE_DAYS),
        ),
        "recent_disclosures": ThreatToLifeDisclosure.objects.filter(
            disclosed_at__date__gte=today - timedelta(days=DISCLOSURE_WINDOW_DAYS)
        ),
    }
    counts = {
        name: dict(
            rows.filter(case__worker__in=people)
            .values_list("case__worker")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for name, rows in records.items()
    }
    # Counted by the worker who made them, on the contacts' (worker, date) index.
    counts["out_of_hours_contacts"] = dict(
        Contact.objects.filter(
            CLIENT_CONTACT,
            worker__in=people,
            out_of_hours=True,
            date__range=(today - timedelta(days=OUT_OF_HOURS_WINDOW_DAYS - 1), today),
        )
        .values_list("worker")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts |= appointments_kept_and_missed(people, today)
    for person in people:
        row = cases.get(person.pk, {})
        for name in CASE_COUNTS:
            setattr(person, name, row.get(name, 0))
        for name, by_worker in counts.items():
            setattr(person, name, by_worker.get(person.pk, 0))
    return people


def appointments_kept_and_missed(workers: Iterable[User], today: date) -> dict[str, dict[int, int]]:
    """Per worker, the appointments they held that were kept (attended) and missed in the
    last 28 days (OUT_OF_HOURS_WINDOW_DAYS, as the team view's other counts): for the team
    view and each worker's digest. Two grouped queries."""
    from django.db.models import Count

    window = (today - timedelta(days=OUT_OF_HOURS_WINDOW_DAYS - 1), today)
    return {
        name: dict(
            Appointment.objects.filter(worker__in=workers, status=status, date__range=window)
            .values_list("worker")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for name, status in (
            ("appointments_kept", Appointment.Status.ATTENDED),
            ("appointments_missed", Appointment.Status.MISSED),
        )
    }


def case_counts(workers: Iterable[User], today: date) -> dict[int, dict[str, Any]]:
    """Per worker (by pk), the counts of CASE_COUNTS: cases held against the cap (accepted,
    not closed), awaiting the initial assessment, open and active today (the return's
    `open_on`, `active_on`), going inactive (open, no client contact for more than 21
    days). One grouped query: the team view's rows and the specialist's own home page."""
    from django.db.models import Count

    from caseload.models import Contact
    from caseload.models.cases import active_on, held_q, open_on
    from caseload.models.contacts import CLIENT_CONTACT

    since = today - timedelta(days=INACTIVE_WARNING_DAYS)
    seen = Contact.objects.filter(CLIENT_CONTACT, case=OuterRef("pk"), date__range=(since, today))
    going_inactive = open_on(today) & ~(Q(start_date__gte=since) | Q(Exists(seen)))
    return {
        row["worker"]: {name: row[name] for name in CASE_COUNTS}  # type: ignore[literal-required]
        for row in Case.objects.filter(worker__in=workers)
        .filter(held_q() | open_on(today))
        .values("worker")
        .annotate(
            held_cases=Count("pk", filter=held_q()),
            awaiting_assessment=Count("pk", filter=held_q() & Q(start_date__isnull=True)),
            open_cases=Count("pk", filter=open_on(today)),
            active_cases=Count("pk", filter=active_on(today)),
            going_inactive=Count("pk", filter=going_inactive),
        )
        .order_by()
    }


#: The case counts team_caseloads gives each worker (besides the records' counts).
CASE_COUNTS = ("held_cases", "awaiting_assessment", "open_cases", "active_cases", "going_inactive")


#: A complaint must be acknowledged within this many days of receipt.
COMPLAINT_ACKNOWLEDGE_DAYS = 30
#: A client contact is due when the person has not been seen or spoken to for this long.
CONTACT_DUE_AFTER_DAYS = 14

#: The team view counts each worker's out-of-hours client contacts over this many days.
OUT_OF_HOURS_WINDOW_DAYS = 28

#: The team view shows threat-to-life disclosures recorded in this many days.
DISCLOSURE_WINDOW_DAYS = 90


def tasks_for(user: User) -> QuerySet[Any]:
    """Open tasks on the cases the user may see (for a specialist, their own), overdue first."""
    from caseload.models import Task

    return (
        Task.objects.filter(case__in=cases_visible_to(user), done_date__isnull=True)
        .filter(case__worker=user)
        .select_related("case__referral")
        .order_by("due_date", "pk")
    )


def get_task_for(user: User, pk: int) -> Any:
    from django.shortcuts import get_object_or_404

    from caseload.models import Task

    return get_object_or_404(
        Task.objects.filter(case__in=cases_visible_to(user)).select_related("case__referral"),
        pk=pk,
    )


#: IPS: six face-to-face employer contacts a week for each full-time specialist.
EMPLOYER_CONTACTS_WEEKLY_TARGET = 6


def face_to_face_employer_contacts_this_week(worker: User, today: date) -> int:
    """The worker's face-to-face employer contacts from Monday of this week to today."""
    from datetime import timedelta

    from caseload.models import Contact

    monday = today - timedelta(days=today.weekday())
    return Contact.objects.filter(
        worker=worker,
        mode=Contact.Mode.FACE_TO_FACE,
        party=Contact.Party.EMPLOYER,
        date__gte=monday,
        date__lte=today,
    ).count()


def reviews_and_goals_due(
    worker: User, until: date, caseload: Iterable[Case] | None = None
) -> list[dict[str, Any]]:
    """On the worker's open cases, what is due by `until`: a client contact (14 days after the
    last one, or the start), risk assessment reviews (the latest assessment of each case) and
    action-plan goals not yet done. Earliest first. `caseload` is the worker's
    `caseload_for`, when the caller has read it already."""
    from datetime import timedelta

    from django.db.models import OuterRef, Subquery

    from caseload.models import ActionPlanGoal, RiskAssessment

    caseload = list(caseload_for(worker) if caseload is None else caseload)
    # Read as values and matched to the caseload's cases (their referrals loaded already).
    by_pk = {case.pk: case for case in caseload}
    latest_review = (
        RiskAssessment.objects.filter(case=OuterRef("case"))
        .order_by("-date", "-pk")
        .values("pk")[:1]
    )
    reviews = RiskAssessment.objects.filter(
        case_id__in=by_pk, pk=Subquery(latest_review), review_date__lte=until
    ).values_list("case_id", "review_date")
    goals = ActionPlanGoal.objects.filter(
        case_id__in=by_pk,
        target_date__lte=until,
        status__in=[ActionPlanGoal.Status.NOT_STARTED, ActionPlanGoal.Status.IN_PROGRESS],
    ).values_list("case_id", "target_date", "goal")
    items: list[dict[str, Any]] = []
    for case in (case for case in caseload if case.start_date):
        seen = max(d for d in (getattr(case, "latest_client_contact", None), case.start_date) if d)
        due = seen + timedelta(days=CONTACT_DUE_AFTER_DAYS)
        if due <= until:
            items.append({"due": due, "title": "Client contact due", "case": case})
    items += [
        {"due": due, "title": "Risk assessment review", "case": by_pk[case_id]}
        for case_id, due in reviews
    ]
    items += [
        {"due": due, "title": f"Action plan: {goal}", "case": by_pk[case_id]}
        for case_id, due, goal in goals
    ]
    return sorted(items, key=lambda item: item["due"])


def disclosures_to_follow_up(user: User, today: date) -> list[Any]:
    """Threat-to-life disclosures on the cases the user may open that still wait for the
    written report to the police (the worker's and the manager's task until it is added),
    and, for a manager, every other one of the last 90 days, to check; oldest first, each
    with `awaiting_report`."""
    from caseload.models import ThreatToLifeDisclosure

    cases = cases_visible_to(user)
    recent = Q(disclosed_at__date__gte=today - timedelta(days=DISCLOSURE_WINDOW_DAYS))
    shown = Q(follow_up_report="") | recent if user.role == Role.MANAGER else Q(follow_up_report="")
    found = ThreatToLifeDisclosure.objects.filter(shown, case__in=cases).order_by(
        "disclosed_at", "pk"
    )
    # Most home pages have none: their cases' columns (a wide select to build) only if some.
    if not found.exists():
        return []
    disclosures = list(found.select_related("case__referral", "case__worker"))
    for disclosure in disclosures:
        disclosure.awaiting_report = not disclosure.follow_up_report  # type: ignore[attr-defined]
    return disclosures


def appointments_of(case: Case) -> dict[str, Any]:
    """For the case page: the appointments to come (booked, from today) and how many were
    kept (attended) and missed, in one query."""
    from django.utils import timezone

    today = timezone.localdate()
    rows = list(case.appointments.order_by("date", "starts_at", "pk"))
    return {
        "appointments_to_come": [
            a for a in rows if a.status == Appointment.Status.BOOKED and a.date >= today
        ],
        "appointments_kept": sum(a.status == Appointment.Status.ATTENDED for a in rows),
        "appointments_missed": sum(a.status == Appointment.Status.MISSED for a in rows),
        "appointments_past": [a for a in rows if a.date < today or a.status != "booked"][-5:],
        **reminders_of(case),
    }


def reminders_of(case: Case) -> dict[str, Any]:
    """For the case page: whether the person gets reminders, and the reminders that failed
    in the last 30 days (so their worker can check the number or address)."""
    consent = consent_of(case)
    return {
        "reminder_consent": consent,
        "reminders_off_because": why_not_remind(case, consent),
        "reminders_failed": reminders_failed_recently(case),
    }


def consent_of(case: Case) -> ReminderConsent | None:
    """The person's answer about reminders (None: never asked)."""
    return ReminderConsent.objects.filter(case=case).first()


def address_of(case: Case, channel: str) -> str:
    """Where a reminder by `channel` goes: the mobile number or email on the referral."""
    referral = case.referral
    return (referral.phone if channel == Channel.SMS else referral.email).strip()


def why_not_remind(case: Case, consent: ReminderConsent | None) -> str:
    """Why the person is not sent reminders now, in words for their worker, or "". The
    sender checks the same before each send (caseload.services.reminders)."""
    if consent is None or not consent.consent:
        if consent is not None and consent.opted_out_at:
            return f"They opted out ({consent.get_opted_out_how_display().lower()})."
        return "They have not agreed to reminders."
    if case.closed_date is not None:
        return "The case is closed."
    if not address_of(case, consent.channel):
        what = "mobile number" if consent.channel == Channel.SMS else "email address"
        return f"There is no {what} on their referral."
    return ""


def reminders_sent(
    *, case: Case | None = None, appointment: Appointment | None = None, limit: int = 20
) -> list[Reminder]:
    """The reminders of a case's appointments, newest first; or of one appointment, in the
    order they go (confirmation, the day before, the morning)."""
    reminders = Reminder.objects.select_related("appointment").order_by("-send_at", "-pk")
    if appointment is not None:
        reminders = reminders.filter(appointment=appointment).order_by("send_at", "pk")
    if case is not None:
        reminders = reminders.filter(appointment__case=case)
    return list(reminders[:limit])


def reminders_failed_recently(case: Case, days: int = 30) -> list[Reminder]:
    """The case's reminders that failed in the last `days` days, latest first."""
    from django.utils import timezone

    since = timezone.now() - timedelta(days=days)
    return list(
        Reminder.objects.filter(
            appointment__case=case, status=Reminder.Status.FAILED, updated_at__gte=since
        )
        .select_related("appointment")
        .order_by("-updated_at")
    )


def without_risk_assessment(appointments: list[Any]) -> set[int]:
    """The community appointments among these (their pks) on whose day no risk assessment
    of their case is in force (RiskAssessment.in_force_on): flagged wherever they are
    listed, and an hour before (caseload.tasks.flag_appointments_without_risk_assessment)."""
    from caseload.models import RiskAssessment

    community = [a for a in appointments if a.place == Appointment.Place.COMMUNITY]
    if not community:
        return set()
    risks: dict[int, list[RiskAssessment]] = {}
    for risk in RiskAssessment.objects.filter(
        case_id__in={a.case_id for a in community},
        date__lte=max(a.date for a in community),
        review_date__gte=min(a.date for a in community),
    ):
        risks.setdefault(risk.case_id, []).append(risk)
    return {
        a.pk
        for a in community
        if not any(r.is_in_force_on(a.date) for r in risks.get(a.case_id, []))
    }


def todays_appointments(worker: User, today: date) -> list[dict[str, Any]]:
    """The worker's appointments booked for today, for the morning digest: time, place and
    case reference only (an email carries no names), each community one without a risk
    assessment in force today flagged."""
    booked = list(
        Appointment.objects.filter(worker=worker, date=today, status=Appointment.Status.BOOKED)
        .select_related("case__referral")
        .order_by("starts_at", "pk")
    )
    uncovered = without_risk_assessment(booked)
    return [{"appointment": a, "no_risk_assessment": a.pk in uncovered} for a in booked]
