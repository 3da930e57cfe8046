"""`make bench` (returns part): the quarterly return on the sample history and on a history
SCALE times larger, on the database DATABASE_URL names (SQLite by default).

The larger history is the sample repeated with every id (and worker email) prefixed, so each
copy has its own workers, people and cases with the same dates and patterns.
Targets (issue 6): one quarter's return under 0.5 s and its PDF under 10 s on the sample.
Also timed: building every evaluator record (the CSV extract and the API's pages).
"""

from __future__ import annotations

import csv
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "fixtures" / "sample-history"
ID_COLUMNS = {
    "worker_id",
    "referral_id",
    "person_id",
    "case_id",
    "contact_id",
    "outcome_id",
    "assessment_id",
    "application_id",
    "offence_id",
    "signposting_id",
    "feedback_id",
}


def scaled_copy(scale: int, into: Path) -> Path:
    """The sample history repeated `scale` times with prefixed ids, as CSV files."""
    into.mkdir(parents=True, exist_ok=True)
    for source in sorted(SAMPLE.glob("*.csv")):
        with source.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
            fields = list(rows[0].keys()) if rows else []
        with (into / source.name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            for copy in range(scale):
                for row in rows:
                    out = dict(row)
                    for column in ID_COLUMNS & set(out):
                        if out[column]:
                            out[column] = f"x{copy}-{out[column]}"
                    if "email" in out and copy:
                        out["email"] = f"copy{copy}.{out['email']}"
                    writer.writerow(out)
    return into


def measure(scale: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from legacy_import.importer import import_legacy
    from reporting.figures import period_for_quarter, quarterly_return

    call_command("flush", interactive=False, verbosity=0)
    folder = scaled_copy(scale, Path(tempfile.mkdtemp(prefix="e4e-bench-history-")))
    started = time.perf_counter()
    result = import_legacy(folder, fund_total_pence=6_000_000 * scale)
    imported = time.perf_counter() - started
    assert result.ok, result.errors[:5]
    start, end = period_for_quarter("2025-26-Q4")
    timings = []
    for _ in range(5):
        begun = time.perf_counter()
        doc = quarterly_return(start, end)
        timings.append(time.perf_counter() - begun)
    print(
        f"{connection.vendor:<10} x{scale:<3} import {imported:7.1f} s   "
        f"return (median of 5) {statistics.median(timings):6.3f} s   "
        f"new referrals in the quarter {doc['access']['new_referrals']}"
    )
    measure_extract()
    if scale == 1:
        measure_pdf(doc, start, end)


def measure_extract() -> None:
    """The evaluators' records: every case's pseudonymised record, as the CSV extract and
    the API build them (the first listing makes the cases' pseudonyms), then finding one
    record's case by its pseudonym, as the record page does."""
    from evaluation.records import case_id_for, evaluation_cases, records_of

    begun = time.perf_counter()
    records = records_of(evaluation_cases())
    print(
        f"{'':<10} evaluator extract: {time.perf_counter() - begun:6.2f} s "
        f"({len(records):,} records)"
    )
    if records:
        begun = time.perf_counter()
        case_id_for(records[-1].pseudonym)
        print(f"{'':<10} record by pseudonym: {(time.perf_counter() - begun) * 1000:6.1f} ms")


def measure_pdf(doc: dict, start: datetime.date, end: datetime.date) -> None:
    from core.system_user import system_user
    from reporting.models import QuarterlyReturn
    from reporting.pdf import render_return_pdf

    quarterly = QuarterlyReturn.objects.create(
        period_start=start, period_end=end, started_by=system_user(), figures=doc
    )
    begun = time.perf_counter()
    pdf = render_return_pdf(quarterly, doc)
    print(f"{'':<10} PDF of the return: {time.perf_counter() - begun:6.2f} s ({len(pdf):,} bytes)")


def main() -> None:
    sys.path.insert(0, str(ROOT))
    if not SAMPLE.is_dir():
        sys.exit(
            f"The sample history is not at {SAMPLE}: the shared folder must sit beside the repo."
        )
    if not os.environ.get("DATABASE_URL"):
        os.environ["E4E_SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "e4e.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from referrals.models import Referral

    if Referral.objects.exists() and os.environ.get("BENCH_FLUSH") != "yes":
        # Each scale starts from an empty database: never empty one that holds a history
        # (a seed_scale history the pages part has just measured, say) unless told to.
        print("Returns part skipped: the database holds referrals and would be emptied.")
        print("Set BENCH_FLUSH=yes to empty it and measure the returns.")
        return
    scales = [int(s) for s in os.environ.get("BENCH_SCALES", "1,20").split(",")]
    for scale in scales:
        measure(scale)


if __name__ == "__main__":
    main()
