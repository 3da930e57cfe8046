from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backups import archive, database, report
from core.backups.checks import Check, run_checks


class Command(BaseCommand):
    help = (
        "Restore a backup into a scratch database and folder (dropped afterwards) and check "
        "it: the manifest's checksums, the migrations, check_invariants, and every file the "
        "database refers to present with its recorded checksum. Exits 1 on any failure. "
        "With --here, runs the same checks on the configured database and files instead "
        "(after a real restore)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", nargs="?", help="The backup archive (.tar.gz)")
        parser.add_argument(
            "--here",
            action="store_true",
            help="Check the configured database and MEDIA_ROOT rather than a backup",
        )
        # For the scratch copy's own process: apply newer migrations, write the checks here.
        parser.add_argument("--apply-migrations", action="store_true", help="(internal)")
        parser.add_argument("--report", help="(internal)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["here"]:
            checks = run_checks(apply_migrations=options["apply_migrations"])
            if options["report"]:
                report.save(checks, Path(options["report"]))
                return
            self._finish("The installation", checks)
            return
        if not options["backup"]:
            raise CommandError("Give the backup archive to check (or --here).")
        path = Path(options["backup"]).expanduser().resolve()
        with tempfile.TemporaryDirectory(prefix="e4e-restore-check-") as work:
            try:
                checks = self._check_backup(path, Path(work))
            except (archive.BackupError, database.DatabaseError) as error:
                raise CommandError(str(error)) from error
        self._finish(f"The backup {path.name}", checks)

    def _check_backup(self, path: Path, work: Path) -> list[Check]:
        opened = archive.open_backup(path, work / "backup")
        manifest = opened.manifest
        self.stdout.write(
            f"Restore check of {path.name}: made {manifest['created_at']} by version "
            f"{manifest['app_version']}, {manifest['database']['engine']} database, "
            f"{len(manifest['files'])} files."
        )
        checked = Check("Manifest", problems=opened.problems)
        if checked.passed:
            checked.notes.append(
                f"the database dump and {len(manifest['files'])} files match their checksums."
            )
        opened.files.mkdir(exist_ok=True)
        kind = str(manifest["database"]["engine"])
        with database.scratch_database(opened.dump, kind, work) as environment:
            out = work / "checks.json"
            # This program with fixed arguments: only the scratch copy's paths vary.
            result = subprocess.run(  # noqa: S603
                [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "restore_check",
                 "--here", "--apply-migrations", "--report", str(out)],
                env={**environment, "E4E_PRIVATE_MEDIA_ROOT": str(opened.files)},
                capture_output=True,
                text=True,
            )  # fmt: skip
        if result.returncode != 0 or not out.is_file():
            last = (result.stderr.strip().splitlines() or ["no output"])[-1]
            failed = Check("Checks of the restored copy", [f"They could not run: {last}"])
            return [checked, failed]
        return [checked, *report.load(out)]

    def _finish(self, what: str, checks: list[Check]) -> None:
        self.stdout.write("\n".join(report.lines(checks)))
        failed = [check for check in checks if not check.passed]
        if failed:
            raise CommandError(
                f"{what} failed the restore check: {len(failed)} of {len(checks)} checks."
            )
        self.stdout.write(f"{what} passed the restore check.")
