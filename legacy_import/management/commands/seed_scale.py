"""python manage.py seed_scale --clients N [--seed S] [--yes-i-mean-it]"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from legacy_import.synthetic import SYNTHETIC_PERSON_KEY_PREFIX, seed_scale
from referrals.models import Referral


class Command(BaseCommand):
    help = (
        "Write a synthetic history of N clients over three years (referrals, cases spread "
        "over N/20 workers within the cap, about 100 contacts per client, assessments, "
        "outcomes, tasks and fund bids), in bulk, with history rows, for measuring the "
        "service at scale. Runs only with DEBUG=true, or with --yes-i-mean-it; on a database "
        "that holds other referrals (real data, or the demo) it also needs --yes-i-mean-it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clients", type=int, required=True, help="how many people")
        parser.add_argument("--seed", type=int, default=1, help="the random seed (default 1)")
        parser.add_argument(
            "--yes-i-mean-it",
            action="store_true",
            dest="confirmed",
            help="write made-up people into this database even with DEBUG off or other data in it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        clients, seed = options["clients"], options["seed"]
        if not 1 <= clients <= 1_000_000:
            raise CommandError("--clients must be between 1 and 1,000,000.")
        if not 0 <= seed < 100_000:
            raise CommandError("--seed must be between 0 and 99,999.")
        confirmed = options["confirmed"]
        if not settings.DEBUG and not confirmed:
            raise CommandError(
                "seed_scale writes made-up people and runs only with DEBUG=true, or with "
                "--yes-i-mean-it on a database meant for measuring, never a live one."
            )
        synthetic = Referral.objects.filter(person_key__startswith=SYNTHETIC_PERSON_KEY_PREFIX)
        if synthetic.filter(
            person_key__startswith=f"{SYNTHETIC_PERSON_KEY_PREFIX}{seed}-"
        ).exists():
            raise CommandError(
                f"This database already holds the synthetic history of seed {seed}: "
                "give another --seed, or start from an empty database."
            )
        others = Referral.objects.exclude(person_key__startswith=SYNTHETIC_PERSON_KEY_PREFIX)
        if others.exists() and not confirmed:
            raise CommandError(
                f"This database holds {others.count():,} other referrals (real data, or the "
                "demo): seed_scale would mix made-up people in with them. Use an empty "
                "database, or give --yes-i-mean-it."
            )
        self.stdout.write(f"Writing a synthetic history of {clients:,} clients (seed {seed}):")
        seed_scale(
            clients=clients,
            seed=seed,
            today=timezone.localdate(),
            write_line=self.stdout.write,
        )
