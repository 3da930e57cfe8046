"""HD-8 and AL-4 in the database: the runtime role gets no DDL and can only add to and read
the access log, the retention records and the stored pseudonyms (PostgreSQL only; required
in CI)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.postgresql import require_postgresql

pytestmark = pytest.mark.django_db

ROLE = "e4e_grants_test"


@pytest.fixture(autouse=True)
def _needs_postgresql() -> None:
    require_postgresql("Grants are a PostgreSQL matter")


def privilege(table: str, kind: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [ROLE, table, kind])
        return bool(cursor.fetchone()[0])


def test_the_runtime_role_can_only_add_to_the_logs_and_has_no_ddl() -> None:
    # Inside the test's transaction: the role goes when the test is rolled back.
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")
    call_command("grant_app_role", ROLE)
    for table in ("e4e_accesslog", "privacy_retentionaction", "caseload_casepseudonym"):
        assert privilege(table, "SELECT") and privilege(table, "INSERT")
        assert not privilege(table, "UPDATE")
        assert not privilege(table, "DELETE")
        assert not privilege(table, "TRUNCATE")
    assert privilege("caseload_case", "UPDATE") and privilege("caseload_case", "DELETE")
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_schema_privilege(%s, current_schema(), 'CREATE')", [ROLE])
        assert cursor.fetchone()[0] is False


def test_a_superuser_or_a_missing_role_is_refused() -> None:
    with pytest.raises(CommandError, match="There is no role"):
        call_command("grant_app_role", "no_such_role_here")
    with pytest.raises(CommandError, match="lower case"):
        call_command("grant_app_role", "Robert'); DROP TABLE x;--")
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolname FROM pg_roles WHERE rolsuper LIMIT 1")
        superuser = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="is a superuser"):
        call_command("grant_app_role", superuser)
