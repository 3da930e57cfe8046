from __future__ import annotations

from pathlib import Path
from typing import Any

import structlog
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backups import archive, database

logger = structlog.get_logger("e4e.backups")


class Command(BaseCommand):
    help = (
        "Back up the database and the private files together into one archive "
        "(e4e-backup-<UTC time>.tar.gz, readable by its owner only) with a manifest of "
        "every file's size and SHA-256. Safe while the app runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            default="backups",
            help="Folder to write the archive to (default backups/; never elsewhere in the "
            "application's folder, nor in MEDIA_ROOT)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            made = archive.make_backup(Path(options["output"]))
        except (archive.BackupError, database.DatabaseError) as error:
            logger.error("backups.failed", reason=type(error).__name__)
            raise CommandError(str(error)) from error
        manifest = made.manifest
        logger.info(
            "backups.made",
            archive=made.path.name,
            files=len(manifest["files"]),
            engine=manifest["database"]["engine"],
        )
        self.stdout.write(
            f"Backed up {database.describe()} and {len(manifest['files'])} private files "
            f"to {made.path}."
        )
        if made.mismatched:
            logger.error("backups.files_changed", count=len(made.mismatched))
            raise CommandError(
                "The backup was written, but these files no longer match the checksum "
                "recorded when they were saved:\n"
                + "\n".join(f"  - {name}" for name in made.mismatched)
            )
