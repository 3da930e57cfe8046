"""What a restored installation must pass, run against the configured database and
MEDIA_ROOT: the scratch copy of `restore_check` (in a process of its own), or the real one
after `restore`. Each check returns the problems it found, naming ids and stored file
names only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor

from core.invariants import all_problems
from core.models import StoredFile
from core.storage import file_checksum


@dataclass
class Check:
    name: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def migrations_check(*, apply: bool) -> Check:
    """The database's migrations against the code's: none unknown to the code (a backup
    of a newer version), and none unapplied unless `apply` (a scratch copy) applies them."""
    check = Check("Migrations")
    executor = MigrationExecutor(connection)
    applied = set(executor.recorder.applied_migrations())
    known = set(executor.loader.disk_migrations)
    replacements = executor.loader.replacements.values()
    replaced = {old for migration in replacements for old in migration.replaces}
    unknown = sorted(applied - known - replaced)
    if unknown:
        check.problems.append(
            "The database has migrations this version does not know (a newer version made "
            "it): " + ", ".join(f"{app}.{name}" for app, name in unknown)
        )
        return check
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        check.notes.append("Every migration is applied.")
    elif apply:
        call_command("migrate", interactive=False, verbosity=0)
        check.notes.append(f"{len(plan)} migrations newer than the backup applied to the copy.")
    else:
        check.problems.append(
            f"{len(plan)} migrations are not applied: run `manage.py migrate`, then check again."
        )
    return check


def invariants_check() -> Check:
    check = Check("Invariants (check_invariants)")
    check.problems = all_problems()
    if check.passed:
        check.notes.append("Every invariant holds.")
    return check


def file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    """Every FileField of every installed model (history tables keep names as text)."""
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                yield model, model_field


def referenced_files_check() -> Check:
    """Every file a row refers to exists, with the SHA-256 recorded when it was saved."""
    check = Check("Files the database refers to")
    recorded = dict(StoredFile.objects.values_list("path", "sha256"))
    count = 0
    for model, model_field in file_fields():
        rows = model._default_manager.exclude(**{model_field.name: ""}).exclude(
            **{f"{model_field.name}__isnull": True}
        )
        for pk, name in rows.values_list("pk", model_field.name).order_by("pk"):
            count += 1
            where = f"{model._meta.label} {pk}: {name}"
            path = Path(model_field.storage.path(name))
            if not path.is_file():
                check.problems.append(f"{where} is missing.")
            elif name not in recorded:
                check.problems.append(f"{where} has no recorded checksum.")
            elif file_checksum(path)[0] != recorded[name]:
                check.problems.append(f"{where} does not match its recorded checksum.")
    if check.passed:
        check.notes.append(f"{count} files present, each matching its recorded checksum.")
    return check


def run_checks(*, apply_migrations: bool) -> list[Check]:
    """Migrations first: the other checks need the code's tables."""
    migrations = migrations_check(apply=apply_migrations)
    if not migrations.passed:
        return [migrations]
    later: list[Callable[[], Check]] = [invariants_check, referenced_files_check]
    return [migrations, *(check() for check in later)]
