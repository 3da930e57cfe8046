"""The backup archive: `e4e-backup-<UTC time>.tar.gz`, readable by its owner only, holding

- `database.sqlite3` or `database.pgdump` (pg_dump's custom format),
- `files/<name>` for every file under MEDIA_ROOT,
- `manifest.json`: when and by which version it was made, the applied migrations, and the
  size and SHA-256 of the dump and of every file.

It is written under a temporary name and renamed when complete, so a backup that stopped
half-way is never taken for a whole one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from core.backups import database
from core.models import StoredFile
from core.storage import file_checksum, record_checksum

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"


class BackupError(Exception):
    """The backup could not be made or read; the message holds no secret."""


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def media_files() -> list[str]:
    """The storage name of every file under MEDIA_ROOT, sorted."""
    root = media_root()
    if not root.is_dir():
        return []
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def record_missing_checksums() -> int:
    """Files saved before checksums were recorded get one now, read from disk: the first
    backup does this (a migration cannot: it runs where the files may not be mounted)."""
    recorded = set(StoredFile.objects.values_list("path", flat=True))
    missing = [name for name in media_files() if name not in recorded]
    for name in missing:
        record_checksum(name, media_root() / name)
    return len(missing)


def check_destination(folder: Path) -> Path:
    """Refuse a folder inside the repository's tree (other than backups/) or MEDIA_ROOT."""
    resolved = folder.expanduser().resolve()
    tree = Path(settings.BASE_DIR).resolve()
    allowed = tree / "backups"
    if resolved.is_relative_to(media_root()):
        raise BackupError("A backup cannot go inside the private files' folder (MEDIA_ROOT).")
    if resolved.is_relative_to(tree) and not resolved.is_relative_to(allowed):
        raise BackupError(
            "A backup holds personal data: it cannot go in the application's folder, except "
            "its backups/ folder (which git ignores). Choose another folder."
        )
    return resolved


def app_version() -> str:
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


class _Hashing:
    """A file read through, hashing what it reads (what goes in the archive is what the
    manifest describes, even if the file changes on disk meanwhile)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add(archive: tarfile.TarFile, source: Path, arcname: str) -> dict[str, Any]:
    with source.open("rb") as handle:
        info = archive.gettarinfo(fileobj=handle, arcname=arcname)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o600
        reader = _Hashing(handle)
        archive.addfile(info, reader)
    return {"size": info.size, "sha256": reader.digest.hexdigest()}


@dataclass
class Made:
    path: Path
    manifest: dict[str, Any]
    mismatched: list[str]


def make_backup(folder: Path, *, now: datetime | None = None) -> Made:
    """Dump the database, then add every private file, then the manifest."""
    destination = check_destination(folder)
    destination.mkdir(mode=0o700, parents=True, exist_ok=True)
    kind = database.engine()
    record_missing_checksums()
    recorded = dict(StoredFile.objects.values_list("path", "sha256"))
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    name = f"e4e-backup-{stamp:%Y%m%dT%H%M%SZ}.tar.gz"
    final = destination / name
    if final.exists():
        raise BackupError(f"{name} exists already.")
    with tempfile.TemporaryDirectory(dir=destination, prefix=".e4e-backup-") as work:
        dump_path = Path(work) / database.DUMP_NAMES[kind]
        database.dump(dump_path)
        partial = Path(work) / name
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        files, mismatched = [], []
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            dumped = _add(archive, dump_path, dump_path.name)
            for stored in media_files():
                try:
                    entry = _add(archive, media_root() / stored, f"{FILES}/{stored}")
                except FileNotFoundError:
                    continue  # deleted since it was listed: nothing refers to it any more
                if recorded.get(stored, entry["sha256"]) != entry["sha256"]:
                    mismatched.append(stored)
                files.append({"path": stored, **entry})
            manifest = {
                "format": FORMAT,
                "created_at": stamp.isoformat(),
                "app_version": app_version(),
                "migrations": applied_migrations(),
                "database": {"engine": kind, "file": dump_path.name, **dumped},
                "files": files,
            }
            body = json.dumps(manifest, indent=2).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(body), 0o600, int(stamp.timestamp())
            archive.addfile(info, _BytesReader(body))
        partial.rename(final)
    return Made(final, manifest, mismatched)


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data, self.offset = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk, self.offset = self.data[self.offset : end], min(end, len(self.data))
        return chunk


@dataclass
class Opened:
    """A backup unpacked into a folder, and what its manifest check found."""

    folder: Path
    manifest: dict[str, Any]
    problems: list[str]

    @property
    def dump(self) -> Path:
        return self.folder / str(self.manifest["database"]["file"])

    @property
    def files(self) -> Path:
        return self.folder / FILES


def open_backup(archive_path: Path, folder: Path) -> Opened:
    """Unpack the archive into `folder` and check the dump and every file against the
    manifest: missing, altered (another SHA-256 or size) or not in the manifest at all."""
    if not archive_path.is_file():
        raise BackupError(f"There is no backup at {archive_path}.")
    try:
        with tarfile.open(archive_path, mode="r:*") as archive:
            # The "data" filter refuses absolute names, "..", links out of the folder.
            archive.extractall(folder, filter="data")
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (tarfile.TarError, OSError, ValueError) as error:
        raise BackupError(f"The backup cannot be read: {type(error).__name__}: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    problems: list[str] = []
    entries = [manifest["database"], *manifest["files"]]
    names = [str(manifest["database"]["file"])]
    names += [f"{FILES}/{entry['path']}" for entry in manifest["files"]]
    for name, entry in zip(names, entries, strict=True):
        path = folder / PurePosixPath(name)
        if not path.is_file():
            problems.append(f"{name} is in the manifest but not in the backup.")
            continue
        sha256, size = file_checksum(path)
        if (sha256, size) != (entry["sha256"], entry["size"]):
            problems.append(f"{name} does not match its checksum in the manifest.")
    files = folder / FILES
    listed = {f"{FILES}/{entry['path']}" for entry in manifest["files"]}
    if files.is_dir():
        for path in sorted(files.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if path.is_file() and name not in listed:
                problems.append(f"{name} is in the backup but not in the manifest.")
    return Opened(folder, manifest, problems)
