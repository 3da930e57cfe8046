from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backups import archive, database, report
from core.backups.checks import run_checks


class Command(BaseCommand):
    help = (
        "Restore a backup into the configured database, which must be empty (a new "
        "database or SQLite file), and MEDIA_ROOT, which must be empty or missing; then "
        "run the restore check on them. Needs --yes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help="The backup archive (.tar.gz)")
        parser.add_argument("--yes", action="store_true", help="Go ahead with the restore")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["backup"]).expanduser().resolve()
        media = archive.media_root()
        target = f"{database.describe()} and the private files in {media}"
        if not options["yes"]:
            raise CommandError(
                f"This restores {path.name} into {target}. Check it first with "
                "`manage.py restore_check`, then run this again with --yes."
            )
        if not database.database_is_empty():
            raise CommandError(
                "The database is not empty: restore into a new database (or SQLite file) and "
                "point DATABASE_URL (or E4E_SQLITE_PATH) at it. Nothing was changed."
            )
        if archive.media_files():
            raise CommandError(
                "MEDIA_ROOT holds files already: restore into an empty folder (set "
                "E4E_PRIVATE_MEDIA_ROOT). Nothing was changed."
            )
        with tempfile.TemporaryDirectory(prefix="e4e-restore-") as work:
            try:
                opened = archive.open_backup(path, Path(work))
                if opened.problems:
                    raise CommandError(
                        "The backup does not match its manifest; nothing was restored:\n"
                        + "\n".join(f"  - {problem}" for problem in opened.problems)
                    )
                database.restore_here(opened.dump, str(opened.manifest["database"]["engine"]))
            except (archive.BackupError, database.DatabaseError) as error:
                raise CommandError(str(error)) from error
            media.mkdir(parents=True, exist_ok=True)
            if opened.files.is_dir():
                shutil.copytree(opened.files, media, dirs_exist_ok=True)
        self.stdout.write(f"Restored {path.name} into {target}.")
        checks = run_checks(apply_migrations=False)
        self.stdout.write("\n".join(report.lines(checks)))
        if any(not check.passed for check in checks):
            raise CommandError("The restored installation failed the restore check (above).")
        self.stdout.write(
            "The restored installation passed the restore check. On PostgreSQL, run "
            "`manage.py grant_app_role <runtime role>` before starting the app."
        )
