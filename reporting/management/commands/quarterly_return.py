"""python manage.py quarterly_return --quarter 2026-27-Q3 [--format json|csv|pdf]
[--audience exact|opcc] [--output FILE]"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reporting.figures import figure_rows, figures_for, period_for_quarter
from reporting.figures.suppression import opcc_document


def as_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=1) + "\n"


def as_csv(document: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "key", "value"])
    for section, key, value in figure_rows(document):
        writer.writerow([section, key, "" if value is None else value])
    return out.getvalue()


def as_pdf(document: dict[str, Any]) -> bytes:
    """The PDF the return jobs build for the OPCC (reporting.pdf), from figures computed now:
    the OPCC's copy (small numbers suppressed, workers numbered), marked as not signed off,
    without the narrative and case updates, which only a stored return has."""
    from django.utils import timezone

    from reporting.models import QuarterlyReturn
    from reporting.pdf import render_return_pdf
    from reporting.selectors import opcc_figures

    unsaved = QuarterlyReturn(
        period_start=date.fromisoformat(document["period"]["start"]),
        period_end=date.fromisoformat(document["period"]["end"]),
        figures=document,
        figures_computed_at=timezone.now(),
    )
    return render_return_pdf(unsaved, opcc_figures(unsaved))


#: Output formats: each renders the return document; the binary ones need --output.
FORMATS: dict[str, Callable[[dict[str, Any]], str | bytes]] = {
    "json": as_json,
    "csv": as_csv,
    "pdf": as_pdf,
}
BINARY_FORMATS = frozenset({"pdf"})


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date: write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Compute the quarterly return (shared/spec/kpi-definitions.md) for a financial-year "
        "quarter (--quarter 2026-27-Q3) or any period (--start and --end, both included), "
        "with exact figures. --format json writes the return document as it is; --format "
        "csv writes one row per figure with the columns section,key,value, where nested "
        "figures have dotted keys (access / referrals_by_source.police) and list items are "
        "numbered from 1 (caseload / per_worker.1.worker); an empty value is null. --format "
        "pdf writes the PDF the OPCC receives (small numbers suppressed, workers numbered), "
        "from the figures as they stand, marked as not signed off. --audience opcc writes "
        "the json or csv as the OPCC may see it (the small-number rules applied, workers "
        "labelled Worker 1, Worker 2, ...); the PDF is always the OPCC's. Writes to --output "
        "FILE, or (json and csv only) to standard output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quarter", help="a financial-year quarter, like 2026-27-Q3")
        parser.add_argument("--start", help="the first day of the period, YYYY-MM-DD")
        parser.add_argument("--end", help="the last day of the period, YYYY-MM-DD")
        parser.add_argument("--format", choices=sorted(FORMATS), default="json")
        parser.add_argument(
            "--audience",
            choices=["exact", "opcc"],
            default="exact",
            help="exact (the provider's own figures, the default) or opcc (as the OPCC may "
            "see them)",
        )
        parser.add_argument("--output", help="a file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = self._period(options)
        if options["format"] in BINARY_FORMATS and not options["output"]:
            raise CommandError(
                f"--format {options['format']} is a binary file and is not written to the "
                "terminal: give --output FILE."
            )
        document = figures_for(start, end)
        if options["audience"] == "opcc" and options["format"] not in BINARY_FORMATS:
            document = opcc_document(document)
        rendered = FORMATS[options["format"]](document)
        if options["output"]:
            path = Path(options["output"])
            try:
                if isinstance(rendered, bytes):
                    path.write_bytes(rendered)
                else:
                    path.write_text(rendered, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Cannot write {path}: {error.strerror}.") from error
            self.stderr.write(f"Wrote the return for {start} to {end} to {path}.")
        elif isinstance(rendered, str):
            self.stdout.write(rendered, ending="")

    def _period(self, options: dict[str, Any]) -> tuple[date, date]:
        quarter, start, end = options["quarter"], options["start"], options["end"]
        if quarter and (start or end):
            raise CommandError("Give either --quarter or --start and --end, not both.")
        if quarter:
            try:
                return period_for_quarter(quarter)
            except ValueError as error:
                raise CommandError(str(error)) from error
        if not (start and end):
            raise CommandError("Give --quarter (like 2026-27-Q3), or both --start and --end.")
        first, last = _date(start), _date(end)
        if last < first:
            raise CommandError(f"The end ({last}) is before the start ({first}).")
        return first, last
