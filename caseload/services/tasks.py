"""Follow-up tasks: marking one done with the evidence seen."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from caseload.models import Task
from core import history
from core.models import User


@transaction.atomic
def task_complete(*, task: Any, done_date: date, evidence: str, by: User) -> Any:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.done_date is not None:
        raise ValidationError("This task is already done.")
    if not evidence.strip():
        raise ValidationError({"evidence": "Say what evidence you saw, like a payslip."})
    task.done_date = done_date
    task.evidence = evidence.strip()
    task.done_by = by
    task.full_clean()
    history.save(task, by=by)
    return task
