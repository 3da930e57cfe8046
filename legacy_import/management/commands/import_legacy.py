"""python manage.py import_legacy PATH [--dry-run] [--fund-total AMOUNT]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.money import parse_pounds
from legacy_import.importer import ImportResult, import_legacy


def _pence(text: str) -> int:
    try:
        pence = parse_pounds(text)
    except ValueError:
        pence = -1
    if pence < 0:
        raise CommandError(f"--fund-total {text!r}: give the amount in pounds, like 60000.")
    return pence


class Command(BaseCommand):
    help = (
        "Import a legacy history (shared/spec/import-format.md): a folder of CSV files, a "
        ".zip of one or an .xlsx workbook. Everything is checked first; any error imports "
        "nothing and prints every problem as FILE:ROW:COLUMN: message (exit status 1). "
        "Importing the same files again changes nothing. Unlike the upload page, the command "
        "may create managers' accounts and change an imported account's email or role; "
        "imported accounts have no password until an administrator invites them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a folder, a .zip or an .xlsx")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check everything and say what would be created or updated; write nothing",
        )
        parser.add_argument(
            "--fund-total",
            metavar="AMOUNT",
            help="the enterprise fund's total allocation in pounds (default: leave it as it is)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fund_total = _pence(options["fund_total"]) if options["fund_total"] else None
        path = Path(options["path"])
        result = import_legacy(path, fund_total_pence=fund_total, dry_run=options["dry_run"])
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            count = len(result.errors)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} found: nothing was imported.",
                returncode=1,
            )
        self.stdout.write(self._summary(path, result))

    def _summary(self, path: Path, result: ImportResult) -> str:
        if result.dry_run:
            lines = [f"Dry run of {path.name}: nothing was written. It would make:"]
            verbs = ("to create", "to update")
        else:
            lines = [f"Imported {path.name}:"]
            verbs = ("created", "updated")
        width = max((len(name) for name in result.counts), default=0)
        for name, counts in result.counts.items():
            lines.append(
                f"  {name:<{width}}  {counts.created} {verbs[0]}, {counts.updated} {verbs[1]}"
            )
        return "\n".join(lines)
