from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from core.system_user import system_user
from privacy.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Anonymise everyone the retention schedule makes due today: closed cases "
        "E4E_RETENTION_YEARS after closure, rejected and withdrawn referrals a year after "
        "the decision. Runs nightly from the beat schedule; safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count who is due; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        done = apply_retention(
            today=timezone.localdate(), by=system_user(), dry_run=options["dry_run"]
        )
        verb = "due" if options["dry_run"] else "anonymised"
        for rule, count in done.items():
            self.stdout.write(f"{rule}: {count} {verb}")
