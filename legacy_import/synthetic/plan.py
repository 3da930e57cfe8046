"""The synthetic history's people: the accounts, the referrals and their cases.

Referrals arrive evenly over the three years before `today`; most are accepted within two
weeks, and each accepted referral's case goes to a worker with room under the cap on that
day (the simulation holds every worker's open cases by date). See the package docstring.
"""

from __future__ import annotations

import heapq
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from caseload.case_access import grant_in_bulk
from caseload.models import Case, Outcome
from core.bulk import insert_with_history
from core.codes import ClosureReason, Cohort, Ethnicity, Gender, RejectionReason, Source
from core.models import Role, User
from core.system_user import system_user
from referrals.eligibility import birmingham_districts
from referrals.models import Referral
from reporting.figures.stored import figures_changed

SYNTHETIC_PERSON_KEY_PREFIX = "scale-"
EMAIL_DOMAIN = "scale.e4e.invalid"
#: Rows per INSERT: under PostgreSQL's 65,535 parameters for the widest history table.
BATCH = 2000
YEARS = 3
#: Clients per specialist over the three years: enough workers that no one nears the cap.
CLIENTS_PER_WORKER = 20
#: The references' alphabet (referrals.services): no 0/O or 1/I.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

FIRST_NAMES = (
    "Aaliyah",
    "Ade",
    "Amir",
    "Ayesha",
    "Ben",
    "Chloe",
    "Daniel",
    "Deshawn",
    "Ella",
    "Hamza",
    "Imran",
    "Isaac",
    "Jade",
    "Jamal",
    "Kai",
    "Kofi",
    "Leah",
    "Liam",
    "Maya",
    "Mohammed",
    "Nia",
    "Omar",
    "Priya",
    "Reece",
    "Ruby",
    "Sami",
    "Tariq",
    "Tyler",
    "Yusuf",
    "Zara",
)
LAST_NAMES = (
    "Ahmed",
    "Ali",
    "Begum",
    "Brown",
    "Campbell",
    "Clarke",
    "Davies",
    "Edwards",
    "Evans",
    "Green",
    "Hall",
    "Hussain",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Mahmood",
    "Mensah",
    "Morris",
    "Patel",
    "Roberts",
    "Shah",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Walker",
    "Williams",
    "Wilson",
    "Wright",
)


@dataclass
class Progress:
    """One line per step: what was written, how many, how fast."""

    write: Callable[[str], None]
    started: float = field(default_factory=time.perf_counter)

    def step(self, label: str, count: int, since: float) -> None:
        took = time.perf_counter() - since
        rate = count / took if took > 0 else 0.0
        self.write(f"  {label:<22} {count:>10,} in {took:7.1f} s ({rate:>9,.0f} a second)")


@dataclass
class CaseRow:
    """What the records need to know of a case, without holding the model instance."""

    pk: int
    worker_id: int
    accepted: date
    start: date | None
    closed: date | None


@dataclass
class History:
    """What the steps share: the random source, the day the history ends, who wrote it."""

    rng: random.Random
    today: date
    by: User
    workers: list[User] = field(default_factory=list)
    worker_by_id: dict[int, User] = field(default_factory=dict)
    managers: list[User] = field(default_factory=list)
    cases: list[CaseRow] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def between(self, first: date, last: date) -> date:
        days = (last - first).days
        return first + timedelta(days=self.rng.randint(0, days)) if days > 0 else first


_NOON: dict[date, datetime] = {}


def at(day: date) -> datetime:
    """The history row's time for a record made on `day` (midday, UTC)."""
    moment = _NOON.get(day)
    if moment is None:
        moment = _NOON[day] = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return moment


def made[M: models.Model](obj: M, day: date, by: User | None) -> M:
    """Mark `obj`'s history row as made on `day` by `by`."""
    target: Any = obj  # simple_history reads these undeclared attributes
    target._history_date = at(day)
    target._history_user = by
    return obj


def write[M: models.Model](model: type[M], objs: Sequence[M], by: User) -> list[M]:
    """Insert the rows, each with its creation history row (core.bulk)."""
    return insert_with_history(model, objs, by)


def reference(seed: int, index: int) -> str:
    """A reference in the service's shape (E4E- and two groups of four letters or digits,
    as E4E-7KQ2-XM4D), unique per (seed, index)."""
    number = seed * 10_000_000 + index
    code = ""
    for _ in range(8):
        number, digit = divmod(number, len(ALPHABET))
        code = ALPHABET[digit] + code
    return f"E4E-{code[:4]}-{code[4:]}"


def make_users(history: History, clients: int, seed: int) -> None:
    """Specialists (one per 20 clients, a tenth of them part-time), two or more managers,
    and one OPCC, evaluator and administrator account, none with a password."""
    n_workers = max(2, math.ceil(clients / CLIENTS_PER_WORKER))
    n_managers = max(2, math.ceil(n_workers / 10))
    people: list[tuple[str, str, Role, Decimal | None]] = []
    for i in range(n_workers):
        fte = Decimal("0.6") if i % 10 == 9 else Decimal("1")
        people.append((f"worker{i:05d}", f"Worker {i:05d}", Role.SPECIALIST, fte))
    for i in range(n_managers):
        people.append((f"manager{i:03d}", f"Manager {i:03d}", Role.MANAGER, Decimal("0.2")))
    people += [
        ("opcc", "OPCC reader", Role.OPCC, None),
        ("evaluator", "Evaluator", Role.EVALUATOR, None),
        ("admin", "Administrator", Role.ADMIN, None),
    ]
    joined = at(history.today - timedelta(days=365 * YEARS + 30))
    users = [
        User(
            email=f"{name}.s{seed}@{EMAIL_DOMAIN}",
            full_name=full_name,
            role=role,
            fte=fte,
            password=make_password(None),
            date_joined=joined,
        )
        for name, full_name, role, fte in people
    ]
    for user in users:
        made(user, joined.date(), history.by)
    created = write(User, users, history.by)
    history.workers = [u for u in created if u.role == Role.SPECIALIST]
    history.worker_by_id = {u.pk: u for u in history.workers}
    history.managers = [u for u in created if u.role == Role.MANAGER]
    history.counts["users"] = len(created)


def _decision(history: History, referral: Referral) -> None:
    """Set the referral's status and decision as a manager would have made it."""
    rng, received = history.rng, referral.received_date
    age = (history.today - received).days
    roll = rng.random()
    manager = rng.choice(history.managers)
    decided = min(received + timedelta(days=rng.randint(1, 14)), history.today)
    if age < 10:
        referral.status = rng.choice([Referral.Status.RECEIVED, Referral.Status.SCREENING])
        return
    if roll < 0.10:
        referral.status = Referral.Status.REJECTED
        referral.rejection_reason = rng.choice(RejectionReason.values)
        referral.rejection_rationale = "Discussed with the referrer; recorded at screening."
    elif roll < 0.15:
        referral.status = Referral.Status.WITHDRAWN
    elif roll < 0.25 and age < 120:
        referral.status = Referral.Status.WAITING_LIST
        referral.waiting_since = decided
        return
    else:
        referral.status = Referral.Status.ACCEPTED
    referral.decision_date = decided
    referral.decided_by = manager


def make_referrals(history: History, clients: int, seed: int) -> list[Referral]:
    rng, today = history.rng, history.today
    first_day = today - timedelta(days=365 * YEARS)
    districts = sorted(birmingham_districts())
    received = sorted(history.between(first_day, today) for _ in range(clients))
    referrals = []
    for index, day in enumerate(received):
        age_years = rng.randint(18, 35)
        referral = Referral(
            reference=reference(seed, index),
            person_key=f"{SYNTHETIC_PERSON_KEY_PREFIX}{seed}-{index}",
            received_date=day,
            source=rng.choice(Source.values),
            referrer_organisation="Partner organisation",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            date_of_birth=day - timedelta(days=365 * age_years + rng.randint(0, 364)),
            gender=rng.choices(Gender.values, weights=[30, 62, 2, 6])[0],
            ethnicity=rng.choice(Ethnicity.values),
            postcode=f"{rng.choice(districts)} {rng.randint(1, 9)}AB",
            cohort=rng.choice(Cohort.values),
            reason="Referred for support into work.",
            wants_work=rng.random() < 0.8,
            wants_own_business=rng.random() < 0.15,
            wants_training=rng.random() < 0.3,
            consent=True,
        )
        _decision(history, referral)
        made(referral, day, history.by)
        referrals.append(referral)
    created = write(Referral, referrals, history.by)
    history.counts["referrals"] = len(created)
    return created


def make_cases(history: History, referrals: list[Referral]) -> None:
    """A case per accepted referral, to a worker with room on the day it was accepted."""
    rng, today = history.rng, history.today
    accepted = sorted(
        (r for r in referrals if r.status == Referral.Status.ACCEPTED),
        key=lambda r: (r.decision_date, r.pk),
    )
    workers = history.workers
    held = [0] * len(workers)
    #: (closed date, worker index) of every case still held, soonest first.
    closing: list[tuple[date, int]] = []
    cases = []
    for referral in accepted:
        day = referral.decision_date
        assert day is not None
        while closing and closing[0][0] <= day:
            held[heapq.heappop(closing)[1]] -= 1
        start: date | None = day + timedelta(days=rng.randint(1, 21))
        closed: date | None = None
        assert start is not None
        if start > today:
            start = None
        else:
            closed = start + timedelta(days=int(rng.triangular(60, 900, 240)))
            if closed > today:
                closed = None
        chosen = _worker_with_room(rng, workers, held)
        held[chosen] += 1
        heapq.heappush(closing, (closed or date.max, chosen))
        case = Case(
            referral=referral,
            worker=workers[chosen],
            accepted_date=day,
            start_date=start,
            prior_similar_support=rng.choice(Case.PriorSupport.values),
            closed_date=closed,
            closure_reason=rng.choice(ClosureReason.values) if closed else "",
        )
        cases.append(made(case, day, referral.decided_by))
    created = write(Case, cases, history.by)
    grant_in_bulk(created)  # each worker may open their cases, as acceptance grants
    history.cases = [
        CaseRow(c.pk, c.worker_id, c.accepted_date, c.start_date, c.closed_date) for c in created
    ]
    history.counts["cases"] = len(created)


def _worker_with_room(rng: random.Random, workers: list[User], held: list[int]) -> int:
    first = rng.randrange(len(workers))
    for step in range(len(workers)):
        index = (first + step) % len(workers)
        if held[index] < workers[index].capacity:
            return index
    raise RuntimeError("Every worker is at their cap: give more workers (fewer clients each).")


def seed_scale(
    *, clients: int, seed: int, today: date, write_line: Callable[[str], None]
) -> dict[str, int]:
    """Write the synthetic history; return the rows written per kind of record."""
    from legacy_import.synthetic import records

    history = History(rng=random.Random(seed), today=today, by=system_user())  # noqa: S311
    progress = Progress(write_line)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("users", lambda: make_users(history, clients, seed)),
        ("referrals", lambda: referrals.append(make_referrals(history, clients, seed))),
        ("cases", lambda: make_cases(history, referrals[0])),
        ("initial assessments", lambda: records.make_initial_assessments(history)),
        ("risk assessments", lambda: records.make_risk_assessments(history)),
        ("distance assessments", lambda: records.make_distance_assessments(history)),
        ("contacts", lambda: records.make_contacts(history)),
        ("outcomes", lambda: records.make_outcomes(history)),
        ("tasks", lambda: records.make_tasks(history)),
        ("fund bids", lambda: records.make_fund_bids(history)),
    ]
    referrals: list[list[Referral]] = []
    for label, step in steps:
        since = time.perf_counter()
        with transaction.atomic():
            step()
        progress.step(label, history.counts.get(label, 0), since)
    progress.step("in all", sum(history.counts.values()), progress.started)
    figures_changed()  # written in bulk, past the signals that record a change row by row
    return history.counts
