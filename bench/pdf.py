"""The quarterly return's PDF, built from the database as it stands, timed and weighed.

    DATABASE_URL=postgres://... .venv/bin/python bench/pdf.py [2026-27-Q2] [--sample-text]

Builds the PDF of the quarter given, or of the latest complete quarter that has active
cases, as the PDF job does (reporting.pdf.render_return_pdf on the OPCC's copy of the
figures), and prints the seconds it took, the peak memory of the process that built it, the
number of case updates and the number of pages.

The database is only read: the figures are computed afresh (reporting.figures), the return
is the latest stored version for the quarter if there is one (its narrative and updates),
else an unsaved one, and the active cases' pseudonyms are the stored ones (a case without
one gets a stand-in drawn here, never saved). Everything runs in a read-only transaction
that is rolled back. --sample-text gives every case an update of typical length, for a
return whose manager has written them all.

The PDF is built in a child process (fork): its peak resident memory (getrusage's
ru_maxrss for that child, which starts from the parent's resident set, Django and the
figures loaded) is what a worker building the file would reach; its CPU seconds are
printed too, as the wall-clock time depends on what else the machine is doing. Targets
(the scale issue): under 10 s and under 500 MB at 20,000 clients.
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import resource
import sys
import time
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: How far back to look for a quarter with active cases.
QUARTERS_BACK = 40
#: A page dictionary, not the page tree's /Type /Pages.
PAGE = re.compile(rb"/Type /Page(?![a-zA-Z])")
SAMPLE_UPDATE = {
    "objectives": "Find steady work in warehousing near home, within a bus ride.",
    "achieved": "Finished a forklift course and applied for three jobs with the specialist; "
    "one interview arranged.",
    "next_steps": "Prepare for the interview and plan the journey to the industrial estate.",
}


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "e4e.settings")
    import django

    django.setup()


def quarter(name: str | None) -> Any:
    from django.utils import timezone

    from core.periods import last_complete_quarter, previous_quarter, quarter_named
    from reporting.selectors import cases_active_in

    if name:
        found = quarter_named(name)
        if found is None:
            sys.exit(f"{name!r} is not a quarter: write it like 2026-27-Q2.")
        return found
    candidate = last_complete_quarter(timezone.localdate())
    for _ in range(QUARTERS_BACK):
        if cases_active_in(candidate.start, candidate.end).exists():
            return candidate
        candidate = previous_quarter(candidate)
    sys.exit("No complete quarter has active cases: seed the database first (seed_scale).")


def stored_pseudonyms(start: Any, end: Any) -> tuple[list[str], int]:
    """The OPCC pseudonyms of the quarter's active cases, sorted, without making any: a case
    that has none yet gets a stand-in. Also how many stand-ins were drawn."""
    from caseload.models import CasePseudonym
    from core.pseudonyms import OPCC_PREFIX, new_pseudonym
    from reporting.selectors import cases_active_in

    cases = cases_active_in(start, end)
    stored = list(CasePseudonym.objects.filter(case__in=cases).values_list("opcc", flat=True))
    missing = cases.count() - len(stored)
    return sorted(stored + [new_pseudonym(OPCC_PREFIX) for _ in range(missing)]), missing


def the_return(period: Any, *, sample_text: bool) -> tuple[Any, list[dict[str, str]], int]:
    """The return whose PDF is built, unsaved, its case updates and how many stand-in
    pseudonyms it has."""
    from django.utils import timezone

    from reporting.figures import quarterly_return
    from reporting.models import CaseUpdate, QuarterlyReturn

    # As `manage.py quarterly_return --format pdf` does: the document as computed.
    figures = quarterly_return(period.start, period.end)
    active, stand_ins = stored_pseudonyms(period.start, period.end)
    stored = (
        QuarterlyReturn.objects.filter(period_start=period.start, period_end=period.end)
        .order_by("-version")
        .first()
    )
    unsaved = QuarterlyReturn(
        period_start=period.start,
        period_end=period.end,
        version=stored.version if stored else 1,
        progress=stored.progress if stored else "",
        challenges=stored.challenges if stored else "",
        service_user_feedback=stored.service_user_feedback if stored else "",
        case_studies=stored.case_studies if stored else "",
        figures=figures,
        active_cases=active,
        figures_computed_at=timezone.now(),
    )
    if sample_text:
        return unsaved, [{"pseudonym": p, **SAMPLE_UPDATE} for p in active], stand_ins
    written: dict[str, dict[str, str]] = {}
    if stored is not None:
        rows = stored.updates.values("pseudonym", *CaseUpdate.PARTS)
        written = {row["pseudonym"]: row for row in rows}
    return unsaved, [written.get(p) or {"pseudonym": p} for p in active], stand_ins


def build_in_child(
    quarterly_return: Any, case_updates: list[dict[str, str]]
) -> tuple[bytes, float, Any]:
    """The PDF, the seconds it took and the building process's resource usage."""
    from django.db import connections

    connections.close_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: build, send the result, leave without clean-up
        os.close(read)
        from reporting.pdf import render_return_pdf
        from reporting.selectors import opcc_figures

        begun = time.perf_counter()
        content = render_return_pdf(
            quarterly_return, opcc_figures(quarterly_return), case_updates=case_updates
        )
        seconds = time.perf_counter() - begun
        with os.fdopen(write, "wb") as pipe:
            pickle.dump((content, seconds), pipe)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        received = pipe.read()
    _, status, usage = os.wait4(pid, 0)
    if status or not received:
        sys.exit("Building the PDF failed.")
    content, seconds = pickle.loads(received)  # noqa: S301 - our own child's bytes
    return content, seconds, usage


def page_count(content: bytes) -> int:
    """The pages of a PDF as pydyf writes it: page dictionaries, most of them inside
    compressed object streams, so every Flate stream is inflated and searched."""
    found = len(PAGE.findall(content))
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            found += len(PAGE.findall(zlib.decompress(match.group(1))))
        except zlib.error:
            continue
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("quarter", nargs="?", help="a quarter, like 2026-27-Q2")
    parser.add_argument("--sample-text", action="store_true", help="write every update")
    parser.add_argument("--output", help="also write the PDF to this file")
    options = parser.parse_args()
    setup()
    from django.db import connection, transaction

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION READ ONLY")
        period = quarter(options.quarter)
        begun = time.perf_counter()
        quarterly_return, case_updates, stand_ins = the_return(
            period, sample_text=options.sample_text
        )
        figures_seconds = time.perf_counter() - begun
        transaction.set_rollback(True)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    content, seconds, usage = build_in_child(quarterly_return, case_updates)
    cpu = usage.ru_utime + usage.ru_stime
    if options.output:
        Path(options.output).write_bytes(content)
    updates = quarterly_return.active_cases
    written = sum(1 for u in case_updates if any(u.get(k) for k in SAMPLE_UPDATE))
    print(f"{connection.vendor}: {period.label}")
    print(f"  figures and pseudonyms read in {figures_seconds:.1f} s")
    print(f"  case updates: {len(updates):,} ({written:,} written, {stand_ins:,} stand-ins)")
    print(
        f"  PDF built in {seconds:.1f} s ({cpu:.1f} s of CPU): {page_count(content):,} pages, "
        f"{len(content):,} bytes"
    )
    print(
        f"  peak memory of the process building it (ru_maxrss): {usage.ru_maxrss / 1024:.0f} MiB "
        f"(the parent's peak before it: {before / 1024:.0f} MiB)"
    )


if __name__ == "__main__":
    main()
