from __future__ import annotations

import datetime

import pytest
from django.core import mail

from caseload.models import Task
from caseload.tasks import send_task_digests
from e4e.models import User
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def test_the_daily_digest_counts_due_and_overdue_tasks_without_names(
    specialist: User, other_specialist: User
) -> None:
    case = CaseFactory(worker=specialist)
    Task.objects.create(case=case, kind="sustainment_check", title="a", due_date=TODAY)
    Task.objects.create(
        case=case, kind="in_work_support", title="b", due_date=TODAY - datetime.timedelta(days=2)
    )
    Task.objects.create(
        case=case, kind="in_work_support", title="c", due_date=TODAY + datetime.timedelta(days=2)
    )
    CaseFactory(worker=other_specialist)  # no tasks: no email
    assert send_task_digests() == 1
    (email,) = mail.outbox
    assert email.to == [specialist.email]
    assert "1 task due today" in email.body and "1 overdue task" in email.body
    assert case.referral.first_name not in email.body
    assert case.referral.last_name not in email.body
