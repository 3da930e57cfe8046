"""The per-case updates kept as JSON on each return move to rows of their own (reporting 0011)
with the same text and their history, and signed-off returns show the OPCC what they showed
before."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps as current_apps
from django.utils import timezone

from tests.test_model_moves import _latest, _migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("reporting", "0010_case_updates")]
Q3 = (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
Q4 = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


def test_the_json_updates_become_rows_with_their_text_state_and_history() -> None:
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("e4e", "User")
    manager = User.objects.create(email="m@t.invalid", full_name="M", role="manager", fte=1)
    writer = User.objects.create(email="w@t.invalid", full_name="W", role="manager", fte=1)
    Referral, Case = old.get_model("referrals", "Referral"), old.get_model("caseload", "Case")
    CasePseudonym = old.get_model("caseload", "CasePseudonym")
    accepted = datetime.date(2025, 9, 1)
    cases = []
    for n in range(3):
        referral = Referral.objects.create(
            reference=f"E4E-MOVE-{n}",
            person_key=f"person-{n}",
            received_date=accepted,
            source="probation",
            first_name="A",
            last_name="B",
            date_of_birth=datetime.date(2000, 1, 1),
            cohort="convicted",
            consent=True,
            status="accepted",
            decision_date=accepted,
        )
        case = Case.objects.create(
            referral=referral, worker=manager, accepted_date=accepted, start_date=accepted
        )
        CasePseudonym.objects.create(case=case, evaluator=f"P-EVAL-{n}", opcc=f"R-OPCC-{n}")
        cases.append(case)

    full = {"objectives": "Find work.", "achieved": "A CV.", "next_steps": "Apply."}
    Return = old.get_model("reporting", "QuarterlyReturn")
    History = old.get_model("reporting", "HistoricalQuarterlyReturn")
    signed_at = timezone.now() - datetime.timedelta(days=30)
    signed = Return.objects.create(
        period_start=Q3[0],
        period_end=Q3[1],
        status="signed_off",
        started_by=manager,
        signed_off_by=manager,
        signed_off_at=signed_at,
        figures={"access": {"new_referrals": 1}},
        # Signed off before the pseudonyms were stored: the evaluators' six-digit ones.
        active_cases=["P-EVAL-0", "P-EVAL-1"],
        case_updates=[
            {"pseudonym": "P-EVAL-0", **full},
            {"pseudonym": "P-EVAL-1", **full, "achieved": "Started training."},
            {"pseudonym": "P-GONE-9", **full},  # not an active case: never shown
        ],
    )
    draft = Return.objects.create(
        period_start=Q4[0],
        period_end=Q4[1],
        started_by=manager,
        active_cases=["R-OPCC-0", "R-OPCC-1", "R-OPCC-2"],
        case_updates=[
            {"pseudonym": "R-OPCC-0", **full},
            {"pseudonym": "R-OPCC-1", "objectives": "Find work.", "achieved": "", "next_steps": ""},
        ],
    )
    # The draft's history: written part-done by one manager, finished by the other.
    versions = [
        (writer, [{"pseudonym": "R-OPCC-0", "objectives": "Find work."}]),
        (manager, draft.case_updates),
    ]
    for day, (user, updates) in enumerate(versions, start=1):
        History.objects.create(
            id=draft.pk,
            period_start=Q4[0],
            period_end=Q4[1],
            version=1,
            status="draft",
            started_by=manager,
            active_cases=draft.active_cases,
            case_updates=updates,
            created_at=draft.created_at,
            updated_at=draft.created_at,
            history_date=timezone.now() - datetime.timedelta(days=10 - day),
            history_type="~",
            history_user=user,
        )

    _migrate(_latest())

    Return = current_apps.get_model("reporting", "QuarterlyReturn")
    CaseUpdate = current_apps.get_model("reporting", "CaseUpdate")
    assert not hasattr(Return, "case_updates")  # the JSON is gone

    moved = {u.pseudonym: u for u in CaseUpdate.objects.filter(quarterly_return_id=signed.pk)}
    assert set(moved) == {"P-EVAL-0", "P-EVAL-1"}
    assert {u.status for u in moved.values()} == {"reviewed"}
    assert moved["P-EVAL-0"].case_id == cases[0].pk  # the case that kept the pseudonym
    assert moved["P-EVAL-1"].achieved == "Started training."
    assert {(u.reviewed_by_id, u.reviewed_at) for u in moved.values()} == {(manager.pk, signed_at)}

    rows = {u.pseudonym: u for u in CaseUpdate.objects.filter(quarterly_return_id=draft.pk)}
    assert set(rows) == {"R-OPCC-0", "R-OPCC-1"}  # none was written for the third case
    assert (rows["R-OPCC-0"].status, rows["R-OPCC-0"].case_id) == ("submitted", cases[0].pk)
    assert (rows["R-OPCC-0"].objectives, rows["R-OPCC-0"].next_steps) == ("Find work.", "Apply.")
    assert (rows["R-OPCC-1"].status, rows["R-OPCC-1"].achieved) == ("draft", "")

    # Each version of the JSON that changed an update is a version of the update, by whom
    # and when it was saved: the earlier text is not lost with the column.
    history = list(
        current_apps.get_model("reporting", "HistoricalCaseUpdate")
        .objects.filter(id=rows["R-OPCC-0"].pk)
        .order_by("history_date", "history_id")
    )
    assert [(h.history_user_id, h.objectives, h.next_steps, h.status) for h in history] == [
        (writer.pk, "Find work.", "", "draft"),
        (manager.pk, "Find work.", "Apply.", "submitted"),
    ]


def test_a_return_signed_off_before_the_move_shows_the_opcc_the_same_updates() -> None:
    """The PDF's updates (reporting.pdf.return_context) as the JSON gave them before."""
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    manager = old.get_model("e4e", "User").objects.create(
        email="m@t.invalid", full_name="M", role="manager", fte=1
    )
    updates = [
        {"pseudonym": "P-AAAAAA", "objectives": "One.", "achieved": "Two.", "next_steps": "3."},
        {"pseudonym": "P-BBBBBB", "objectives": "Uno.", "achieved": "Dos.", "next_steps": "Tres."},
    ]
    signed = old.get_model("reporting", "QuarterlyReturn").objects.create(
        period_start=Q3[0],
        period_end=Q3[1],
        status="signed_off",
        started_by=manager,
        signed_off_by=manager,
        signed_off_at=timezone.now(),
        figures={"access": {"new_referrals": 1}},
        active_cases=["P-AAAAAA", "P-BBBBBB", "P-CCCCCC"],
        case_updates=list(reversed(updates)),
    )

    _migrate(_latest())

    from reporting.models import QuarterlyReturn
    from reporting.selectors import opcc_case_updates

    shown = opcc_case_updates(QuarterlyReturn.objects.get(pk=signed.pk))
    assert shown == [*updates, {"pseudonym": "P-CCCCCC"}]
