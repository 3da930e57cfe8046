"""Fixtures for the fund's tests: private files in a temporary folder, a fund, the
specialist's case, and a second manager."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from caseload.models import Case
from core.models import Role, User
from enterprise_fund.models import Fund
from tests.enterprise_fund.helpers import make_fund
from tests.factories import CaseFactory, UserFactory


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "private-media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def fund(manager: User) -> Fund:
    return make_fund(manager)


@pytest.fixture
def case(specialist: User) -> Case:
    today = datetime.date.today()
    return CaseFactory(
        worker=specialist,
        referral__received_date=today - datetime.timedelta(days=60),
        referral__decision_date=today - datetime.timedelta(days=50),
        start_date=today - datetime.timedelta(days=49),
    )


@pytest.fixture
def second_manager(db: None) -> User:
    return UserFactory(
        email="second@example.org",
        full_name="Sasha Second",
        role=Role.MANAGER,
        fte=Decimal("0.2"),
    )


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]
