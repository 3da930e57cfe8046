"""Markers of the reporting tests, registered here rather than in pyproject.toml."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "worker: needs a real Redis and starts a Celery worker (PostgreSQL only)"
    )
