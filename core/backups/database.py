"""Dumping and restoring the database, for SQLite and PostgreSQL.

The password is given to pg_dump and pg_restore in PGPASSWORD (never on a command line,
where `ps` shows it), and descriptions of a database name its engine, host and name only.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection
from django.utils.crypto import get_random_string

SQLITE, POSTGRESQL = "sqlite", "postgresql"
DUMP_NAMES = {SQLITE: "database.sqlite3", POSTGRESQL: "database.pgdump"}
#: libpq's environment variables for the OPTIONS django-environ reads from DATABASE_URL.
SSL_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
}


class DatabaseError(Exception):
    """A dump or restore failed; the message holds no secret."""


def engine() -> str:
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise DatabaseError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def describe(settings_dict: dict[str, Any] | None = None) -> str:
    """The database in words, without its password."""
    config = settings_dict or connection.settings_dict
    if connection.vendor == SQLITE:
        return f"SQLite database {config['NAME']}"
    host = config.get("HOST") or "the local socket"
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"PostgreSQL database {config['NAME']} on {host}{port}"


def pg_environment(name: str | None = None) -> dict[str, str]:
    """The process environment for a libpq tool connecting as the app does."""
    config = connection.settings_dict
    values = {
        "PGHOST": config.get("HOST") or "",
        "PGPORT": str(config.get("PORT") or ""),
        "PGUSER": config.get("USER") or "",
        "PGPASSWORD": config.get("PASSWORD") or "",
        "PGDATABASE": name or config["NAME"],
    }
    options = config.get("OPTIONS") or {}
    values.update({var: str(options[key]) for key, var in SSL_OPTIONS.items() if key in options})
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def _run(command: list[str], *, name: str | None = None) -> None:
    tool = command[0]
    if shutil.which(tool) is None:
        raise DatabaseError(f"{tool} is not on the PATH (install the PostgreSQL client tools).")
    # pg_dump or pg_restore with arguments made here, never from a request.
    result = subprocess.run(  # noqa: S603
        command, env=pg_environment(name), capture_output=True, text=True
    )
    if result.returncode != 0:
        message = _without_password(result.stderr.strip() or f"exit code {result.returncode}")
        raise DatabaseError(f"{tool} failed: {message}")


def _without_password(text: str) -> str:
    password = connection.settings_dict.get("PASSWORD") or ""
    return text.replace(password, "********") if password else text


def dump(destination: Path) -> None:
    """Write the whole database to `destination`, safely while the app runs."""
    if engine() == SQLITE:
        connection.ensure_connection()
        target = sqlite3.connect(destination)
        try:
            # The online backup API: a consistent copy even while others write.
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        _run(["pg_dump", "--format=custom", "--file", str(destination)])


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore_here(source: Path, kind: str) -> None:
    """Load a dump into the configured database, which must be empty."""
    if kind != engine():
        raise DatabaseError(f"This is a {kind} backup; the configured database is {engine()}.")
    if kind == SQLITE:
        connection.close()
        connection.ensure_connection()
        dump_connection = sqlite3.connect(source)
        try:
            dump_connection.backup(connection.connection)
        finally:
            dump_connection.close()
        connection.close()
    else:
        # No owners or grants: the roles may not exist on this server; grant_app_role
        # gives the runtime role its rights afterwards.
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
              "--single-transaction", "--dbname", connection.settings_dict["NAME"],
              str(source)])  # fmt: skip


@contextmanager
def scratch_database(source: Path, kind: str, folder: Path) -> Iterator[dict[str, str]]:
    """The dump restored into a database of its own, dropped afterwards. Yields the
    environment a `manage.py` process needs to use it (never with the password in a URL)."""
    if kind == SQLITE:
        path = folder / "scratch.sqlite3"
        shutil.copyfile(source, path)
        child = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        yield {**child, "E4E_SQLITE_PATH": str(path)}
        return
    if connection.vendor != POSTGRESQL:
        raise DatabaseError(
            "A PostgreSQL backup is checked on a PostgreSQL server: set DATABASE_URL to one "
            "(a scratch database is made there and dropped afterwards)."
        )
    config = connection.settings_dict
    suffix = f"_restore_check_{get_random_string(6, 'abcdefghijklmnopqrstuvwxyz0123456789')}"
    name = str(config["NAME"])[: 63 - len(suffix)] + suffix
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {quoted} TEMPLATE template0")
    try:
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
              "--dbname", name, str(source)], name=name)  # fmt: skip
        host = quote(config.get("HOST") or "", safe="")
        port = f":{config['PORT']}" if config.get("PORT") else ""
        user = quote(config.get("USER") or "", safe="")
        url = f"postgres://{user}@{host}{port}/{name}"
        yield {**pg_environment(name), "DATABASE_URL": url}
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
