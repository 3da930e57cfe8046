"""The legacy import's speed: the sample history and a history SCALE times larger, each
imported into an empty database, on the database DATABASE_URL names (a fresh SQLite file by
default).

The larger history is bench/returns.py's scaled copy: the sample repeated with every id (and
worker email) prefixed, so each copy has its own workers, people and cases. For each, one
line: the records imported (the rows of every file, and the employers the contacts name),
the seconds the import took (reading, checking and writing, in its one transaction), the
records a second, and the SQL statements a record (the COPYs the bulk inserts stream on
PostgreSQL included). Targets (the import speed issue): the sample in under 3 s, 5,000
records a second or better on PostgreSQL, and statements that do not grow with the rows.
BENCH_IMPORT_SCALES=1,20 (the default) sets the sizes.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: The fund total the fixtures are imported with (shared/fixtures/README.md), per copy.
FUND_TOTAL_PENCE = 60_000_00


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        folder = Path(tempfile.mkdtemp(prefix="e4e-bench-imports-"))
        os.environ["E4E_SQLITE_PATH"] = str(folder / "bench.sqlite3")
    os.environ.setdefault("DEBUG", "true")
    # A log line for each batch written would bury the figures.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "e4e.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class _Counter:
    """Counts the SQL statements Django runs (an execute wrapper: no log kept, no cap)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def statements_counted() -> Iterator[_Counter]:
    """Every statement the block runs: through Django, and the COPYs core.bulk streams on
    PostgreSQL, which go to the driver's cursor, past Django's execute wrappers."""
    from django.db import connection

    counter = _Counter()
    cursor: Any = None
    if connection.vendor == "postgresql":
        import psycopg

        cursor = psycopg.Cursor
        copy = cursor.copy

        def counted_copy(*args: Any, **kwargs: Any) -> Any:
            counter.count += 1
            return copy(*args, **kwargs)

        cursor.copy = counted_copy
    try:
        with connection.execute_wrapper(counter):
            yield counter
    finally:
        if cursor is not None:
            cursor.copy = copy


def measure(scale: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from returns import scaled_copy  # bench/returns.py, beside this script

    from legacy_import.importer import import_legacy

    call_command("flush", interactive=False, verbosity=0)
    folder = scaled_copy(scale, Path(tempfile.mkdtemp(prefix="e4e-bench-history-")))
    with statements_counted() as statements:
        started = time.perf_counter()
        result = import_legacy(folder, fund_total_pence=FUND_TOTAL_PENCE * scale)
        seconds = time.perf_counter() - started
    if not result.ok:
        sys.exit("The import failed:\n" + "\n".join(result.errors[:20]))
    records = sum(counts.created + counts.updated for counts in result.counts.values())
    print(
        f"{connection.vendor:<10} x{scale:<3} {records:>9,} records  {seconds:7.2f} s  "
        f"{records / seconds:8,.0f} records/s  {statements.count / records:6.3f} queries/record"
    )


def main() -> None:
    setup()
    from referrals.models import Referral

    if Referral.objects.exists() and os.environ.get("BENCH_FLUSH") != "yes":
        # Each size starts from an empty database: never empty one that holds a history
        # (a seed_scale history another bench has just measured, say) unless told to.
        sys.exit("The database holds referrals and would be emptied: set BENCH_FLUSH=yes.")
    for scale in (int(s) for s in os.environ.get("BENCH_IMPORT_SCALES", "1,20").split(",")):
        measure(scale)


if __name__ == "__main__":
    main()
