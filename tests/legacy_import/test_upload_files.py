"""What an upload may hold and what its messages say: limits on what it unpacks to, the
first 1,000 errors kept with their count, the user's own file name in every message, never
a server path, and plain words for an empty zip or a file that ends mid-row."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from legacy_import import services
from legacy_import.importer import import_legacy, sources

pytestmark = pytest.mark.django_db

WORKERS = "worker_id,email,name,fte,role\nW1,w1@example.org,Wendy,1.0,specialist\n"
REFERRALS = (
    "referral_id,person_id,received_date,source,first_name,last_name,date_of_birth,"
    "gender,ethnicity,postcode,cohort,decision,decision_date,rejection_reason,"
    "rejection_rationale\n"
)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_zip_that_unpacks_to_far_more_than_it_holds_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = _zip(tmp_path / "small.zip", {"referrals.csv": REFERRALS.encode() + b"x" * 3_000_000})
    assert bomb.stat().st_size < 100_000
    result = import_legacy(bomb, shown_name="history.zip")
    assert any("compressed more than 200 times over" in e for e in result.errors)
    monkeypatch.setattr(sources, "MAX_UNPACKED_BYTES", 1000)
    monkeypatch.setattr(sources, "MAX_RATIO", 10**9)
    result = import_legacy(bomb, shown_name="history.zip")
    assert result.errors == [
        "history.zip:-:-: the CSV files unpack to more than 0 MB: split the history into "
        "smaller files"
    ]


def test_messages_name_the_users_file_and_never_a_server_path(tmp_path: Path) -> None:
    stored = tmp_path / "import-0123abcd.zip"
    stored.write_bytes(b"this is not a zip")
    result = import_legacy(stored, shown_name="our history.zip")
    assert result.errors == ["our history.zip:-:-: cannot be read as a .zip"]
    assert str(tmp_path) not in " ".join(result.errors)


def test_an_empty_zip_is_called_empty(tmp_path: Path) -> None:
    result = import_legacy(_zip(tmp_path / "e.zip", {}), shown_name="history.zip")
    assert result.errors == ["history.zip:-:-: the .zip is empty"]


def test_the_csv_files_may_sit_in_one_nested_folder(tmp_path: Path) -> None:
    archive = _zip(
        tmp_path / "n.zip",
        {
            "export/2026/workers.csv": WORKERS.encode(),
            "export/2026/referrals.csv": REFERRALS.encode(),
        },
    )
    result = import_legacy(archive, shown_name="history.zip", dry_run=True)
    assert result.ok, result.errors


def test_a_file_that_ends_mid_row_says_so(tmp_path: Path) -> None:
    archive = _zip(
        tmp_path / "m.zip",
        {"workers.csv": WORKERS.encode(), "referrals.csv": (REFERRALS + 'R1,P1,"2025').encode()},
    )
    result = import_legacy(archive, shown_name="history.zip")
    assert result.errors == [
        "referrals.csv:2:-: the file ends in the middle of a row: a quoted cell is not closed"
    ]


def test_a_run_keeps_the_first_thousand_errors_and_their_count() -> None:
    class Result:
        counts: dict[str, object] = {}
        warnings: list[str] = []
        errors = [f"referrals.csv:{n}:source: unknown" for n in range(2, 200_002)]

    kept = services._result_dict(Result())
    assert len(kept["errors"]) == 1000 and kept["error_count"] == 200_000
    assert len(str(kept)) < 100_000
