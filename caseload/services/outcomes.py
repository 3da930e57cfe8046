"""Outcomes, and the sustainment, in-work support and trading checks that follow them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from caseload.models import Case, Outcome, Task
from caseload.services.common import lock_case, record_or_correct, refuse_if_closed
from core import history
from core.models import User

#: Days after a job start when in-work support is due: within 3 days, weekly for the first
#: month, then monthly to six months.
IN_WORK_SUPPORT_DAYS = (3, 7, 14, 21, 28, 58, 88, 118, 148, 178)
SUSTAINMENT_WEEKS = (13, 26, 52)
TRADING_CHECK_WEEKS = (26, 52)


def follow_up_plan(outcome_type: str, start: date) -> list[tuple[str, str, date]]:
    """The follow-up an outcome puts on the specialist's task list: (kind, title, due)."""
    plan: list[tuple[str, str, date]] = []
    if outcome_type == Outcome.Type.PAID_EMPLOYMENT:
        plan += [
            (Task.Kind.IN_WORK_SUPPORT, f"In-work support, day {days}", start + timedelta(days))
            for days in IN_WORK_SUPPORT_DAYS
        ]
        plan += [
            (
                Task.Kind.SUSTAINMENT_CHECK,
                f"{weeks}-week sustainment check",
                start + timedelta(weeks=weeks),
            )
            for weeks in SUSTAINMENT_WEEKS
        ]
    elif outcome_type == Outcome.Type.SELF_EMPLOYMENT:
        plan += [
            (Task.Kind.TRADING_CHECK, f"{weeks}-week trading check", start + timedelta(weeks=weeks))
            for weeks in TRADING_CHECK_WEEKS
        ]
    return plan


@transaction.atomic
def outcome_record(*, by: User | None, outcome: Outcome | None = None, **fields: Any) -> Outcome:
    return record_or_correct(Outcome, outcome, by, **fields)


@transaction.atomic
def outcome_start(*, case: Case, by: User, **fields: Any) -> Outcome:
    """Record a job, business, training, education or volunteering start on an open case,
    and put the follow-up on the specialist's task list."""
    case = lock_case(case)
    refuse_if_closed(case, "record an outcome")
    if case.start_date is None:
        raise ValidationError("Record the initial assessment before an outcome.")
    if fields.get("start_date") and fields["start_date"] < case.start_date:
        raise ValidationError(
            {"start_date": "An outcome cannot start before support began on the case."}
        )
    outcome = outcome_record(by=by, case=case, **fields)
    plan = follow_up_plan(outcome.type, outcome.start_date)
    for kind, title, due in plan:
        task = Task(case=case, outcome=outcome, kind=kind, title=title, due_date=due)
        history.save(task, by=by)
    return outcome


@transaction.atomic
def outcome_end(*, outcome: Outcome, end_date: date, reason: str, by: User) -> Outcome:
    """The job or course has ended; open follow-up tasks after the end no longer apply."""
    outcome = Outcome.objects.select_for_update().get(pk=outcome.pk)
    if outcome.end_date is not None:
        raise ValidationError("This outcome has already ended.")
    if end_date < outcome.start_date:
        raise ValidationError({"end_date": "The end cannot be before the start."})
    outcome.end_date = end_date
    outcome.end_reason = reason.strip()
    outcome.full_clean()
    history.save(outcome, by=by)
    for task in Task.objects.filter(outcome=outcome, done_date__isnull=True, due_date__gt=end_date):
        history.delete(task, by=by)
    return outcome
