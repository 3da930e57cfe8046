"""The return reproduces every figure of the conformance fixtures (shared/fixtures), and
importing a fixture history a second time changes nothing."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from legacy_import.importer import ImportResult, import_legacy
from reporting.figures import quarterly_return, suppress_small_numbers
from tests.legacy_import.import_helpers import (
    expected_files,
    fixture_folders,
    fixtures_dir,
    history_rows,
    load_expected,
    mismatches,
    snapshot,
)

pytestmark = pytest.mark.django_db

#: The fund total every fixture is imported with (shared/fixtures/README.md).
FUND_TOTAL_PENCE = 60_000_00


def _fixture_params() -> list[Any]:
    return [pytest.param(folder, id=folder.name) for folder in fixture_folders()]


@pytest.fixture(scope="module", params=_fixture_params())
def imported(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> Iterator[tuple[Path, ImportResult]]:
    """Each fixture folder imported into the empty database once per module, in a
    transaction rolled back afterwards; each test runs in a savepoint inside it."""
    folder: Path = request.param
    fixtures_dir()
    with django_db_blocker.unblock(), transaction.atomic():
        yield folder, import_legacy(folder, fund_total_pence=FUND_TOTAL_PENCE)
        transaction.set_rollback(True)


def test_the_return_gives_every_figure_of_each_expected_file(
    imported: tuple[Path, ImportResult],
) -> None:
    folder, result = imported
    assert result.ok, f"{folder.name} did not import:\n" + "\n".join(result.errors)
    expected_paths = expected_files(folder)
    assert expected_paths, f"{folder} has no expected-*.json files"
    wrong = []
    for path in expected_paths:
        expected = load_expected(path)
        actual = quarterly_return(
            date.fromisoformat(expected["period"]["start"]),
            date.fromisoformat(expected["period"]["end"]),
        )
        if path.name.startswith("expected-opcc-"):
            actual = suppress_small_numbers(actual)
        wrong += [f"{path.name}: {problem}" for problem in mismatches(expected, actual)]
    assert not wrong, f"{len(wrong)} figures differ from {folder.name}:\n" + "\n".join(wrong)


def test_the_command_prints_the_opcc_document_of_each_opcc_file(
    imported: tuple[Path, ImportResult],
) -> None:
    """`quarterly_return --audience opcc` prints the document as the OPCC may see it: the
    expected-opcc files, where a folder has them."""
    folder, _ = imported
    opcc_files = [path for path in expected_files(folder) if path.name.startswith("expected-opcc-")]
    if not opcc_files:
        pytest.skip(f"{folder.name} has no OPCC document")
    wrong = []
    for path in opcc_files:
        expected = load_expected(path)
        out = io.StringIO()
        call_command(
            "quarterly_return",
            "--start",
            expected["period"]["start"],
            "--end",
            expected["period"]["end"],
            "--audience",
            "opcc",
            stdout=out,
        )
        printed = json.loads(out.getvalue())
        wrong += [f"{path.name}: {problem}" for problem in mismatches(expected, printed)]
        assert "@" not in out.getvalue(), "a worker's email reached the OPCC's document"
    assert not wrong, "\n".join(wrong)


def test_importing_a_fixture_again_changes_nothing(imported: tuple[Path, ImportResult]) -> None:
    folder, result = imported
    assert result.ok, result.errors
    before, history_before = snapshot(), history_rows()
    again = import_legacy(folder, fund_total_pence=FUND_TOTAL_PENCE)
    assert again.ok, again.errors
    assert {name: (c.created, c.updated) for name, c in again.counts.items()} == {
        name: (0, 0) for name in result.counts if name != "employers"
    }
    assert snapshot() == before
    assert history_rows() == history_before
