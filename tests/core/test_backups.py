"""Backups hold the database and the private files together, with a manifest of checksums;
the restore check proves a backup can be restored whole, and names what is missing or
altered. The tests run on whichever database the suite runs on (pg_dump on PostgreSQL)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection

from core.backups import database
from core.models import StoredFile, User
from enterprise_fund.models import Attachment, Fund
from enterprise_fund.services import attachments
from tests.enterprise_fund.helpers import make_draft, make_fund, upload
from tests.factories import CaseFactory

# Committed rows: the dump is taken by another process on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _dump_tool() -> None:
    if connection.vendor == "postgresql" and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not on the PATH")


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def stored(specialist: User, manager: User, media: Path) -> Attachment:
    """A fund with a bid and its quote saved through the services: a file on disk."""
    make_fund(manager)
    application = make_draft(CaseFactory(worker=specialist), specialist)
    return attachments.fund_attachment_add(
        application=application, kind="quote", upload=upload(), by=specialist
    )


def backup(tmp_path: Path) -> Path:
    out = tmp_path / "backups"
    call_command("backup", output=str(out))
    (made,) = out.glob("e4e-backup-*.tar.gz")
    return made


def members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore[union-attr]


def rewrite(archive: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    """The same backup with its members changed (the manifest left as it was)."""
    contents = members(archive)
    change(contents)
    altered = archive.with_name("altered.tar.gz")
    with tarfile.open(altered, "w:gz") as tar:
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return altered


def restore_check(archive: Path, capsys: Any) -> tuple[bool, str]:
    try:
        call_command("restore_check", str(archive))
    except CommandError as error:
        return False, capsys.readouterr().out + str(error)
    return True, capsys.readouterr().out


# --- The backup --------------------------------------------------------------------------


def test_a_backup_holds_the_database_the_private_files_and_their_checksums(
    stored: Attachment, tmp_path: Path
) -> None:
    archive = backup(tmp_path)

    assert archive.stat().st_mode & 0o777 == 0o600
    contents = members(archive)
    manifest = json.loads(contents["manifest.json"])
    dump_name = database.DUMP_NAMES[connection.vendor]
    assert manifest["database"]["file"] == dump_name
    assert manifest["database"]["sha256"] == hashlib.sha256(contents[dump_name]).hexdigest()
    quote = stored.file.name
    on_disk = Path(stored.file.path).read_bytes()
    assert contents[f"files/{quote}"] == on_disk
    assert manifest["files"] == [
        {"path": quote, "size": len(on_disk), "sha256": hashlib.sha256(on_disk).hexdigest()}
    ]
    assert "0009_stored_files" in manifest["migrations"]["e4e"]
    if connection.vendor == "sqlite":
        dump = tmp_path / "dump.sqlite3"
        dump.write_bytes(contents[dump_name])
        rows = sqlite3.connect(dump).execute("SELECT file FROM enterprise_fund_attachment")
        assert [row[0] for row in rows] == [quote]


def test_a_saved_file_has_its_checksum_recorded_and_a_deleted_one_loses_it(
    stored: Attachment,
) -> None:
    record = StoredFile.objects.get(path=stored.file.name)
    assert record.sha256 == hashlib.sha256(Path(stored.file.path).read_bytes()).hexdigest()
    attachments.remove_file(stored)
    assert not StoredFile.objects.filter(path=stored.file.name).exists()


def test_the_first_backup_records_the_checksums_of_files_saved_before_they_were_recorded(
    stored: Attachment, tmp_path: Path
) -> None:
    StoredFile.objects.all().delete()
    backup(tmp_path)
    record = StoredFile.objects.get(path=stored.file.name)
    assert record.sha256 == hashlib.sha256(Path(stored.file.path).read_bytes()).hexdigest()


@pytest.mark.parametrize("inside", ["core", "private-media", "."])
def test_a_backup_refuses_the_application_folder_except_backups(
    inside: str, media: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(Path(django_settings.BASE_DIR) / "private-media")
    target = Path(django_settings.BASE_DIR) / inside / "e4e-backup-test"
    with pytest.raises(CommandError, match="cannot go"):
        call_command("backup", output=str(target))
    assert not target.exists()


def test_a_backup_refuses_the_private_files_folder(media: Path) -> None:
    with pytest.raises(CommandError, match="private files' folder"):
        call_command("backup", output=str(media / "backups"))
    assert not (media / "backups").exists()


def test_the_database_password_goes_to_pg_tools_by_environment_and_never_into_messages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = "s3cret-Passw0rd"
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", secret)
    monkeypatch.setattr(shutil, "which", lambda tool: f"/usr/bin/{tool}")
    seen: dict[str, Any] = {}

    def failing(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        seen.update(command=command, env=kwargs["env"])
        return subprocess.CompletedProcess(command, 1, "", f"connection failed for {secret}")

    monkeypatch.setattr(subprocess, "run", failing)
    with pytest.raises(database.DatabaseError) as error:
        database._run(["pg_dump", "--format=custom", "--file", "x"])
    assert secret not in str(error.value)
    assert secret not in " ".join(seen["command"])
    assert seen["env"]["PGPASSWORD"] == secret
    assert secret not in database.describe()


# --- The restore check -------------------------------------------------------------------


def test_a_good_backup_passes_the_restore_check(
    stored: Attachment, tmp_path: Path, capsys: Any
) -> None:
    passed, report = restore_check(backup(tmp_path), capsys)
    assert passed, report
    assert "ok    Invariants" in report
    assert "1 files present, each matching its recorded checksum" in report
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_database WHERE datname LIKE %s", ["%_restore_check_%"]
            )
            assert cursor.fetchone()[0] == 0, "the scratch database was left behind"


def test_a_file_missing_from_the_backup_fails_the_check_by_name(
    stored: Attachment, tmp_path: Path, capsys: Any
) -> None:
    name = f"files/{stored.file.name}"
    altered = rewrite(backup(tmp_path), lambda contents: contents.pop(name))
    passed, report = restore_check(altered, capsys)
    assert not passed
    assert f"{name} is in the manifest but not in the backup." in report
    assert f"enterprise_fund.Attachment {stored.pk}: {stored.file.name} is missing." in report


def test_an_altered_file_fails_the_check_by_name(
    stored: Attachment, tmp_path: Path, capsys: Any
) -> None:
    name = f"files/{stored.file.name}"

    def alter(contents: dict[str, bytes]) -> None:
        contents[name] = contents[name].replace(b"Catalog", b"Katalog")

    passed, report = restore_check(rewrite(backup(tmp_path), alter), capsys)
    assert not passed
    assert f"{name} does not match its checksum in the manifest." in report
    assert f"{stored.file.name} does not match its recorded checksum." in report


def test_a_database_referring_to_a_file_the_backup_lacks_fails_the_check(
    stored: Attachment, tmp_path: Path, capsys: Any
) -> None:
    Path(stored.file.path).unlink()  # lost from disk before the backup was taken
    passed, report = restore_check(backup(tmp_path), capsys)
    assert not passed
    assert "ok    Manifest" in report
    assert f"enterprise_fund.Attachment {stored.pk}: {stored.file.name} is missing." in report


def test_broken_invariants_fail_the_restore_check(
    stored: Attachment, tmp_path: Path, capsys: Any
) -> None:
    fund = Fund.objects.get()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE enterprise_fund_fund SET remaining_pence = 1 WHERE id = %s", [fund.pk]
        )
    passed, report = restore_check(backup(tmp_path), capsys)
    assert not passed
    assert "FAIL  Invariants" in report
    assert f"Fund {fund.pk}:" in report


# --- The real restore --------------------------------------------------------------------


def test_a_restore_without_yes_changes_nothing(stored: Attachment, tmp_path: Path) -> None:
    archive = backup(tmp_path)
    with pytest.raises(CommandError, match="again with --yes"):
        call_command("restore", str(archive))
    assert Attachment.objects.filter(pk=stored.pk).exists()


def test_a_restore_refuses_a_database_that_is_not_empty(stored: Attachment, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(backup(tmp_path)), yes=True)


def test_a_restore_into_a_new_sqlite_file_brings_back_the_rows_and_the_files(
    stored: Attachment, tmp_path: Path
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("restores an SQLite backup into a new SQLite file")
    archive = backup(tmp_path)
    new_db, new_media = tmp_path / "restored.sqlite3", tmp_path / "restored-media"
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(E4E_SQLITE_PATH=str(new_db), E4E_PRIVATE_MEDIA_ROOT=str(new_media))
    result = subprocess.run(
        [sys.executable, str(Path(django_settings.BASE_DIR) / "manage.py"), "restore",
         str(archive), "--yes"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "passed the restore check" in result.stdout
    rows = sqlite3.connect(new_db).execute("SELECT file FROM enterprise_fund_attachment")
    assert [row[0] for row in rows] == [stored.file.name]
    assert (new_media / stored.file.name).read_bytes() == Path(stored.file.path).read_bytes()
