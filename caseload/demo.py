"""Demo data: a realistic caseload for each demo specialist (seed_demo, DEBUG only).

Everything goes through the services, so the history reads as the demo's own. The people
are fictional. Idempotent: a specialist who already has demo cases is left alone.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from caseload.intake import referral_accept
from caseload.models import Case, Contact
from caseload.services import assessments, contacts, outcomes
from core import history
from core.models import User
from referrals import demo as referral_demo
from referrals.models import Referral
from referrals.services import referral_create

FIRST_NAMES = [
    "Jordan",
    "Aisha",
    "Tyrese",
    "Kyle",
    "Imran",
    "Chantelle",
    "Dwayne",
    "Leah",
    "Marcus",
    "Sana",
    "Reuben",
    "Kayla",
    "Omar",
    "Tia",
    "Callum",
    "Nadia",
]
LAST_NAMES = [
    "Ahmed",
    "Brown",
    "Campbell",
    "Davies",
    "Edwards",
    "Francis",
    "Grant",
    "Hussain",
    "Iqbal",
    "Johnson",
    "Khan",
    "Lewis",
    "Mensah",
    "Nelson",
    "Okafor",
    "Patel",
]
POSTCODES = ["B6 5RQ", "B8 1AA", "B10 0HJ", "B11 4BW", "B12 9LP", "B19 1HS", "B21 9NH"]
DEMO_KEY = "demo-caseload"


def seed_demo_data(*, users: dict[str, User], by: User) -> None:
    rng = random.Random(2026)  # noqa: S311  (demo data, not security)
    today = timezone.localdate()
    manager = users["manager@demo.e4e.invalid"]
    _accept_demo_referrals(users=users, manager=manager, today=today)
    for email, count in [("specialist@demo.e4e.invalid", 12), ("parttime@demo.e4e.invalid", 7)]:
        worker = users[email]
        if Case.objects.filter(worker=worker, referral__person_key__startswith=DEMO_KEY).exists():
            continue
        for n in range(count):
            _demo_case(rng, today, worker, manager, f"{DEMO_KEY}-{worker.pk}-{n}", n)
        _demo_appointments(rng, today, worker)


def _demo_appointments(rng: random.Random, today: datetime.date, worker: User) -> None:
    """A week of appointments around today: those past kept or missed, those to come
    booked (in the office, by phone or by video: the demo's risk assessments list no
    venues); two of the people get reminders."""
    from caseload.models import Appointment
    from caseload.services import appointments, reminders

    cases = list(
        Case.objects.filter(
            worker=worker, closed_date__isnull=True, start_date__isnull=False
        ).order_by("pk")[:6]
    )
    # The first two people agreed to reminders (the console prints them, see the README).
    for case in cases[:2]:
        channel = "sms" if case.referral.phone else "email" if case.referral.email else ""
        if channel:
            reminders.consent_record(case=case, consent=True, channel=channel, by=worker)
    for offset in range(-3, 4):
        day = today + datetime.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for slot, case in enumerate(rng.sample(cases, min(2, len(cases)))):
            fields = {
                "starts_at": datetime.time(10 + 3 * slot, 0),
                "ends_at": datetime.time(10 + 3 * slot, 45),
                "place": rng.choice(["office", "office", "phone", "video"]),
                "kind": rng.choice(["support", "job_search", "interview"]),
                "attendees": "",
            }
            if offset >= 0:
                appointments.appointment_book(
                    case=case, worker=worker, by=worker, date=day, venue="", **fields
                )
                continue
            missed = (offset + slot) % 3 == 0  # about a third missed
            appointment = Appointment(
                case=case,
                worker=worker,
                by=worker,
                date=day,
                status="missed" if missed else "attended",
                missed_reason="No answer on the day" if missed else "",
                **fields,
            )
            history.save(appointment, by=worker, reason="Demo")


def _accept_demo_referrals(*, users: dict[str, User], manager: User, today: datetime.date) -> None:
    """The referral demo's people who are accepted (referrals/demo.py): their cases."""
    for person in referral_demo.PEOPLE:
        if person.status != Referral.Status.ACCEPTED:
            continue
        referral = Referral.objects.get(reference=person.reference)
        if referral.is_decided:
            continue
        assert person.worker is not None
        referral_accept(
            referral=referral,
            worker=users[person.worker],
            by=manager,
            decided_on=today - datetime.timedelta(days=person.decided_days_ago or 0),
        )


def _demo_case(
    rng: random.Random, today: datetime.date, worker: User, manager: User, key: str, n: int
) -> None:
    received = today - datetime.timedelta(days=rng.randint(10, 300))
    decided = received + datetime.timedelta(days=rng.randint(1, 4))
    referral = referral_create(
        by=manager,
        person_key=key,
        received_date=received,
        source=rng.choice(["police", "probation", "prison", "dwp", "youth_justice", "self"]),
        referrer_name="Demo Referrer",
        referrer_organisation="West Midlands Probation (demo)",
        first_name=rng.choice(FIRST_NAMES),
        last_name=rng.choice(LAST_NAMES),
        date_of_birth=today.replace(year=today.year - rng.randint(19, 34), day=1),
        gender=rng.choice(["male", "male", "female", "not_stated"]),
        ethnicity=rng.choice(["asian", "black", "mixed", "white", "other", "not_stated"]),
        postcode=rng.choice(POSTCODES),
        phone=f"07700 900{rng.randint(100, 999)}",
        cohort=rng.choice(["at_risk", "convicted"]),
        reason="Wants to get into work and away from old associations.",
        wants_work=True,
        risk_gang_affiliation=n % 3 == 0,
        unsafe_areas="B6, Aston" if n % 3 == 0 else "",
        consent=True,
    )
    case = referral_accept(referral=referral, worker=worker, by=manager, decided_on=decided)
    if n == 0:
        return  # one case awaiting its initial assessment
    start = decided + datetime.timedelta(days=rng.randint(1, 6))
    assessments.case_assess(
        case=case,
        date=start,
        readiness=rng.choice(["ready_now", "soon"]),
        goal=rng.choice(["work", "work", "own_business", "training"]),
        barriers=rng.sample(["transport", "conviction_disclosure", "debt", "accommodation"], 2),
        benefits_situation="Universal Credit",
        prior_similar_support=rng.choice(["yes", "no", "unknown"]),
        prior_support_details="",
        notes="",
        by=worker,
    )
    assessments.risk_assessment_record(
        case=case,
        by=worker,
        date=start,
        risks_to_client="Known to a rival group in B6.",
        risks_from_client="None known.",
        lone_working_plan="Meet in the office or a library; text the office on arrival.",
        safe_meeting_places="Central Library, the office",
        places_to_avoid="B6" if n % 3 == 0 else "",
        review_date=start + datetime.timedelta(days=90),
    )
    # Contacts every week or two; some cases have gone quiet recently.
    last = today - datetime.timedelta(days=rng.choice([2, 5, 9, 16, 25, 35]))
    day = start + datetime.timedelta(days=3)
    while day <= last:
        contacts.contact_log(
            case=case,
            worker=worker,
            by=worker,
            date=day,
            time=datetime.time(rng.choice([10, 13, 15, 18]), 0),
            mode=rng.choice(["face_to_face", "face_to_face", "phone", "message"]),
            party=Contact.Party.CLIENT,
            duration_minutes=rng.choice([15, 30, 45, 60]),
            place=rng.choice(["office", "community", "online"]),
            employer=None,
            note="Job search and CV work.",
        )
        day += datetime.timedelta(days=rng.randint(6, 14))
    if n % 4 == 1 and (today - start).days > 60:
        outcomes.outcome_start(
            by=worker,
            case=case,
            type="paid_employment",
            start_date=start + datetime.timedelta(days=45),
            hours_per_week=rng.choice([16, 30, 37.5]),
            employer_name="Demo Logistics Ltd",
        )
