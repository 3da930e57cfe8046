"""Models that moved to another app keep their rows: a database made before the move
(its migrations as they stood then) is migrated forward, and every row is still there,
read through the models' new homes."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps as current_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

#: Where the database stood before the privacy records left the core (label e4e).
BEFORE_PRIVACY_MOVE = [("e4e", "0006_api_tokens"), ("privacy", None)]


def _migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def _latest() -> list[tuple[str, str | None]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_the_privacy_records_keep_their_rows_when_they_move_to_the_privacy_app() -> None:
    executor = _migrate(BEFORE_PRIVACY_MOVE)
    old = executor.loader.project_state([("e4e", "0006_api_tokens")]).apps
    User = old.get_model("e4e", "User")
    manager = User.objects.create(email="m@t.invalid", full_name="M", role="manager", fte=1)
    request = old.get_model("e4e", "DataRequest").objects.create(
        reference="DPR-2026-001",
        kind="access",
        received_date=datetime.date(2026, 11, 2),
        logged_by=manager,
        notes="Asked by email.",
    )
    old.get_model("e4e", "HistoricalDataRequest").objects.create(
        id=request.pk,
        reference=request.reference,
        kind="access",
        received_date=request.received_date,
        logged_by=manager,
        history_date=timezone.now(),
        history_type="+",
        history_user=manager,
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    old.get_model("e4e", "RetentionAction").objects.create(
        kind="erasure", rule="request DPR-2026-001", referral_id=7, by=manager, counts={"a": 1}
    )

    _migrate(_latest())

    DataRequest = current_apps.get_model("privacy", "DataRequest")
    RetentionAction = current_apps.get_model("privacy", "RetentionAction")
    moved = DataRequest.objects.get(reference="DPR-2026-001")
    assert (moved.notes, moved.logged_by.email) == ("Asked by email.", "m@t.invalid")
    assert [h.history_user.email for h in moved.history.all()] == ["m@t.invalid"]
    action = RetentionAction.objects.get()
    assert (action.rule, action.referral_id, action.counts) == ("request DPR-2026-001", 7, {"a": 1})
    assert DataRequest._meta.db_table == "privacy_datarequest"


def test_the_import_runs_keep_their_rows_when_they_move_to_the_legacy_import_app() -> None:
    before = [("reporting", "0003_import_run_sweep"), ("legacy_import", None)]
    executor = _migrate(before)
    old = executor.loader.project_state([("reporting", "0003_import_run_sweep")]).apps
    manager = old.get_model("e4e", "User").objects.create(
        email="m@t.invalid", full_name="M", role="manager", fte=1
    )
    old.get_model("reporting", "ImportRun").objects.create(
        file="imports/history.zip",
        original_name="history.zip",
        status="done",
        started_by=manager,
        import_result={"counts": {"cases.csv": {"created": 3, "updated": 0}}},
    )

    _migrate(_latest())

    run = current_apps.get_model("legacy_import", "ImportRun").objects.get()
    assert (run.original_name, run.status, run.started_by.email) == (
        "history.zip",
        "done",
        "m@t.invalid",
    )
    assert run.import_result["counts"]["cases.csv"]["created"] == 3
    assert run._meta.db_table == "legacy_import_importrun"


def test_the_fidelity_reviews_keep_their_rows_and_history_when_they_move_to_reporting() -> None:
    before = [("caseload", "0009_case_access_grants"), ("reporting", "0004_move_import_runs")]
    executor = _migrate(before)
    old = executor.loader.project_state(before).apps
    manager = old.get_model("e4e", "User").objects.create(
        email="m@t.invalid", full_name="M", role="manager", fte=1
    )
    items = {str(n): {"score": 3, "evidence": f"item {n}"} for n in range(1, 26)}
    review = old.get_model("caseload", "FidelityReview").objects.create(
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2026, 9, 30),
        reviewed_on=datetime.date(2026, 10, 5),
        items=items,
        total=75,
        by=manager,
    )
    old.get_model("caseload", "HistoricalFidelityReview").objects.create(
        id=review.pk,
        period_start=review.period_start,
        period_end=review.period_end,
        reviewed_on=review.reviewed_on,
        items=items,
        total=75,
        by=manager,
        history_date=timezone.now(),
        history_type="+",
        history_user=manager,
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )

    _migrate(_latest())

    moved = current_apps.get_model("reporting", "FidelityReview").objects.get()
    assert (moved.total, moved.items["7"]["evidence"], moved.by.email) == (
        75,
        "item 7",
        "m@t.invalid",
    )
    assert moved.history.get().history_user.email == "m@t.invalid"
    assert moved._meta.db_table == "reporting_fidelityreview"
