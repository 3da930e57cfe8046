"""The draft update on each case active in the quarter, made by the return's snapshot: written
from the case's action plan, contacts, outcomes and distance travelled, and never holding
who the person is."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from caseload.models import ActionPlanGoal, Case, Contact, DistanceAssessment, Outcome
from caseload.services.plans import action_plan_goal_save
from core.models import User
from reporting import services
from reporting.models import CaseUpdate
from reporting.services.case_update_drafts import draft_texts
from tests.factories import CaseFactory, ReferralFactory, opcc_pseudonym
from tests.reporting.returns_helpers import (
    END,
    START,
    UPDATE,
    build_history,
    eager_celery,
    private_media,
    review_every_update,
    snapshot,
    write_narrative,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media", "eager_celery")]
__all__ = ["eager_celery", "private_media"]


def on(day: date) -> time_machine.travel:
    return time_machine.travel(
        datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=10)
    )


def contact(case: Case, day: date, *, mode: str = "face_to_face", party: str = "client") -> None:
    Contact.objects.create(
        case=case,
        worker=case.worker,
        date=day,
        mode=mode,
        party=party,
        duration_minutes=30,
        note="Met Zebedee Quartermaine at B1 1AA",
    )


def assess(case: Case, day: date, score: int) -> None:
    DistanceAssessment.objects.create(
        case=case, date=day, **dict.fromkeys(DistanceAssessment.DOMAINS, score)
    )


@pytest.fixture
def case(specialist: User) -> Case:
    """Zebedee's case, started just before the quarter, with a quarter's worth of record."""
    referral = ReferralFactory(
        first_name="Zebedee",
        last_name="Quartermaine",
        date_of_birth=date(1990, 2, 14),
        postcode="B1 1AA",
        phone="07700 900123",
        email="zeb@example.net",
        status="accepted",
        decision_date=date(2025, 9, 1),
        received_date=date(2025, 8, 28),
    )
    made = CaseFactory(referral=referral, worker=specialist, accepted_date=date(2025, 9, 1))
    with on(date(2025, 10, 2)):
        cscs = action_plan_goal_save(
            case=made,
            by=specialist,
            goal="Zebedee to get a CSCS card",
            target_date=date(2025, 11, 30),
            status="in_progress",
        )
        action_plan_goal_save(
            case=made,
            by=specialist,
            goal="Apply for three warehouse jobs",
            target_date=date(2026, 1, 31),
            status="not_started",
        )
        action_plan_goal_save(
            case=made,
            by=specialist,
            goal="Move to Leeds",
            target_date=date(2025, 12, 1),
            status="dropped",
        )
    with on(date(2025, 11, 12)):
        action_plan_goal_save(
            case=made,
            by=specialist,
            existing=cscs,
            goal=cscs.goal,
            target_date=cscs.target_date,
            status="done",
        )
    with on(date(2026, 2, 3)):  # after the quarter: not among its objectives
        action_plan_goal_save(
            case=made,
            by=specialist,
            goal="Start at the depot",
            target_date=date(2026, 3, 1),
            status="not_started",
        )
    for day in (date(2025, 10, 6), date(2025, 11, 3), date(2025, 12, 15)):
        contact(made, day)
    contact(made, date(2025, 11, 4), mode="admin", party="none")  # not a client contact
    contact(made, date(2026, 1, 5))  # after the quarter
    Outcome.objects.create(case=made, type="training", start_date=date(2025, 11, 20))
    Outcome.objects.create(case=made, type="volunteering", start_date=date(2025, 9, 20))
    assess(made, date(2025, 9, 10), 4)  # total 28
    assess(made, date(2025, 12, 10), 5)  # total 35
    assess(made, date(2026, 1, 20), 9)  # after the quarter
    return made


def test_the_draft_is_written_from_the_action_plan_and_the_contacts(case: Case) -> None:
    draft = draft_texts([case.pk], START, END)[case.pk]
    assert draft["objectives"] == (
        "Action plan goals: [removed] to get a CSCS card, by 30 November 2025 (done); "
        "Apply for three warehouse jobs, by 31 January 2026 (not started)."
    )
    assert draft["achieved"] == (
        "3 client contacts in the quarter. "
        "Goals done: [removed] to get a CSCS card, by 30 November 2025. "
        "Outcomes started: Training. "
        "Distance travelled: the total score went from 28 to 35 of 70 (+7) between the first "
        "assessment and the latest."
    )
    assert draft["next_steps"] == "Open goals: Apply for three warehouse jobs, by 31 January 2026."


def test_the_draft_says_nothing_of_who_the_person_is(case: Case) -> None:
    draft = " ".join(draft_texts([case.pk], START, END)[case.pk].values())
    referral = case.referral
    for identifier in (
        referral.first_name,
        referral.last_name,
        referral.postcode,
        "B1",
        referral.phone,
        referral.email,
        referral.reference,
        "1990",
        "Leeds",  # a dropped goal
        "depot",  # a goal set after the quarter
    ):
        assert identifier.lower() not in draft.lower(), identifier


def test_goal_words_lose_every_identifier_of_the_person(case: Case) -> None:
    with on(date(2025, 10, 3)):
        ActionPlanGoal.objects.create(
            case=case,
            goal="Ring zeb@example.net or 07700 900123 about the B1 1AA flat (born 14/02/1990)",
            target_date=date(2025, 12, 20),
        )
    objectives = draft_texts([case.pk], START, END)[case.pk]["objectives"]
    assert "Ring [removed] or [removed] about the [removed] flat (born [removed])" in objectives


def test_a_case_with_nothing_recorded_gets_a_draft_saying_so(specialist: User) -> None:
    bare = CaseFactory(worker=specialist)
    draft = draft_texts([bare.pk], START, END)[bare.pk]
    assert draft == {
        "objectives": "No action plan goals were set by the end of the quarter.",
        "achieved": "0 client contacts in the quarter.",
        "next_steps": "No goal is open on the action plan: agree the next goals.",
    }


def test_the_snapshot_drafts_an_update_for_each_active_case_once(manager: User) -> None:
    history = build_history()
    quarterly_return = snapshot(services.return_start(start=START, end=END, by=manager))
    updates = list(quarterly_return.updates.order_by("pseudonym"))
    assert [u.pseudonym for u in updates] == quarterly_return.active_cases
    assert {u.case for u in updates} == set(history.cases)
    for update in updates:
        assert update.status == CaseUpdate.Status.DRAFT
        assert update.pseudonym == opcc_pseudonym(update.case)
        assert update.achieved.startswith("3 client contacts in the quarter.")
        assert update.history.get().history_change_reason == "Drafted from the record"
    # Drafting again (a retried snapshot) makes nothing new and keeps what was written.
    services.case_update_save(update=updates[0], by=manager, **UPDATE)
    assert services.case_updates_draft(quarterly_return=quarterly_return, by=manager) == []
    assert quarterly_return.updates.count() == len(updates)
    assert quarterly_return.updates.get(pk=updates[0].pk).objectives == UPDATE["objectives"]


def test_a_correction_starts_from_the_updates_as_they_were_signed_off(manager: User) -> None:
    build_history()
    first = snapshot(services.return_start(start=START, end=END, by=manager))
    write_narrative(first, manager)
    review_every_update(first, manager, achieved="Signed off text.")
    services.return_sign_off(quarterly_return=first, by=manager)
    second = snapshot(services.return_start_correction(quarterly_return=first, by=manager))
    copied = list(second.updates.all())
    assert len(copied) == len(first.active_cases)
    assert {u.achieved for u in copied} == {"Signed off text."}
    assert {u.status for u in copied} == {CaseUpdate.Status.REVIEWED}
    assert {u.history.get().history_change_reason for u in copied} == {
        "Copied from version 1, as it was signed off"
    }
    assert services.sign_off_problems(second) == []
    # The first version's updates are untouched.
    assert first.updates.filter(achieved="Signed off text.").count() == len(copied)
