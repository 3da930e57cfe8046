"""The migration that stores the pseudonyms keeps what people already hold: every existing
case keeps the evaluators' pseudonym it had, and a draft return's updates follow their cases
to the OPCC's pseudonyms, while signed-off returns stay as they were signed off (and so do
their updates, when they move to rows of their own)."""

from __future__ import annotations

import datetime
import itertools
import re

import pytest
from django.apps import apps as current_apps
from django.conf import settings
from django.utils import timezone

from core.pseudonyms import hmac_pseudonym
from evaluation.records import case_id_for
from tests.test_model_moves import _latest, _migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("caseload", "0010_move_fidelity_reviews"), ("reporting", "0007_heartbeat")]
LONG = re.compile(r"P-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def old_pseudonym(case_id: int) -> str:
    return hmac_pseudonym(case_id, settings.PSEUDONYM_KEY)


def colliding_ids() -> tuple[int, int]:
    """Two case ids whose six-digit pseudonyms are the same (there are some among a few
    thousand: that is the problem being fixed)."""
    seen: dict[str, int] = {}
    for case_id in itertools.count(100):
        pseudonym = old_pseudonym(case_id)
        if pseudonym in seen:
            return seen[pseudonym], case_id
        seen[pseudonym] = case_id
    raise AssertionError("unreachable")


def test_existing_pseudonyms_are_kept_and_draft_updates_move_to_the_opcc_pseudonyms() -> None:
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    manager = old.get_model("e4e", "User").objects.create(
        email="m@t.invalid", full_name="M", role="manager", fte=1
    )
    Referral, Case = old.get_model("referrals", "Referral"), old.get_model("caseload", "Case")
    accepted = datetime.date(2026, 4, 2)

    def case(pk: int) -> int:
        referral = Referral.objects.create(
            reference=f"E4E-MIG-{pk}",
            person_key=f"person-{pk}",
            received_date=accepted,
            source="probation",
            first_name="A",
            last_name="B",
            date_of_birth=datetime.date(2000, 1, 1),
            postcode="B12 9LP",
            cohort="convicted",
            consent=True,
            status="accepted",
            decision_date=accepted,
        )
        made = Case.objects.create(
            pk=pk, referral=referral, worker=manager, accepted_date=accepted, start_date=accepted
        )
        return int(made.pk)

    kept = case(7)
    first, second = (case(pk) for pk in colliding_ids())
    shared = old_pseudonym(kept)
    update = {"pseudonym": shared, "objectives": "Find work.", "achieved": "A CV."}
    Return = old.get_model("reporting", "QuarterlyReturn")
    draft = Return.objects.create(
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2026, 9, 30),
        started_by=manager,
        active_cases=[shared],
        case_updates=[update],
    )
    signed = Return.objects.create(
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 6, 30),
        status="signed_off",
        started_by=manager,
        signed_off_by=manager,
        signed_off_at=timezone.now(),
        figures={"access": {"new_referrals": 1}},
        active_cases=[shared],
        case_updates=[update],
    )

    _migrate(_latest())

    CasePseudonym = current_apps.get_model("caseload", "CasePseudonym")
    stored = {row.case_id: row for row in CasePseudonym.objects.all()}
    assert set(stored) == {kept, first, second}
    assert stored[kept].evaluator == shared
    assert case_id_for(shared) == kept  # the evaluators' saved reference still works
    # The two that shared one each get a new, long one: the old one named neither for sure.
    assert LONG.fullmatch(stored[first].evaluator) and LONG.fullmatch(stored[second].evaluator)
    assert stored[first].evaluator != stored[second].evaluator
    assert all(row.opcc.startswith("R-") for row in stored.values())

    # The updates, moved on to rows of their own (reporting 0011), keep what was written.
    Return = current_apps.get_model("reporting", "QuarterlyReturn")
    draft = Return.objects.get(pk=draft.pk)
    assert draft.active_cases == [stored[kept].opcc]
    text = ("Find work.", "A CV.", "")
    moved = draft.updates.get()
    assert (moved.pseudonym, moved.case_id, moved.status) == (stored[kept].opcc, kept, "draft")
    assert (moved.objectives, moved.achieved, moved.next_steps) == text
    signed = Return.objects.get(pk=signed.pk)
    assert signed.active_cases == [shared]
    moved = signed.updates.get()
    assert (moved.pseudonym, moved.status) == (shared, "reviewed")
    assert (moved.objectives, moved.achieved, moved.next_steps) == text
