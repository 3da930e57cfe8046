"""Shared set-up for the tests of the quarterly returns: a small history with known people,
eager Celery, a private media folder, and a return carried through to sign-off.

Import the fixtures you need into the test module (pytest finds imported fixtures).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from caseload.models import Case, Contact, Outcome
from core.models import Role, User
from referrals.models import Referral
from reporting import services
from reporting.models import QuarterlyReturn, ReturnJob
from tests.factories import CaseFactory, ReferralFactory, UserFactory

#: The worked example's quarter (kpi-definitions.md): 2025-26-Q3.
START, END = date(2025, 10, 1), date(2025, 12, 31)


@dataclass
class History:
    """What build_history made: the people (to look for in outputs) and their cases."""

    referrals: list[Referral] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    workers: list[User] = field(default_factory=list)

    def identifiers(self) -> list[str]:
        """Every personal detail of the history that must never reach the OPCC."""
        found: list[str] = []
        for referral in self.referrals:
            found += [
                referral.first_name,
                referral.last_name,
                referral.full_name,
                referral.postcode,
                referral.reference,
                referral.person_key,
                referral.date_of_birth.isoformat(),
                referral.date_of_birth.strftime("%d/%m/%Y"),
                referral.date_of_birth.strftime("%-d %B %Y"),
            ]
        for worker in self.workers:
            found += [worker.email, worker.full_name]
        return [value for value in found if value]


def build_history(*, worker: User | None = None) -> History:
    """A quarter (2025-26-Q3) of referrals, cases and contacts.

    New referrals by ethnicity: 3 "asian" and 6 "white": 9 in all, a small group, so the
    OPCC sees every cell of the breakdown as "*". Five cases start in the quarter with
    client contacts in it, so they are active; one of them starts paid work.
    """
    history = History()
    worker = worker or UserFactory(
        email="worker.one@example.org", full_name="Wendy Worker", role=Role.SPECIALIST
    )
    second = UserFactory(
        email="worker.two@example.org", full_name="Walter Worker", role=Role.SPECIALIST
    )
    history.workers = [worker, second]
    received = date(2025, 10, 3)
    people = [
        ("Zebedee", "Quartermaine", "asian", "B1 1AA", date(1990, 2, 14)),
        ("Yolanda", "Pemberton-Ashe", "asian", "B2 2BB", date(1988, 7, 9)),
        ("Xavier", "Okonkwo-Lund", "asian", "B3 3CC", date(2001, 11, 30)),
    ] + [
        (f"Wilhelmina{n}", f"Thistlewood{n}", "white", f"B{n + 4} {n}DD", date(1995, 1, n + 1))
        for n in range(6)
    ]
    for index, (first, last, ethnicity, postcode, born) in enumerate(people):
        referral = ReferralFactory(
            first_name=first,
            last_name=last,
            ethnicity=ethnicity,
            postcode=postcode,
            date_of_birth=born,
            received_date=received + timedelta(days=index),
        )
        history.referrals.append(referral)
    for index, referral in enumerate(history.referrals[:5]):
        referral.status = Referral.Status.ACCEPTED
        referral.decision_date = referral.received_date + timedelta(days=1)
        referral.save()
        owner = worker if index % 2 == 0 else second
        case = CaseFactory(
            referral=referral,
            worker=owner,
            accepted_date=referral.decision_date,
            start_date=referral.decision_date + timedelta(days=2),
        )
        history.cases.append(case)
        for days in (10, 30, 50):
            Contact.objects.create(
                case=case,
                worker=owner,
                date=case.start_date + timedelta(days=days),
                mode=Contact.Mode.FACE_TO_FACE,
                party=Contact.Party.CLIENT,
                duration_minutes=60,
                note=f"Met {referral.full_name} at {referral.postcode}",
            )
    Outcome.objects.create(
        case=history.cases[0],
        type=Outcome.Type.PAID_EMPLOYMENT,
        start_date=date(2025, 11, 20),
        hours_per_week=35,
        employer_name="Acme Widgets",
    )
    return history


@pytest.fixture
def private_media(settings: Any, tmp_path: Path) -> Path:
    """The private files of this test go to a temporary folder."""
    root = tmp_path / "private-media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Run tasks in-process, as the embedded default does, whatever broker is configured
    (CI sets REDIS_URL, which turns eager mode off)."""
    from e4e.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def nothing_stuck() -> Iterator[None]:
    """JB-7, asserted after the test: no job queued or running for more than 15 minutes."""
    yield
    from django.utils import timezone

    assert list(ReturnJob.stuck(timezone.now() + timedelta(minutes=16))) == [], (
        "jobs were left queued or running"
    )


NARRATIVE = {
    "progress": "Referrals rose; two employers joined the programme.",
    "challenges": "Housing remains the main barrier.",
    "service_user_feedback": "People said the support felt respectful.",
    "case_studies": "",
    "case_studies_consent": False,
}


def run_job(job: ReturnJob) -> ReturnJob:
    """Run the job's task body now, in this process."""
    services.return_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def snapshot(quarterly_return: QuarterlyReturn) -> QuarterlyReturn:
    for job in quarterly_return.jobs.filter(kind=ReturnJob.Kind.SNAPSHOT, status="queued"):
        run_job(job)
    quarterly_return.refresh_from_db()
    return quarterly_return


#: What the tests write as every case's update.
UPDATE = {
    "objectives": "Find warehouse work.",
    "achieved": "Finished a forklift course.",
    "next_steps": "Apply for three jobs.",
}


def write_narrative(quarterly_return: QuarterlyReturn, by: User, **changes: Any) -> None:
    services.return_narrative_update(
        quarterly_return=quarterly_return, by=by, **{**NARRATIVE, **changes}
    )


def review_every_update(quarterly_return: QuarterlyReturn, by: User, **text: str) -> None:
    """A manager writes (UPDATE, unless given) and reviews the update on every active case."""
    for update in quarterly_return.updates.all():
        services.case_update_review(update=update, by=by, **{**UPDATE, **text})


def signed_off_return(manager: User, *, leave_queued: str = "") -> QuarterlyReturn:
    """A return for the quarter, started, snapshotted, narrated, signed off and with its
    PDF and CSV built, all in this process; except that the job of kind `leave_queued`, if
    given, is left queued for the test to run."""
    quarterly_return = snapshot(services.return_start(start=START, end=END, by=manager))
    write_narrative(quarterly_return, manager)
    review_every_update(quarterly_return, manager)
    quarterly_return = services.return_sign_off(quarterly_return=quarterly_return, by=manager)
    for job in quarterly_return.jobs.filter(status="queued").exclude(kind=leave_queued):
        run_job(job)
    quarterly_return.refresh_from_db()
    return quarterly_return


# --- Reading PDFs ------------------------------------------------------------------------


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The PDF's text with pdftotext (poppler-utils); the test is skipped without it."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    source = tmp_path / "extract.pdf"
    source.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def pdf_objects(content: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated, for structural checks (tags,
    images, attachments) that need no PDF library."""
    parts = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)
