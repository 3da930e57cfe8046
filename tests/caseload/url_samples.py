"""For the access tests: sample URL arguments and non-200 GET statuses of this app's URLs.

See tests/access_matrix.py for what each dict means.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.models import Role, User


def _awaiting_case(cast: dict[str, User]) -> dict[str, Any]:
    from tests.factories import CaseFactory

    return {"pk": CaseFactory(worker=cast[Role.SPECIALIST], start_date=None).pk}


def _closed_case(cast: dict[str, User]) -> dict[str, Any]:
    import datetime

    from tests.factories import CaseFactory

    case = CaseFactory(worker=cast[Role.SPECIALIST])
    case.closed_date, case.closure_reason = datetime.date.today(), "moved_away"
    case.save()
    return {"pk": case.pk}


def _open_task(cast: dict[str, User]) -> dict[str, Any]:
    from caseload.models import Task
    from tests.factories import CaseFactory

    case = CaseFactory(worker=cast[Role.SPECIALIST])
    task = Task.objects.create(
        case=case, kind="sustainment_check", title="13-week check", due_date=case.start_date
    )
    return {"pk": task.pk}


def _employer() -> Any:
    from caseload.models import Employer

    return Employer.objects.create(name="Sample Employer Ltd")


def _goal(cast: dict[str, User]) -> dict[str, Any]:
    import datetime

    from caseload.models import ActionPlanGoal

    case_pk = _awaiting_case(cast)["pk"]
    goal = ActionPlanGoal.objects.create(
        case_id=case_pk, goal="Get a CSCS card", target_date=datetime.date.today()
    )
    return {"pk": case_pk, "goal_pk": goal.pk}


def _contact(cast: dict[str, User]) -> Any:
    from caseload.models import Contact
    from tests.factories import CaseFactory

    case = CaseFactory(worker=cast[Role.SPECIALIST])
    return Contact.objects.create(
        case=case,
        worker=case.worker,
        date=case.start_date,
        mode="phone",
        party="client",
        duration_minutes=10,
    )


def _outcome(cast: dict[str, User]) -> Any:
    from caseload.models import Outcome
    from tests.factories import CaseFactory

    case = CaseFactory(worker=cast[Role.SPECIALIST])
    return Outcome.objects.create(case=case, type="training", start_date=case.start_date)


def _complaint(cast: dict[str, User]) -> Any:
    from caseload.models import Complaint
    from tests.factories import CaseFactory

    case = CaseFactory(worker=cast[Role.SPECIALIST])
    return Complaint.objects.create(case=case, received_date=case.start_date, summary="Late")


def _offence(cast: dict[str, User]) -> Any:
    import datetime

    from caseload.models import Offence
    from tests.factories import CaseFactory

    return Offence.objects.create(
        case=CaseFactory(worker=cast[Role.SPECIALIST]),
        date=datetime.date.today(),
        description="Sample",
    )


def _disclosure(cast: dict[str, User]) -> Any:
    from django.utils import timezone

    from caseload.models import ThreatToLifeDisclosure
    from tests.factories import CaseFactory

    now = timezone.now()
    return ThreatToLifeDisclosure.objects.create(
        case=CaseFactory(worker=cast[Role.SPECIALIST]),
        disclosed_at=now,
        what="Sample",
        police_told_at=now,
        police_contact="Sample officer",
        police_reference="SAMPLE-1",
        by=cast[Role.MANAGER],
    )


def _cover(cast: dict[str, User]) -> Any:
    import datetime

    from caseload.services.cover import cover_give
    from tests.factories import UserFactory

    today = datetime.date.today()
    return cover_give(
        absent=cast[Role.SPECIALIST],
        covering=UserFactory(role=Role.SPECIALIST),
        starts=today,
        ends=today + datetime.timedelta(days=7),
        cases=None,
        reason="Sample",
        by=cast[Role.MANAGER],
    )


def _appointment(cast: dict[str, User]) -> Any:
    import datetime

    from caseload.models import Appointment
    from tests.factories import CaseFactory

    return Appointment.objects.create(
        case=CaseFactory(worker=cast[Role.SPECIALIST]),
        worker=cast[Role.SPECIALIST],
        date=datetime.date.today(),
        starts_at=datetime.time(0, 1),
        ends_at=datetime.time(0, 30),
        place="office",
        by=cast[Role.SPECIALIST],
    )


URL_KWARGS: dict[str, Callable[[dict[str, User]], dict[str, Any]]] = {
    "caseload:case-detail": _awaiting_case,
    "caseload:case-assess": _awaiting_case,
    "caseload:contact-new": _awaiting_case,
    "caseload:risk-new": _awaiting_case,
    "caseload:outcome-new": _awaiting_case,
    "caseload:task-done": _open_task,
    "caseload:record-new": lambda cast: {**_awaiting_case(cast), "kind": "crisis"},
    "caseload:profile-edit": _awaiting_case,
    "caseload:goal-new": _awaiting_case,
    "caseload:goal-edit": _goal,
    "caseload:case-history": _awaiting_case,
    "caseload:contact-note": lambda cast: {"pk": _contact(cast).pk},
    "caseload:outcome-end": lambda cast: {"pk": _outcome(cast).pk},
    "caseload:complaint-edit": lambda cast: {"pk": _complaint(cast).pk},
    "caseload:record-detail": lambda cast: {"kind": "complaint", "pk": _complaint(cast).pk},
    "caseload:record-edit": lambda cast: {"kind": "offence", "pk": _offence(cast).pk},
    "caseload:disclosure-report": lambda cast: {"pk": _disclosure(cast).pk},
    "caseload:disclosure-report-pdf": lambda cast: {"pk": _disclosure(cast).pk},
    "caseload:case-close": _awaiting_case,
    "caseload:case-reopen": _closed_case,
    "caseload:case-reassign": _awaiting_case,
    "caseload:employer-contact-new": lambda cast: {"pk": _employer().pk},
    "caseload:cover-new": lambda cast: {"pk": cast[Role.SPECIALIST].pk},
    "caseload:appointment-new": _awaiting_case,
    "caseload:appointment-detail": lambda cast: {"pk": _appointment(cast).pk},
    "caseload:appointment-attended": lambda cast: {"pk": _appointment(cast).pk},
    "caseload:appointment-missed": lambda cast: {"pk": _appointment(cast).pk},
    "caseload:appointment-cancel": lambda cast: {"pk": _appointment(cast).pk},
    "caseload:case-reminders": _awaiting_case,
    "caseload:cover-detail": lambda cast: {"pk": _cover(cast).pk},
    "caseload:cover-end": lambda cast: {"pk": _cover(cast).pk},
}
#: A disclosure's report PDF, before the report is added, sends them to add it.
#: Marking an appointment attended is a POST only; the calendar feed without its token is
#: no one's; Notify's callbacks are POSTs only.
GET_STATUS: dict[str, int] = {
    "caseload:notify-delivery-receipt": 405,
    "caseload:notify-received": 405,
    "caseload:disclosure-report-pdf": 302,
    "caseload:appointment-attended": 405,
    "caseload:calendar-feed-ics": 404,
}
