"""For the tests that only mean something on PostgreSQL (row-lock races, grants): skip them
on SQLite, except where CI requires them (E4E_RACE_TESTS=require), where they fail instead
so that they can never be skipped silently."""

from __future__ import annotations

import os

import pytest
from django.db import connection


def require_postgresql(why: str) -> None:
    """Call from an autouse fixture; `why` says why SQLite will not do."""
    if connection.vendor == "postgresql":
        return
    if os.environ.get("E4E_RACE_TESTS") == "require":
        pytest.fail("These tests must run on PostgreSQL (E4E_RACE_TESTS=require).")
    pytest.skip(f"{why}: set DATABASE_URL to a PostgreSQL database.")
