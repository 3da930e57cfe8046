"""Employers, for job development and the outcomes with them."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from caseload.models import Employer
from caseload.services.common import record_or_correct
from core.models import User


@transaction.atomic
def employer_record(
    *, by: User | None, employer: Employer | None = None, **fields: Any
) -> Employer:
    return record_or_correct(Employer, employer, by, **fields)
