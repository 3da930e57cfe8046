"""The import_legacy and quarterly_return commands: their output and exit status."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import BaseCommand

from legacy_import.management.commands import import_legacy as import_command
from referrals.models import Referral
from reporting.figures import quarterly_return
from tests.legacy_import.import_helpers import SMALL_HISTORY, records, write_history
from tests.reporting.returns_helpers import pdf_text

pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def exit_status(command: BaseCommand, *args: str) -> int:
    """Run the command as manage.py does, returning its exit status."""
    command.stdout._out = io.StringIO()  # type: ignore[attr-defined]
    command.stderr._out = io.StringIO()  # type: ignore[attr-defined]
    try:
        command.run_from_argv(["manage.py", "import_legacy", *args])
    except SystemExit as stop:
        return int(stop.code or 0)
    return 0


# --- import_legacy -------------------------------------------------------------------------


def test_import_prints_the_counts_per_file_and_exits_0(tmp_path: Path) -> None:
    folder = write_history(tmp_path / "history", SMALL_HISTORY)

    out, _ = run("import_legacy", str(folder), "--fund-total", "10000")

    assert out.splitlines()[0] == "Imported history:"
    assert "  workers.csv            2 created, 0 updated" in out.splitlines()
    assert "  referrals.csv          4 created, 0 updated" in out.splitlines()
    assert Referral.objects.count() == 4
    again, _ = run("import_legacy", str(folder), "--fund-total", "10000")
    assert "  contacts.csv           0 created, 0 updated" in again.splitlines()


def test_import_prints_every_error_and_exits_1(tmp_path: Path) -> None:
    files = {
        **SMALL_HISTORY,
        "contacts.csv": """
            contact_id,case_id,worker_id,date,mode,party,duration_minutes,colour
            K1,C1,W1,2025-10-20,phone,client,15,red
            K2,C7,W1,2025-10-20,phone,client,15,
        """,
    }
    folder = write_history(tmp_path / "history", files)
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 problems found: nothing was imported") as raised:
        call_command("import_legacy", str(folder), "--fund-total", "10000", stderr=err)

    assert raised.value.returncode == 1
    assert err.getvalue().splitlines() == [
        "contacts.csv:1:colour: unknown column",
        "contacts.csv:3:case_id: C7 is not in cases.csv nor in the database",
    ]
    assert not Referral.objects.exists()
    assert exit_status(import_command.Command(), str(folder)) == 1


def test_import_dry_run_says_what_it_would_do(tmp_path: Path) -> None:
    folder = write_history(tmp_path / "history", SMALL_HISTORY)
    before = records()

    out, _ = run("import_legacy", str(folder), "--dry-run", "--fund-total", "10000")

    assert out.splitlines()[0] == "Dry run of history: nothing was written. It would make:"
    assert "  cases.csv              2 to create, 0 to update" in out.splitlines()
    assert records() == before


def test_import_refuses_a_bad_fund_total(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="give the amount in pounds"):
        run("import_legacy", str(tmp_path), "--fund-total", "lots")


def test_import_warnings_go_to_standard_error(tmp_path: Path) -> None:
    folder = write_history(
        tmp_path / "history",
        {
            "workers.csv": SMALL_HISTORY["workers.csv"],
            "referrals.csv": """
                referral_id,person_id,received_date,source,first_name,last_name,\
date_of_birth,cohort,decision,decision_date
                R1,P1,2025-09-20,police,Ann,Able,2000-01-01,at_risk,accepted,2025-09-25
            """,
        },
    )

    _, err = run("import_legacy", str(folder))

    assert err.startswith("Warning: referrals.csv:2:referral_id: R1 was accepted")


# --- quarterly_return ----------------------------------------------------------------------


@pytest.fixture
def history(tmp_path: Path) -> None:
    folder = write_history(tmp_path / "history", SMALL_HISTORY)
    run("import_legacy", str(folder), "--fund-total", "10000")


@pytest.mark.usefixtures("history")
def test_the_json_return_is_exactly_the_document() -> None:
    out, _ = run("quarterly_return", "--quarter", "2025-26-Q3")

    assert json.loads(out) == json.loads(
        json.dumps(quarterly_return(date(2025, 10, 1), date(2025, 12, 31)))
    )


@pytest.mark.usefixtures("history")
def test_the_csv_return_has_one_row_per_figure_with_dotted_keys(tmp_path: Path) -> None:
    target = tmp_path / "return.csv"

    run("quarterly_return", "--start", "2025-10-01", "--end", "2025-12-31", "--format", "csv",
        "--output", str(target))  # fmt: skip

    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert rows[0] == ["section", "key", "value"]
    assert ["period", "start", "2025-10-01"] in rows
    assert ["access", "new_referrals", "3"] in rows
    assert ["access", "referrals_by_source.probation", "1"] in rows
    assert ["caseload", "per_worker.1.worker", "w1@example.org"] in rows
    assert ["equity", "new_referrals.by_age_band.22_25", "1"] in rows
    assert ["access", "referral_to_start_days_median", "8.0"] in rows
    assert ["engagement", "sustained_24_weeks_pct", ""] in rows  # null
    keys = [(section, key) for section, key, _ in rows[1:]]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quarter", "2025-Q3"], "is not a quarter: write it like 2026-27-Q3"),
        (["--quarter", "2025-27-Q1"], "is not a quarter"),
        (["--start", "2025-12-31", "--end", "2025-10-01"], "The end .* is before the start"),
        (["--start", "2025-10-01"], "Give --quarter"),
        (["--start", "1/10/2025", "--end", "2025-12-31"], "is not a date: write it as"),
        (["--quarter", "2025-26-Q3", "--start", "2025-10-01"], "not both"),
    ],
)
def test_bad_periods_are_refused_with_a_clear_message(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("quarterly_return", *args)


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(CommandError, match="invalid choice: 'xlsx'"):
        run("quarterly_return", "--quarter", "2025-26-Q3", "--format", "xlsx")


@pytest.mark.usefixtures("history")
def test_the_pdf_return_is_written_to_the_output_file(tmp_path: Path) -> None:
    target = tmp_path / "return.pdf"

    _, err = run("quarterly_return", "--quarter", "2025-26-Q3", "--format", "pdf",
                 "--output", str(target))  # fmt: skip

    assert target.read_bytes().startswith(b"%PDF-")
    assert target.read_bytes().rstrip().endswith(b"%%EOF")
    assert f"to {target}" in err


@pytest.mark.usefixtures("history")
def test_the_pdf_return_is_the_opccs_copy_marked_not_signed_off(tmp_path: Path) -> None:
    target = tmp_path / "return.pdf"

    run("quarterly_return", "--quarter", "2025-26-Q3", "--format", "pdf",
        "--output", str(target))  # fmt: skip

    text = " ".join(pdf_text(target.read_bytes(), tmp_path).split())
    assert "Quarterly return 2025-26-Q3" in text
    assert "Not signed off" in text
    # The OPCC's copy: workers numbered, never named.
    assert "w1@example.org" not in text


def test_the_pdf_return_is_not_written_to_the_terminal() -> None:
    with pytest.raises(CommandError, match=r"binary file .* give --output FILE"):
        run("quarterly_return", "--quarter", "2025-26-Q3", "--format", "pdf")
