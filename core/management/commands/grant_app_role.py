from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction

from core.models import AppendOnlyModel


def append_only_models() -> list[type[models.Model]]:
    """Tables the running app may add to and read, never change (AL-4): every model of any
    app that is an `AppendOnlyModel`."""
    return [model for model in apps.get_models() if issubclass(model, AppendOnlyModel)]


ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class Command(BaseCommand):
    help = (
        "PostgreSQL: give the runtime role (the one in the web and worker DATABASE_URL) what "
        "the app needs and no more: read and write the tables, but no DDL, and only insert "
        "and read the access log, the retention records and the pseudonyms. Run it as the "
        "role that owns the tables, after every migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="The runtime role, such as e4e_app")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Roles and grants are for PostgreSQL; SQLite has none.")
        role = options["role"]
        if not ROLE_NAME.fullmatch(role):
            raise CommandError("Give the role's name in lower case: letters, digits and _.")
        quoted = connection.ops.quote_name(role)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            row = cursor.fetchone()
            if row is None:
                raise CommandError(f"There is no role {role}: create it first.")
            if row[0]:
                raise CommandError(f"{role} is a superuser: the runtime role must not be one.")
            cursor.execute("SELECT current_schema()")
            schema = connection.ops.quote_name(cursor.fetchone()[0])
            statements = [
                f"REVOKE CREATE ON SCHEMA {schema} FROM {quoted}",
                f"GRANT USAGE ON SCHEMA {schema} TO {quoted}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} "
                f"TO {quoted}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}",
                *(
                    f"REVOKE UPDATE, DELETE, TRUNCATE ON "
                    f"{connection.ops.quote_name(model._meta.db_table)} FROM {quoted}"
                    for model in append_only_models()
                ),
            ]
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            f"{role} may read and write the app's tables, and only add to "
            f"{', '.join(model._meta.db_table for model in append_only_models())}."
        )
