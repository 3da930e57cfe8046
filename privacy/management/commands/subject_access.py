from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from privacy.subject_access import subject_access_export
from referrals.models import Referral


class Command(BaseCommand):
    help = (
        "Write everything held about one person (by their referral's reference) to a zip, "
        "for a subject access request: records, history, files and who looked at them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="The referral's reference, such as E4E-7KQ2-XM4D")
        parser.add_argument("--output", required=True, help="Path of the zip to write")

    def handle(self, *args: Any, **options: Any) -> None:
        reference = options["reference"].strip().upper()
        referral = Referral.objects.filter(reference=reference).first()
        if referral is None:
            raise CommandError(f"No referral has the reference {reference}.")
        output = Path(options["output"])
        if output.exists():
            raise CommandError(f"{output} exists already: choose another path.")
        output.write_bytes(subject_access_export(referral, made=timezone.now()))
        self.stdout.write(f"Written to {output}.")
