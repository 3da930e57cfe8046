"""The importer writes what it creates in bulk: as many queries for a hundred rows a file as
for ten, one creation history row for each record made by the import, the invariants kept,
and a row found bad while writing still named, with nothing written."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext

from caseload.models import (
    Case,
    CaseUserObjectPermission,
    Contact,
    DistanceAssessment,
    Employer,
    Feedback,
    Offence,
    Outcome,
    Signposting,
)
from core import bulk
from core.invariants import all_problems
from core.models import User
from core.system_user import SYSTEM_EMAIL
from enterprise_fund.models import Fund, FundApplication, LedgerEntry
from legacy_import.importer import import_legacy
from referrals.models import Referral
from tests.legacy_import.import_helpers import (
    SMALL_HISTORY,
    fixtures_dir,
    history_rows,
    snapshot,
    write_history,
)

pytestmark = pytest.mark.django_db

FUND = 10_000_00
START = date(2024, 1, 1)


def sized_history(folder: Path, size: int) -> Path:
    """Two workers and `size` rows in every other file: referrals accepted, rejected and
    withdrawn; a closed case for each accepted one, with a record of every kind and a bid."""
    referrals = [
        "referral_id,person_id,received_date,source,first_name,last_name,date_of_birth,"
        "cohort,decision,decision_date,rejection_reason,rejection_rationale"
    ]
    files: dict[str, list[str]] = {
        "cases.csv": ["case_id,referral_id,worker_id,start_date,closed_date,closure_reason"],
        "contacts.csv": [
            "contact_id,case_id,worker_id,date,mode,party,duration_minutes,out_of_hours,employer"
        ],
        "outcomes.csv": ["outcome_id,case_id,type,start_date,hours_per_week,employer"],
        "assessments.csv": [
            "assessment_id,case_id,date,confidence,motivation,readiness,stability,housing,"
            "finances,wellbeing"
        ],
        "offences.csv": ["offence_id,case_id,date,description"],
        "signposting.csv": ["signposting_id,case_id,date,need,organisation,outcome"],
        "feedback.csv": ["feedback_id,case_id,date,trust,confidence,respected,comment"],
        "fund_applications.csv": [
            "application_id,case_id,submitted_date,amount_requested,purpose,decision,"
            "decision_date,amount_awarded"
        ],
    }
    for n in range(size):
        received = START + timedelta(days=n)
        decided = received + timedelta(days=1)
        decision = ("rejected", "withdrawn", "accepted", "accepted")[n % 4]
        reason = "capacity,No room" if decision == "rejected" else ","
        referrals.append(
            f"R{n},P{n},{received},police,Ann,Able{n},2000-01-01,at_risk,{decision},{decided},"
            f"{reason}"
        )
        if decision != "accepted":
            continue
        start, day = decided + timedelta(days=1), decided + timedelta(days=2)
        files["cases.csv"].append(
            f"C{n},R{n},W{n % 2 + 1},{start},{start + timedelta(days=30)},disengaged"
        )
        files["contacts.csv"] += [
            f"K{n},C{n},W{n % 2 + 1},{day},phone,client,15,no,",
            f"L{n},C{n},W{n % 2 + 1},{day},phone,employer,20,yes,Employer {n % 3}",
        ]
        files["outcomes.csv"].append(f"O{n},C{n},paid_employment,{day},30,Employer {n % 3}")
        files["assessments.csv"].append(f"A{n},C{n},{day},2,3,4,5,6,7,8")
        files["offences.csv"].append(f"X{n},C{n},{day},Reported")
        files["signposting.csv"].append(f"S{n},C{n},{day},debt,Advice centre,engaged")
        files["feedback.csv"].append(f"B{n},C{n},{day},5,4,5,Helpful")
        award = f"approved,{day + timedelta(days=1)},50" if n % 8 == 2 else ",,"
        files["fund_applications.csv"].append(f"F{n},C{n},{day},100,Tools,{award}")
    workers = "worker_id,email,name,fte\nW1,w1@example.org,Wendy One,1\nW2,w2@example.org,Wes Two,1"
    return write_history(
        folder,
        {
            "workers.csv": workers,
            "referrals.csv": "\n".join(referrals),
            **{name: "\n".join(lines) for name, lines in files.items()},
        },
    )


def queries_to_import(folder: Path) -> int:
    """The queries an import of `folder` into the empty database makes (then undone)."""
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            result = import_legacy(folder, fund_total_pence=FUND)
        assert result.ok, result.errors
        transaction.set_rollback(True)
    return len(queries)


def test_an_import_makes_as_many_queries_for_a_hundred_rows_a_file_as_for_ten(
    tmp_path: Path,
) -> None:
    ten = queries_to_import(sized_history(tmp_path / "ten", 10))
    hundred = queries_to_import(sized_history(tmp_path / "hundred", 100))

    assert hundred == ten
    assert ten <= 110  # a few a file (eleven files), whatever its rows


def test_a_reimport_reads_the_stored_records_once_whatever_their_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past the IN-list limit the importer and the checks read each table's keyed records
    # once instead of asking for each id: the same answer.
    monkeypatch.setattr(bulk, "IN_LIST_LIMIT", 3)
    folder = sized_history(tmp_path / "history", 12)
    assert import_legacy(folder, fund_total_pence=FUND).ok
    before, history_before = snapshot(), history_rows()

    again = import_legacy(folder, fund_total_pence=FUND)

    assert again.ok, again.errors
    assert all(c.created == c.updated == 0 for c in again.counts.values())
    assert (snapshot(), history_rows()) == (before, history_before)


def _tracked(record: models.Model, row: models.Model) -> list[tuple[str, object, object]]:
    """The fields where the history row and the record differ."""
    fields = type(row).tracked_fields  # type: ignore[attr-defined]
    return [
        (f.attname, getattr(row, f.attname), getattr(record, f.attname))
        for f in fields
        if getattr(row, f.attname) != getattr(record, f.attname)
    ]


CREATED: list[type[models.Model]] = [
    Referral,
    Case,
    Contact,
    Outcome,
    DistanceAssessment,
    Offence,
    Signposting,
    Feedback,
    Employer,
    FundApplication,
]


def test_each_record_the_import_makes_has_one_history_row_the_import_made(
    tmp_path: Path,
) -> None:
    assert import_legacy(write_history(tmp_path / "h", SMALL_HISTORY), fund_total_pence=FUND).ok
    system = User.objects.get(email=SYSTEM_EMAIL)

    workers = list(User.objects.filter(legacy_id__isnull=False))
    for record in [*workers, *(r for model in CREATED for r in model._default_manager.all())]:
        rows = list(record.history.all())  # type: ignore[attr-defined]
        assert [(r.history_type, r.history_user_id) for r in rows] == [("+", system.pk)], record
        assert _tracked(record, rows[0]) == [], record  # the record as it was imported
    # The ledger's award entry as fund_award makes it (no history user), and the fund with
    # a history row for its creation and one for each award.
    award = LedgerEntry.objects.get(kind=LedgerEntry.Kind.AWARD)
    assert [(r.history_type, r.history_user_id) for r in award.history.all()] == [("+", None)]
    fund = Fund.objects.get()
    balances = [r.remaining_pence for r in fund.history.order_by("history_date", "history_id")]
    assert balances == [FUND, FUND - 750_50] == [FUND, fund.remaining_pence]


def test_an_import_keeps_every_invariant(tmp_path: Path) -> None:
    assert import_legacy(sized_history(tmp_path / "h", 40), fund_total_pence=FUND).ok

    assert all_problems() == []
    assert CaseUserObjectPermission.objects.count() == Case.objects.count() == 20


def test_the_sample_history_keeps_every_invariant_and_each_record_has_its_history() -> None:
    result = import_legacy(fixtures_dir() / "sample-history", fund_total_pence=60_000_00)

    assert result.ok, result.errors
    assert all_problems() == []
    imported = [User.objects.filter(legacy_id__isnull=False)]
    for records in [*imported, *(model._default_manager.all() for model in CREATED)]:
        history = records.model.history  # type: ignore[attr-defined]
        made = history.filter(history_type="+", history_user__email=SYSTEM_EMAIL)
        assert made.filter(id__in=records.values("pk")).count() == records.count() > 0


def test_a_row_found_bad_while_writing_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    folder = write_history(tmp_path / "h", SMALL_HISTORY)
    assert import_legacy(folder, fund_total_pence=FUND).ok
    User.objects.filter(legacy_id="W1").update(is_active=False)  # the checks let it by
    referral = "R5,P5,2025-10-08,school,Ed,Eve,2005-06-06,,,,at_risk,accepted,2025-10-10,,"
    write_history(
        folder,
        {
            "referrals.csv": SMALL_HISTORY["referrals.csv"] + referral,
            "cases.csv": SMALL_HISTORY["cases.csv"] + "C3,R5,W1,2025-10-12,no,,",
        },
    )
    before, history_before = snapshot(), history_rows()

    result = import_legacy(folder, fund_total_pence=FUND)

    assert result.errors == ["cases.csv:4:-: Wendy One does not hold a caseload."]
    assert result.counts == {}
    assert (snapshot(), history_rows()) == (before, history_before)
    assert not Referral.objects.filter(legacy_id="R5").exists()
