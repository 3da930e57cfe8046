from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.invariants import all_problems


class Command(BaseCommand):
    help = (
        "Recompute the caseload counts and the fund balances from their rows and compare "
        "them with the counters and limits; exit 1 on any mismatch. Run it after restoring "
        "a backup; it also runs nightly."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = all_problems()
        if problems:
            raise CommandError("\n".join(["The invariants do not hold:", *problems]))
        self.stdout.write("Every invariant holds.")
