"""On PostgreSQL, outside a transaction, the return's sections are computed side by side on
their own connections in one snapshot: the figures are those of every expected file, and a
write committed while the return is being computed reaches none of its sections."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from legacy_import.importer import import_legacy
from reporting.figures import document, quarterly_return, together
from tests.legacy_import.import_helpers import (
    expected_files,
    fixtures_dir,
    load_expected,
    mismatches,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the sections run side by side on PostgreSQL only")


@pytest.fixture
def history(postgresql_only: None) -> Path:
    folder = fixtures_dir() / "sample-history-v2"
    result = import_legacy(folder, fund_total_pence=60_000_00)
    assert result.ok, result.errors
    return folder


def _exact_files(folder: Path) -> list[Path]:
    return [path for path in expected_files(folder) if not path.name.startswith("expected-opcc")]


def test_side_by_side_gives_every_figure_of_the_expected_files(
    history: Path, settings: Any
) -> None:
    settings.RETURN_CONNECTIONS = 3
    assert together.side_by_side()
    wrong = []
    for path in _exact_files(history):
        expected = load_expected(path)
        actual = quarterly_return(
            date.fromisoformat(expected["period"]["start"]),
            date.fromisoformat(expected["period"]["end"]),
        )
        wrong += [f"{path.name}: {problem}" for problem in mismatches(expected, actual)]
    assert not wrong, "\n".join(wrong)


def test_every_section_reads_the_state_the_return_began_with(
    history: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A referral committed after the return began, before any section has run, is counted
    by none of them: they read the snapshot the return began with, not their own."""
    from referrals.models import Referral
    from tests.factories import ReferralFactory

    settings.RETURN_CONNECTIONS = 2
    expected = load_expected(_exact_files(history)[0])
    start = date.fromisoformat(expected["period"]["start"])
    end = date.fromisoformat(expected["period"]["end"])
    written = threading.Lock()
    real_in_snapshot = together._in_snapshot

    def write() -> None:  # on a connection of its own, committed at once
        try:
            ReferralFactory(reference="E4E-WRITTEN-0001", received_date=start)
        finally:
            connection.close()

    def after_a_write(*args: Any) -> dict[str, Any]:
        with written:
            if not Referral.objects.filter(reference="E4E-WRITTEN-0001").exists():
                writer = threading.Thread(target=write)
                writer.start()
                writer.join()
        return real_in_snapshot(*args)

    monkeypatch.setattr(together, "_in_snapshot", after_a_write)
    figures = quarterly_return(start, end)
    assert Referral.objects.filter(reference="E4E-WRITTEN-0001").exists()
    assert figures["access"]["new_referrals"] == expected["access"]["new_referrals"]
    assert not mismatches(expected, figures)


@pytest.mark.django_db
def test_inside_a_transaction_the_sections_run_on_the_callers_connection(
    postgresql_only: None, settings: Any
) -> None:
    settings.RETURN_CONNECTIONS = 2
    # A test's transaction, as any caller's: another connection could not see its rows.
    assert connection.in_atomic_block
    assert not together.side_by_side()


@pytest.fixture
def no_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a thread was started")

    monkeypatch.setattr(together, "ThreadPoolExecutor", refuse)


def test_one_connection_runs_the_sections_in_turn(settings: Any, no_threads: None) -> None:
    """Outside a transaction, where PostgreSQL would run them side by side."""
    settings.RETURN_CONNECTIONS = 1
    figures = quarterly_return(date(2026, 4, 1), date(2026, 6, 30))
    assert list(figures) == ["period", *document.SECTIONS]
