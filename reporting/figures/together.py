"""The return's sections computed side by side on PostgreSQL, all from one snapshot.

At 20,000 clients the sections' queries take about 1.5 s one after another, each on one
core; run on two connections at once they take about half that, and every section reads
the same committed state (one REPEATABLE READ snapshot, exported by the calling connection
and imported by each worker's), so the figures agree with each other as if computed in one
transaction. Elsewhere (SQLite, a caller's open transaction, whose uncommitted rows another
connection cannot see, or RETURN_CONNECTIONS = 1) the sections run in turn on the caller's
connection.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from queue import Empty, Queue
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction

Job = Callable[[], dict[str, Any]]

#: What pg_export_snapshot() returns, e.g. 00000003-0000001B-1: checked before it is
#: written into SET TRANSACTION SNAPSHOT, which takes no bound parameter.
_SNAPSHOT_ID = re.compile(r"[0-9A-F]+(-[0-9A-F]+)+")


def side_by_side() -> bool:
    """Whether run_together will use more than the caller's connection."""
    return (
        connection.vendor == "postgresql"
        and settings.RETURN_CONNECTIONS > 1
        and not connection.in_atomic_block
    )


def run_together(jobs: list[Job]) -> dict[str, Any]:
    """Each job's sections, merged: jobs run side by side where side_by_side() says so
    (give the longest first: each worker takes the next job when it is free), else in
    turn."""
    results: dict[str, Any] = {}
    if not side_by_side():
        for job in jobs:
            results |= job()
        return results
    waiting: Queue[Job] = Queue()
    for job in jobs:
        waiting.put(job)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        # The snapshot can be imported only while this transaction is open: every worker
        # has finished before the block ends.
        workers = min(settings.RETURN_CONNECTIONS, len(jobs))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            lanes = [pool.submit(_in_snapshot, snapshot, waiting) for _ in range(workers)]
            for lane in lanes:
                results |= lane.result()
    return results


def _in_snapshot(snapshot: str, waiting: Queue[Job]) -> dict[str, Any]:
    """Run jobs from the queue until it is empty, on this thread's own connection in the
    exported snapshot; then close the connection."""
    if not _SNAPSHOT_ID.fullmatch(snapshot):
        raise ValueError(f"Not a snapshot identifier: {snapshot!r}")
    results: dict[str, Any] = {}
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            while True:
                try:
                    job = waiting.get_nowait()
                except Empty:
                    return results
                results |= job()
    finally:
        connections.close_all()
