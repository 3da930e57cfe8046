"""python manage.py rebuild_return_files (RETURN_ID ... | --missing) --by MANAGER_EMAIL"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.models import Role, User
from reporting import services
from reporting.models import QuarterlyReturn
from reporting.selectors import returns_missing_files


class Command(BaseCommand):
    help = (
        "Queue the PDF and CSV of signed-off returns again, built from each return's frozen "
        "snapshot (never from live data): the returns given by id, or with --missing every "
        "signed-off return whose PDF or CSV is not on disk (after restoring a database "
        "without its files). --by names the manager who asks (recorded in the history)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("return_ids", nargs="*", type=int, metavar="RETURN_ID")
        parser.add_argument(
            "--missing", action="store_true", help="Every signed-off return missing a file"
        )
        parser.add_argument("--by", required=True, help="The email of a manager")

    def handle(self, *args: Any, **options: Any) -> None:
        by = User.objects.filter(
            email__iexact=options["by"], role=Role.MANAGER, is_active=True
        ).first()
        if by is None:
            raise CommandError(f"{options['by']} is not an active manager's email.")
        if bool(options["return_ids"]) == options["missing"]:
            raise CommandError("Give the returns' ids, or --missing (not both).")
        if options["missing"]:
            returns = returns_missing_files()
        else:
            found = QuarterlyReturn.objects.in_bulk(options["return_ids"])
            unknown = sorted(set(options["return_ids"]) - set(found))
            if unknown:
                raise CommandError(f"There is no return {', '.join(map(str, unknown))}.")
            returns = [found[pk] for pk in options["return_ids"]]
        if not returns:
            self.stdout.write("Every signed-off return has its PDF and CSV.")
        for quarterly_return in returns:
            try:
                jobs = services.return_files_rebuild(quarterly_return=quarterly_return, by=by)
            except ValidationError as error:
                message = " ".join(error.messages)
                raise CommandError(f"Return {quarterly_return.pk}: {message}") from error
            self.stdout.write(
                f"Return {quarterly_return.pk} ({quarterly_return.quarter_name} "
                f"v{quarterly_return.version}): jobs {', '.join(str(j.pk) for j in jobs)} "
                "queued for its PDF and CSV."
            )
