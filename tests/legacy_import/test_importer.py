"""The legacy importer (shared/spec/import-format.md): all or nothing, every error at once,
idempotent, the same from a folder, a .zip or an .xlsx, and a dry run that writes nothing."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.db import transaction

from caseload.models import Case, Contact, Employer, Outcome
from core.models import Role, User
from core.system_user import SYSTEM_EMAIL
from enterprise_fund.models import Fund, FundApplication
from legacy_import.importer import ImportResult, import_legacy
from referrals.models import Referral
from reporting.figures import quarterly_return
from tests.legacy_import.import_helpers import (
    SMALL_HISTORY,
    history_rows,
    records,
    snapshot,
    write_history,
)

pytestmark = pytest.mark.django_db

FUND = 10_000_00
PERIOD = (date(2025, 10, 1), date(2025, 12, 31))


def counts(result: ImportResult) -> dict[str, tuple[int, int]]:
    return {name: (c.created, c.updated) for name, c in result.counts.items()}


def small_history(tmp_path: Path, **replace: str) -> Path:
    return write_history(tmp_path / "history", {**SMALL_HISTORY, **replace})


def outcome_of(path: Path, **options: Any) -> tuple[dict[str, int], dict[str, Any], ImportResult]:
    """Import `path` in a transaction that is then undone: what it made, and the return."""
    with transaction.atomic():
        result = import_legacy(path, fund_total_pence=FUND, **options)
        state = (snapshot(), quarterly_return(*PERIOD), result)
        transaction.set_rollback(True)
    return state


# --- what a good import does -------------------------------------------------------------


def test_a_history_is_imported_through_the_services_as_the_system_user(tmp_path: Path) -> None:
    result = import_legacy(small_history(tmp_path), fund_total_pence=FUND)

    assert result.ok, result.errors
    assert counts(result) == {
        "workers.csv": (2, 0),
        "referrals.csv": (4, 0),
        "cases.csv": (2, 0),
        "contacts.csv": (4, 0),
        "outcomes.csv": (2, 0),
        "assessments.csv": (2, 0),
        "fund_applications.csv": (2, 0),
        "offences.csv": (1, 0),
        "signposting.csv": (1, 0),
        "feedback.csv": (1, 0),
        "employers": (1, 0),
    }
    worker = User.objects.get(legacy_id="W1")
    assert (worker.email, worker.role, worker.fte) == ("w1@example.org", Role.SPECIALIST, 1)
    assert worker.is_invited  # no password: they must be invited
    case = Case.objects.get(legacy_id="C2")
    assert (case.accepted_date, case.start_date, case.closed_date) == (
        date(2025, 10, 10),
        date(2025, 10, 12),
        date(2025, 12, 1),
    )
    assert (case.closure_reason, case.prior_similar_support) == ("moved_away", "yes")
    assert Referral.objects.get(legacy_id="R2").rejection_rationale == "No room"
    assert Contact.objects.get(legacy_id="K2").employer == Employer.objects.get(name="Acme")
    assert Contact.objects.get(legacy_id="K3").case is None
    award = FundApplication.objects.get(legacy_id="F1")
    assert (award.status, award.amount_awarded_pence) == ("approved", 750_50)
    fund = Fund.objects.get()
    assert (fund.total_pence, fund.remaining_pence) == (FUND, FUND - 750_50)
    for record in (worker, case, award, Contact.objects.get(legacy_id="K1")):
        assert record.history.latest().history_user.email == SYSTEM_EMAIL


def test_importing_the_same_files_again_changes_nothing(tmp_path: Path) -> None:
    folder = small_history(tmp_path)
    assert import_legacy(folder, fund_total_pence=FUND).ok
    before, history_before = snapshot(), history_rows()

    again = import_legacy(folder, fund_total_pence=FUND)

    assert again.ok, again.errors
    assert all(created == updated == 0 for created, updated in counts(again).values())
    assert snapshot() == before
    assert history_rows() == history_before


def test_a_corrected_file_updates_only_the_records_it_names(tmp_path: Path) -> None:
    folder = small_history(tmp_path)
    assert import_legacy(folder, fund_total_pence=FUND).ok
    before, history_before = records(), history_rows()
    contacts = SMALL_HISTORY["contacts.csv"].replace(
        "K1,C1,W1,2025-10-20,phone,client,15,no,", "K1,C1,W1,2025-10-21,phone,client,20,no,"
    )
    workers = SMALL_HISTORY["workers.csv"].replace("Walter Two,0.2", "Walter Two,0.4")
    write_history(folder, {"contacts.csv": contacts, "workers.csv": workers})

    result = import_legacy(folder, fund_total_pence=FUND)

    assert result.ok, result.errors
    changed = {name: c for name, c in counts(result).items() if c != (0, 0)}
    assert changed == {"contacts.csv": (0, 1), "workers.csv": (0, 1)}
    assert records() == before  # nothing new, nothing duplicated...
    assert history_rows() == history_before + 2  # ...and one history row per correction
    contact = Contact.objects.get(legacy_id="K1")
    assert (contact.date, contact.duration_minutes) == (date(2025, 10, 21), 20)
    assert User.objects.get(legacy_id="W2").fte == Decimal("0.4")
    assert contact.history.latest().history_user.email == SYSTEM_EMAIL


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(tmp_path: Path) -> None:
    folder = small_history(tmp_path)
    before, history_before = snapshot(), history_rows()

    dry = import_legacy(folder, fund_total_pence=FUND, dry_run=True)

    assert dry.ok and dry.dry_run
    assert snapshot() == before
    assert history_rows() == history_before
    real = import_legacy(folder, fund_total_pence=FUND)
    assert counts(dry) == counts(real)


def test_columns_in_any_order_a_bom_uk_dates_and_spelled_booleans_are_read(
    tmp_path: Path,
) -> None:
    folder = small_history(
        tmp_path,
        **{
            "contacts.csv": """
                worker_id,contact_id,duration_minutes,date,mode,party,case_id,out_of_hours
                W1,K1,15,20/10/2025,phone,client,C1,TRUE
                W1,K2,30,28/10/2025,face_to_face,client,C1,No
            """
        },
    )
    workers = (folder / "workers.csv").read_text(encoding="utf-8")
    (folder / "workers.csv").write_bytes(b"\xef\xbb\xbf" + workers.encode())

    result = import_legacy(folder, fund_total_pence=FUND)

    assert result.ok, result.errors
    first, second = Contact.objects.order_by("legacy_id")
    assert (first.date, first.out_of_hours, second.out_of_hours) == (
        date(2025, 10, 20),
        True,
        False,
    )


# --- errors --------------------------------------------------------------------------------


BAD_HISTORY = {
    "workers.csv": """
        worker_id,email,name,fte,grade
        W1,w1@example.org,Wendy One,1.0,x
        W2,not-an-email,Walter Two,1.5,
    """,
    "referrals.csv": """
        referral_id,person_id,received_date,source,first_name,last_name,date_of_birth,\
cohort,decision,decision_date,rejection_reason,rejection_rationale
        R1,P1,2025-09-20,police,Ann,Able,2000-01-01,at_risk,accepted,2025-09-25,,
        R2,P2,2025-10-05,probation,Bob,Baker,2001-01-01,convicted,rejected,2025-10-06,capacity,
        R3,P3,2025-13-01,self,Cy,Cole,1999-05-05,at_risk,,,,
        R4,P4,2025-10-08,school,Di,Dale,2012-06-06,at_risk,accepted,2025-10-10,,
        R5,P5,2025-10-08,school,Ed,Eve,2000-06-06,at_risk,withdrawn,2025-10-09,,
        R6,P6,{tomorrow},police,Flo,Fox,2000-06-06,at_risk,,,,
        R7,P7,2025-10-08,prison,Gus,Gray,2000-06-06,at_risk,accepted,2025-10-09,,
        R1,P8,2025-10-08,prison,Hal,Hill,2000-06-06,at_risk,,,,
        R10,P10,2025-10-08,prison,Ivy,Ives,2000-06-06,at_risk,accepted,2025-10-20,,
    """,
    "cases.csv": """
        case_id,referral_id,worker_id,start_date,closed_date,closure_reason
        C1,R1,W1,2025-10-02,2025-11-30,disengaged
        C2,R5,W1,2025-10-10,,
        C3,R9,W1,2025-10-10,,
        C4,R7,W1,2025-10-10,,
        C5,R7,W1,2025-10-11,,
        C6,R10,W1,2025-10-15,,
    """,
    "contacts.csv": """
        contact_id,case_id,worker_id,date,mode,party,duration_minutes,out_of_hours
        K1,C1,W1,2025-12-05,phone,client,15,maybe
        K2,C4,W1,2025-10-12,phone,client,0,no
        K3,,W1,2025-10-12,phone,client,5,no
    """,
    "fund_applications.csv": """
        application_id,case_id,submitted_date,amount_requested,purpose,decision,\
decision_date,amount_awarded
        F1,C4,2025-10-12,20000,Van,approved,2025-10-20,15000
        F2,C4,2025-10-12,100,Tools,approved,2025-10-20,200
    """,
}


def test_a_history_with_errors_lists_every_one_and_changes_nothing(tmp_path: Path) -> None:
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    files = {**BAD_HISTORY}
    files["referrals.csv"] = files["referrals.csv"].replace("{tomorrow}", tomorrow)
    folder = write_history(tmp_path / "bad", files)
    before, history_before = snapshot(), history_rows()

    result = import_legacy(folder, fund_total_pence=FUND)

    assert not result.ok
    expected = [
        "workers.csv:1:grade: unknown column",
        "workers.csv:3:email: 'not-an-email' is not an email address",
        "workers.csv:3:fte: '1.5': the FTE must be more than 0 and at most 1",
        "referrals.csv:3:rejection_rationale: a rejected referral needs the rationale",
        "referrals.csv:4:received_date: '2025-13-01' is not a date in the calendar",
        "referrals.csv:5:date_of_birth: aged 13 on the received date: must be 16 to 40",
        f"referrals.csv:7:received_date: {tomorrow} is in the future",
        "referrals.csv:9:referral_id: R1 is already used on row 2",
        "cases.csv:7:start_date: before the referral was accepted on 2025-10-20",
        "cases.csv:3:referral_id: R5 was not accepted (withdrawn)",
        "cases.csv:4:referral_id: R9 is not in referrals.csv nor in the database",
        "cases.csv:6:referral_id: R7 already has case C4 (row 5)",
        "contacts.csv:2:date: after its case closed (2025-11-30)",
        "contacts.csv:2:out_of_hours: 'maybe' is not yes or no (nor true/false, 1/0)",
        "contacts.csv:3:duration_minutes: '0' is not a whole number from 1 to 720",
        "contacts.csv:4:case_id: only a general admin contact (admin, none) has no case",
        "fund_applications.csv:2:amount_awarded: awards would come to £15,000, beyond "
        "the fund's total of £10,000",
        "fund_applications.csv:3:amount_awarded: more than the amount requested",
    ]
    missing = [line for line in expected if line not in result.errors]
    assert not missing, (
        "Not reported:\n" + "\n".join(missing) + "\nGot:\n" + "\n".join(result.errors)
    )
    assert result.counts == {}
    assert snapshot() == before
    assert history_rows() == history_before


def test_the_required_files_and_columns_must_be_there(tmp_path: Path) -> None:
    folder = write_history(
        tmp_path / "partial",
        {"referrals.csv": "referral_id,person_id,received_date\nR1,P1,2025-01-01"},
    )

    result = import_legacy(folder)

    for line in (
        "workers.csv:-:-: this file is required and was not found",
        "referrals.csv:1:source: required column is missing",
        "referrals.csv:1:date_of_birth: required column is missing",
    ):
        assert line in result.errors


def test_an_error_in_a_later_file_leaves_the_earlier_ones_unwritten(tmp_path: Path) -> None:
    folder = small_history(
        tmp_path,
        **{
            "feedback.csv": """
                feedback_id,case_id,date,trust,confidence,respected
                B1,C1,2025-12-01,9,4,5
            """
        },
    )

    result = import_legacy(folder, fund_total_pence=FUND)

    assert result.errors == ["feedback.csv:2:trust: '9' is not a whole number from 1 to 5"]
    assert not User.objects.filter(legacy_id__isnull=False).exists()
    assert not Referral.objects.exists()


def test_an_outcome_before_its_case_started_is_an_error(tmp_path: Path) -> None:
    folder = small_history(
        tmp_path,
        **{
            "outcomes.csv": """
                outcome_id,case_id,type,start_date,hours_per_week
                O1,C1,paid_employment,2025-09-30,35
                O2,C1,self_employment,2025-10-30,
            """
        },
    )

    result = import_legacy(folder, fund_total_pence=FUND)

    assert result.errors == [
        "outcomes.csv:2:start_date: before its case started (2025-10-02)",
        "outcomes.csv:3:hours_per_week: a paid outcome needs its hours a week",
    ]


def test_a_decision_already_recorded_cannot_be_changed_by_import(tmp_path: Path) -> None:
    folder = small_history(tmp_path)
    assert import_legacy(folder, fund_total_pence=FUND).ok
    referrals = SMALL_HISTORY["referrals.csv"].replace(
        "R3,P3,2025-10-07,self,Cy,Cole,1999-05-05,,,,at_risk,withdrawn,2025-10-09,,",
        "R3,P3,2025-10-07,self,Cy,Cole,1999-05-05,,,,at_risk,,,,",
    )
    write_history(folder, {"referrals.csv": referrals})

    result = import_legacy(folder, fund_total_pence=FUND)

    assert result.errors == [
        "referrals.csv:4:decision: already decided (withdrawn on 2025-10-09): an import "
        "cannot change or undo a decision"
    ]


# --- capacity ------------------------------------------------------------------------------


def capacity_history(tmp_path: Path, open_cases: int) -> Path:
    """A worker of FTE 0.2 (capacity 5) given seven cases; the last `open_cases` still open."""
    referrals = [
        "referral_id,person_id,received_date,source,first_name,last_name,date_of_birth,"
        "cohort,decision,decision_date"
    ]
    cases = ["case_id,referral_id,worker_id,start_date,closed_date,closure_reason"]
    for n in range(1, 8):
        day = f"2024-01-0{n}"
        referrals.append(f"R{n},P{n},{day},police,A,B,2000-01-01,at_risk,accepted,{day}")
        closed = "," if n > 7 - open_cases else "2024-02-10,other"
        cases.append(f"C{n},R{n},W1,2024-01-0{n},{closed}")
    return write_history(
        tmp_path / f"capacity-{open_cases}",
        {
            "workers.csv": "worker_id,email,name,fte\nW1,w1@example.org,Wendy One,0.2",
            "referrals.csv": "\n".join(referrals),
            "cases.csv": "\n".join(cases),
        },
    )


def test_a_worker_over_capacity_in_the_past_is_a_warning_with_the_days(tmp_path: Path) -> None:
    result = import_legacy(capacity_history(tmp_path, open_cases=0))

    assert result.ok, result.errors
    assert result.warnings == [
        "W1 (w1@example.org): more open cases than their capacity of 5 on 35 days in the past: "
        "2024-01-06 to 2024-02-09"
    ]


def test_no_new_case_is_given_to_a_worker_at_capacity_today(tmp_path: Path) -> None:
    result = import_legacy(capacity_history(tmp_path, open_cases=6))

    assert result.errors == [
        "cases.csv:8:worker_id: W1 already has 5 open cases today, their full capacity of 5: "
        "no new case can be given to them"
    ]
    assert not Case.objects.exists()


def test_an_accepted_referral_without_a_case_is_imported_with_a_warning(
    tmp_path: Path,
) -> None:
    folder = write_history(
        tmp_path / "waiting",
        {
            "workers.csv": SMALL_HISTORY["workers.csv"],
            "referrals.csv": """
                referral_id,person_id,received_date,source,first_name,last_name,\
date_of_birth,cohort,decision,decision_date
                R1,P1,2025-09-20,police,Ann,Able,2000-01-01,at_risk,accepted,2025-09-25
            """,
        },
    )

    result = import_legacy(folder)

    assert result.ok, result.errors
    assert result.warnings == [
        "referrals.csv:2:referral_id: R1 was accepted on 2025-09-25 but has no case in "
        "cases.csv: it is imported as accepted, with no worker or case yet"
    ]
    referral = Referral.objects.get(legacy_id="R1")
    assert (referral.status, referral.decision_date) == ("accepted", date(2025, 9, 25))


# --- a .zip or an .xlsx --------------------------------------------------------------------


def zipped(folder: Path, target: Path, *, subfolder: str = "") -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, f"{subfolder}{path.name}")
    return target


def workbook(folder: Path, target: Path) -> Path:
    """One sheet per file, as a spreadsheet program keeps it: real dates and numbers."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for path in sorted(folder.glob("*.csv")):
        sheet = book.create_sheet(path.stem)
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        sheet.append(rows[0])
        for row in rows[1:]:
            cells = zip(rows[0], row, strict=True)
            sheet.append([_as_cell(column, value) for column, value in cells])
    book.save(target)
    return target


def _as_cell(column: str, value: str) -> object:
    if not value:
        return None
    if column.endswith("date") or column in {"date", "date_of_birth"}:
        return date.fromisoformat(value)
    if column in {"fte", "amount_requested", "amount_awarded", "hours_per_week"}:
        return float(value)
    if column in {"duration_minutes", "confidence", "trust", "respected"}:
        return int(value)
    return value


def test_a_zip_and_an_xlsx_give_the_same_result_as_the_folder(tmp_path: Path) -> None:
    folder = small_history(tmp_path)
    from_folder = outcome_of(folder)
    assert from_folder[2].ok, from_folder[2].errors

    for source in (
        zipped(folder, tmp_path / "flat.zip"),
        zipped(folder, tmp_path / "nested.zip", subfolder="export-2025/"),
        workbook(folder, tmp_path / "history.xlsx"),
    ):
        made, figures, result = outcome_of(source)
        assert result.ok, (source.name, result.errors)
        assert counts(result) == counts(from_folder[2]), source.name
        assert made == from_folder[0], source.name
        assert figures == from_folder[1], source.name


def test_a_zip_with_files_in_two_folders_is_refused(tmp_path: Path) -> None:
    folder = small_history(tmp_path)
    target = tmp_path / "two.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.write(folder / "workers.csv", "a/workers.csv")
        archive.write(folder / "referrals.csv", "b/referrals.csv")

    result = import_legacy(target)

    assert result.errors == [
        "two.zip:-:-: the CSV files must sit together, at the top of the .zip or in one folder"
    ]


def test_an_xlsx_error_names_the_sheet_as_its_file(tmp_path: Path) -> None:
    folder = small_history(
        tmp_path,
        **{"offences.csv": "offence_id,case_id,date,description\nX1,C9,2025-11-05,x"},
    )

    result = import_legacy(workbook(folder, tmp_path / "history.xlsx"), fund_total_pence=FUND)

    assert result.errors == ["offences.csv:2:case_id: C9 is not in cases.csv nor in the database"]


def test_outcomes_keep_their_hours_and_employer(tmp_path: Path) -> None:
    assert import_legacy(small_history(tmp_path), fund_total_pence=FUND).ok
    outcome = Outcome.objects.get(legacy_id="O1")
    assert (outcome.hours_per_week, outcome.employer_name) == (Decimal(35), "Acme")


def test_a_corrected_case_is_closed_through_the_case_services(tmp_path: Path) -> None:
    folder = small_history(tmp_path)
    assert import_legacy(folder, fund_total_pence=FUND).ok
    cases = SMALL_HISTORY["cases.csv"].replace(
        "C1,R1,W1,2025-10-02,no,,", "C1,R1,W1,2025-10-02,no,2025-12-20,sustained_outcome"
    )
    write_history(folder, {"cases.csv": cases})

    result = import_legacy(folder, fund_total_pence=FUND)

    assert result.ok, result.errors
    assert counts(result)["cases.csv"] == (0, 1)
    case = Case.objects.get(legacy_id="C1")
    assert (case.closed_date, case.closure_reason) == (date(2025, 12, 20), "sustained_outcome")
    assert case.history.latest().history_user.email == SYSTEM_EMAIL


def test_an_award_already_made_cannot_be_changed_by_import(tmp_path: Path) -> None:
    folder = small_history(tmp_path)
    assert import_legacy(folder, fund_total_pence=FUND).ok
    bids = SMALL_HISTORY["fund_applications.csv"].replace(",750.50", ",800")
    write_history(folder, {"fund_applications.csv": bids})

    result = import_legacy(folder, fund_total_pence=FUND)

    assert result.errors == [
        "fund_applications.csv:2:decision: approved on 2025-11-10 for £750.50: an import "
        "cannot change an award"
    ]


def test_a_fund_total_below_what_was_awarded_is_refused(tmp_path: Path) -> None:
    assert import_legacy(small_history(tmp_path), fund_total_pence=FUND).ok

    result = import_legacy(small_history(tmp_path), fund_total_pence=500_00)

    assert "fund_applications.csv:2:amount_awarded: awards would come to £750.50, beyond the " \
        "fund's total of £500" in result.errors  # fmt: skip
    assert Fund.objects.get().total_pence == FUND


# --- version 2: crises, complaints, a worker's start date --------------------------------


def test_crises_complaints_and_a_workers_start_date_are_imported(tmp_path: Path) -> None:
    folder = small_history(
        tmp_path,
        **{
            "workers.csv": """
                worker_id,email,name,fte,role,start_date
                W1,w1@example.org,Wendy One,1.0,specialist,2025-09-01
                W2,w2@example.org,Walter Two,0.2,manager,
            """,
            "crises.csv": """
                crisis_id,case_id,date,kind,notes
                Y1,C1,2025-10-20,arrest,
            """,
            "complaints.csv": """
                complaint_id,case_id,received_date,acknowledged_date,resolved_date,summary
                Z1,C1,2025-10-05,2025-10-06,2025-11-01,Late for an appointment
            """,
        },
    )

    result = import_legacy(folder, fund_total_pence=FUND)

    assert result.ok, result.errors
    assert counts(result)["crises.csv"] == (1, 0)
    assert counts(result)["complaints.csv"] == (1, 0)
    assert User.objects.get(legacy_id="W1").start_date == date(2025, 9, 1)
    assert User.objects.get(legacy_id="W2").start_date is None
    document = quarterly_return(*PERIOD)
    assert document["stability"]["crises_by_kind"]["arrest"] == 1
    assert document["voice"]["complaints_resolved"] == 1
    assert import_legacy(folder, fund_total_pence=FUND).counts["complaints.csv"].created == 0


def test_a_crisis_outside_its_case_or_a_complaint_resolved_before_it_came_is_an_error(
    tmp_path: Path,
) -> None:
    folder = small_history(
        tmp_path,
        **{
            "crises.csv": """
                crisis_id,case_id,date,kind,notes
                Y1,C1,2025-09-30,arrest,
                Y2,C2,2025-12-02,flood,
            """,
            "complaints.csv": """
                complaint_id,case_id,received_date,acknowledged_date,resolved_date,summary
                Z1,C1,2025-10-05,2025-10-04,2025-10-01,
            """,
        },
    )

    result = import_legacy(folder, fund_total_pence=FUND)

    assert result.errors == [
        "crises.csv:2:date: before its case started (2025-10-02)",
        "crises.csv:3:kind: 'flood' is not one of housing_loss, arrest, hospital, "
        "victim_of_violence, other",
        "crises.csv:3:date: after its case closed (2025-12-01)",
        "complaints.csv:2:acknowledged_date: acknowledged before the complaint was received",
        "complaints.csv:2:resolved_date: resolved before the complaint was received",
    ]
    assert not Referral.objects.exists()
