"""Demo referrals for `seed_demo`: every status, some accepted to the demo specialists, a
partner link and a referral sent through it that looks like a duplicate.

Everyone here is made up: the surnames say so, phone numbers are in Ofcom's range for
drama (07700 900xxx), email addresses are at example.org and postcodes end in ZZ.
Idempotent: each referral is keyed by its fixed E4E-DEMO-* reference.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from core.models import User
from referrals import services
from referrals.models import PartnerLink, Referral

SPECIALIST = "specialist@demo.e4e.invalid"
PART_TIME = "parttime@demo.e4e.invalid"
MANAGER = "manager@demo.e4e.invalid"
DEMO_ORGANISATION = "Birmingham Probation Delivery Unit (demo)"


@dataclass(frozen=True)
class Person:
    number: int
    first_name: str
    last_name: str
    age: int
    birthday: tuple[int, int]  # (month, day)
    received_days_ago: int
    source: str
    postcode: str
    cohort: str = "at_risk"
    status: str = Referral.Status.RECEIVED
    decided_days_ago: int | None = None
    worker: str | None = None  # email of the demo worker it is accepted to
    rejection: tuple[str, str] | None = None

    @property
    def reference(self) -> str:
        return f"E4E-DEMO-{self.number:04d}"


PEOPLE = [
    Person(1, "Jayden", "Exampleton", 22, (4, 12), 2, "police", "B12 9ZZ"),
    Person(2, "Amira", "Sampleford", 27, (9, 30), 10, "probation", "B8 1ZZ", "convicted"),
    Person(3, "Tyrese", "Demoworth", 19, (1, 5), 4, "youth_justice", "B21 9ZZ", status="screening"),
    Person(4, "Leah", "Fictionby", 31, (6, 18), 12, "dwp", "WS2 9ZZ", status="screening"),
    Person(
        5,
        "Marcus",
        "Placeholder",
        26,
        (11, 2),
        30,
        "prison",
        "B33 8ZZ",
        "convicted",
        status="waiting_list",
        decided_days_ago=20,
    ),
    Person(
        6,
        "Shanice",
        "Testwood",
        24,
        (3, 22),
        21,
        "community_group",
        "B10 0ZZ",
        status="waiting_list",
        decided_days_ago=14,
    ),
    Person(
        7,
        "Kwame",
        "Notreal",
        28,
        (7, 7),
        40,
        "probation",
        "B6 5ZZ",
        "convicted",
        status="accepted",
        decided_days_ago=35,
        worker=SPECIALIST,
    ),
    Person(
        8,
        "Chloe",
        "Madeupson",
        25,
        (12, 12),
        25,
        "self",
        "B23 7ZZ",
        status="accepted",
        decided_days_ago=20,
        worker=SPECIALIST,
    ),
    Person(
        9,
        "Ryan",
        "Samplewell",
        29,
        (2, 14),
        18,
        "further_education",
        "B31 2ZZ",
        status="accepted",
        decided_days_ago=15,
        worker=PART_TIME,
    ),
    Person(
        10,
        "Aaliyah",
        "Exampleton-Reid",
        21,
        (8, 8),
        15,
        "school",
        "B44 9ZZ",
        status="accepted",
        decided_days_ago=9,
        worker=PART_TIME,
    ),
    Person(
        11,
        "Daniel",
        "Oldersample",
        41,
        (5, 5),
        20,
        "police",
        "B13 8ZZ",
        "convicted",
        status="rejected",
        decided_days_ago=16,
        rejection=("ineligible_age", "Aged 41 when referred: the programme is for 18 to 35."),
    ),
    Person(
        12,
        "Hannah",
        "Elsewhere",
        23,
        (3, 3),
        16,
        "childrens_trust",
        "CV1 9ZZ",
        status="rejected",
        decided_days_ago=12,
        rejection=(
            "ineligible_area",
            "Lives in Coventry. Signposted to the Coventry employment hub instead.",
        ),
    ),
    Person(
        13,
        "Joel",
        "Withdrawnby",
        20,
        (10, 10),
        22,
        "other",
        "B29 6ZZ",
        status="withdrawn",
        decided_days_ago=19,
    ),
]


def _birth_date(person: Person, today: date) -> date:
    month, day = person.birthday
    born = date(today.year - person.age, month, day)
    # Birthday still to come this year: they were born a year earlier to be `age` now.
    return born.replace(year=born.year - 1) if (month, day) > (today.month, today.day) else born


def _details(person: Person, today: date) -> dict[str, Any]:
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth": _birth_date(person, today),
        "gender": "female"
        if person.first_name in {"Amira", "Leah", "Shanice", "Chloe"}
        else "male",
        "ethnicity": ["black", "asian", "white", "mixed", "not_stated"][person.number % 5],
        "preferred_language": "English",
        "phone": f"07700900{person.number:03d}",
        "email": f"{person.first_name.lower()}.{person.last_name.lower()}@example.org",
        "postcode": person.postcode,
        "cohort": person.cohort,
        "reason": "Wants to find steady work and move away from the people he or she was "
        "getting into trouble with. (Demo referral.)",
        "wants_work": True,
        "wants_training": person.number % 2 == 0,
        "wants_own_business": person.number % 3 == 0,
        "risk_violence": person.cohort == "convicted",
        "risk_gang_affiliation": person.number % 4 == 0,
        "unsafe_areas": "Avoid meeting in B6 after dark (demo)." if person.number % 4 == 0 else "",
        "consent": True,
    }


def _seed_person(person: Person, *, users: dict[str, User], manager: User, today: date) -> None:
    if Referral.objects.filter(reference=person.reference).exists():
        return
    received = today - timedelta(days=person.received_days_ago)
    decided = today - timedelta(days=person.decided_days_ago or 0)
    referral = services.referral_create(
        by=manager,
        reference=person.reference,
        received_date=received,
        source=person.source,
        referrer_name="Demo Referrer",
        referrer_organisation="Demo partner organisation",
        referrer_email=f"referrals+{person.number}@partner.example.org",
        referrer_phone="07700900999",
        **_details(person, today),
    )
    if person.status in {Referral.Status.SCREENING, Referral.Status.WAITING_LIST}:
        referral = services.referral_set_status(
            referral=referral, status=Referral.Status.SCREENING, by=manager
        )
    if person.status == Referral.Status.WAITING_LIST:
        services.referral_set_status(
            referral=referral,
            status=person.status,
            by=manager,
            changed_on=decided,
            reason="Every specialist's caseload is full",
        )
    elif person.status == Referral.Status.ACCEPTED:
        pass  # accepted to their worker by the caseload's demo data (caseload/demo.py)
    elif person.status == Referral.Status.REJECTED:
        assert person.rejection is not None
        reason, rationale = person.rejection
        services.referral_reject(
            referral=referral, reason=reason, rationale=rationale, by=manager, decided_on=decided
        )
    elif person.status == Referral.Status.WITHDRAWN:
        services.referral_withdraw(
            referral=referral, reason="Moved out of the area", by=manager, decided_on=decided
        )


def seed_demo_data(*, users: dict[str, User], by: User) -> None:
    manager = users[MANAGER]
    today = timezone.localdate()
    for person in PEOPLE:
        _seed_person(person, users=users, manager=manager, today=today)

    # A partner link (its secret is thrown away: create one in the app to try the form) and
    # a referral sent through it of someone who already has an open case.
    link = PartnerLink.objects.filter(organisation=DEMO_ORGANISATION).first()
    if link is None:
        link, _token = services.partner_link_create(
            organisation=DEMO_ORGANISATION, source="probation", valid_days=90, by=manager
        )
    if not Referral.objects.filter(reference="E4E-DEMO-0014").exists():
        kwame = next(p for p in PEOPLE if p.number == 7)
        details = _details(kwame, today) | {"phone": "07700900114", "email": ""}
        services.referral_submit_via_link(
            link=link,
            nonce=secrets.token_urlsafe(18),
            reference="E4E-DEMO-0014",
            referrer_name="Demo Probation Officer",
            referrer_email="officer@probation.example.org",
            referrer_phone="",
            **details,
        )
