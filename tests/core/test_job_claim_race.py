"""A job never runs twice at once: of many workers claiming the same job at the same moment
(a message delivered twice, a re-send while the worker was slow), exactly one gets it
(PostgreSQL only)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from legacy_import.models import ImportRun
from tests.factories import UserFactory
from tests.postgresql import require_postgresql

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]

WORKERS = 20


@pytest.fixture(autouse=True)
def _needs_postgresql() -> None:
    require_postgresql("SQLite serialises every write, so there is no race to lose")


@pytest.mark.parametrize("attempt", range(3))
def test_twenty_workers_claiming_one_job_at_once_give_one_run(attempt: int) -> None:
    run = ImportRun.objects.create(
        file="imports/x.zip", original_name="history.zip", started_by=UserFactory()
    )
    barrier = threading.Barrier(WORKERS)
    claimed: list[bool] = []
    lock = threading.Lock()

    def claim() -> None:
        try:
            mine = ImportRun.objects.get(pk=run.pk)
            barrier.wait()
            taken = mine.claim()
        finally:
            connections.close_all()
        with lock:
            claimed.append(taken)

    threads = [threading.Thread(target=claim) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(claimed) == [False] * (WORKERS - 1) + [True]
    assert ImportRun.objects.get(pk=run.pk).attempts == 1
