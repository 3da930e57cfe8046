"""Writes to cases. Every change of a case's worker or open/closed state goes through here."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import structlog
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from simple_history.utils import bulk_create_with_history

from caseload.capacity import take_place
from caseload.models import (
    Case,
    Contact,
    DistanceAssessment,
    Employer,
    Feedback,
    InitialAssessment,
    Offence,
    Outcome,
    Signposting,
)
from core import history
from core.codes import ClosureReason
from core.models import Role, User
from referrals.models import Referral

logger = structlog.get_logger("e4e.caseload")


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def case_start(*, case: Case, start_date: date, by: User | None) -> Case:
    """The initial assessment is done: active support begins on `start_date`."""
    case = _lock(case)
    if case.start_date is not None:
        raise ValidationError("This case has already started.")
    if start_date < case.accepted_date:
        raise ValidationError(
            {"start_date": "The assessment cannot be before the referral was accepted."}
        )
    case.start_date = start_date
    case.full_clean()
    history.save(case, by=by)
    logger.info("caseload.case_started", case_id=case.pk)
    return case


@transaction.atomic
def case_assess(
    *,
    case: Case,
    date: date,
    readiness: str,
    goal: str,
    barriers: list[str],
    benefits_situation: str,
    prior_similar_support: str,
    prior_support_details: str,
    notes: str,
    by: User,
) -> InitialAssessment:
    """Record the initial assessment; it starts active support on its date."""
    case_start(case=case, start_date=date, by=by)
    case = _lock(case)
    case.prior_similar_support = prior_similar_support
    case.prior_support_details = prior_support_details
    case.full_clean()
    history.save(case, by=by)
    assessment = InitialAssessment(
        case=case,
        date=date,
        readiness=readiness,
        goal=goal,
        barriers=sorted(set(barriers)),
        benefits_situation=benefits_situation,
        notes=notes,
        by=by,
    )
    assessment.full_clean()
    history.save(assessment, by=by)
    return assessment


@transaction.atomic
def case_close(*, case: Case, closed_date: date, reason: str, by: User | None) -> Case:
    case = _lock(case)
    if case.closed_date is not None:
        raise ValidationError("This case is already closed.")
    if reason not in ClosureReason.values:
        raise ValidationError({"reason": "Choose why the case is closing."})
    if case.start_date is not None and closed_date < case.start_date:
        raise ValidationError({"closed_date": "A case cannot close before it started."})
    case.closed_date = closed_date
    case.closure_reason = reason
    case.full_clean()
    history.save(case, by=by)
    logger.info("caseload.case_closed", case_id=case.pk, reason=reason)
    return case


# Creation and correction services used by the legacy importer (and, later, the case pages).
# Each takes the fields by keyword, validates, saves only when something changed (so that
# repeating an import adds no history) and returns the object.

_CASE_UPDATABLE = frozenset(
    {
        "legacy_id",
        "worker",
        "accepted_date",
        "start_date",
        "prior_similar_support",
        "closed_date",
        "closure_reason",
    }
)


def _changed(instance: models.Model, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields whose value differs from the instance's (relations compared by key)."""
    changes = {}
    for name, value in fields.items():
        field = instance._meta.get_field(name)
        if field.is_relation:
            current = getattr(instance, field.attname)  # type: ignore[union-attr]
            differs = current != (value.pk if value is not None else None)
        else:
            differs = getattr(instance, name) != value
        if differs:
            changes[name] = value
    return changes


@transaction.atomic
def case_update(*, case: Case, by: User | None, **fields: Any) -> Case:
    """Correct a case's recorded facts (worker, dates, closure, prior support, legacy id).

    A case that ends up open with a worker it was not open with before takes a place in
    that worker's caseload, under the worker row lock, like an acceptance.
    """
    unknown = set(fields) - _CASE_UPDATABLE
    if unknown:
        raise ValueError(f"case_update cannot change {', '.join(sorted(unknown))}")
    case = _lock(case)
    changes = _changed(case, fields)
    if not changes:
        return case
    was_open_for = case.worker_id if case.closed_date is None else None
    for name, value in changes.items():
        setattr(case, name, value)
    if case.closed_date is None:
        case.closure_reason = ""
        if case.worker_id != was_open_for:
            take_place(case.worker)
    _validate_and_save(case, changes, by)
    logger.info("caseload.case_updated", case_id=case.pk, fields=sorted(changes))
    return case


@transaction.atomic
def case_open(*, referral: Referral, worker: User, by: User | None) -> Case:
    """Open the case of a referral that was accepted without one (a legacy record)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.ACCEPTED or referral.decision_date is None:
        raise ValidationError("Only an accepted referral can have a case.")
    if Case.objects.filter(referral=referral).exists():
        raise ValidationError("This referral already has a case.")
    take_place(worker)
    case = Case(referral=referral, worker=worker, accepted_date=referral.decision_date)
    case.full_clean()
    history.save(case, by=by)
    logger.info("caseload.case_opened", case_id=case.pk, worker=worker.pk)
    return case


def _validate_and_save(instance: models.Model, fields: dict[str, Any], by: User | None) -> None:
    # Related objects come as saved instances, so they need no existence query each; and the
    # check constraints (ranges the field validators also check, and a few cross-field rules)
    # are left to the database, which enforces them: asking it first costs one SELECT per
    # constraint per row, which made a 6,000-row import take a minute.
    given = [
        name
        for name, value in fields.items()
        if instance._meta.get_field(name).is_relation and getattr(value, "pk", None) is not None
    ]
    instance.full_clean(exclude=given, validate_constraints=False)
    try:
        history.save(instance, by=by)
    except IntegrityError as error:
        raise ValidationError(f"{instance._meta.verbose_name}: {error}") from error


def _record[M: models.Model](
    model: type[M], instance: M | None, by: User | None, **fields: Any
) -> M:
    if instance is None:
        instance = model(**fields)
    else:
        fields = _changed(instance, fields)
        if not fields:
            return instance
        for name, value in fields.items():
            setattr(instance, name, value)
    _validate_and_save(instance, fields, by)
    return instance


@transaction.atomic
def employer_record(
    *, by: User | None, employer: Employer | None = None, **fields: Any
) -> Employer:
    return _record(Employer, employer, by, **fields)


@transaction.atomic
def contact_record(*, by: User | None, contact: Contact | None = None, **fields: Any) -> Contact:
    """Record a contact, or correct one. A contact without a case is general admin."""
    return _record(Contact, contact, by, **fields)


@transaction.atomic
def outcome_record(*, by: User | None, outcome: Outcome | None = None, **fields: Any) -> Outcome:
    return _record(Outcome, outcome, by, **fields)


@transaction.atomic
def distance_assessment_record(
    *, by: User | None, assessment: DistanceAssessment | None = None, **fields: Any
) -> DistanceAssessment:
    return _record(DistanceAssessment, assessment, by, **fields)


@transaction.atomic
def offence_record(*, by: User | None, offence: Offence | None = None, **fields: Any) -> Offence:
    return _record(Offence, offence, by, **fields)


@transaction.atomic
def signposting_record(
    *, by: User | None, signposting: Signposting | None = None, **fields: Any
) -> Signposting:
    return _record(Signposting, signposting, by, **fields)


@transaction.atomic
def feedback_record(
    *, by: User | None, feedback: Feedback | None = None, **fields: Any
) -> Feedback:
    return _record(Feedback, feedback, by, **fields)


# Casework on the screens: the rules a specialist's entries must keep.

NOTE_LOCK_DAYS = 7


def is_out_of_hours(day: date, time: datetime.time | None) -> bool:
    """Outside Monday-Friday 09:00-17:00 (a contact with no time counts by its day alone)."""
    if day.weekday() >= 5:
        return True
    if time is None:
        return False
    return not (datetime.time(9, 0) <= time < datetime.time(17, 0))


@transaction.atomic
def contact_log(*, case: Case | None, worker: User, by: User, **fields: Any) -> Contact:
    """A specialist logs a contact: out of hours is worked out from the time, and a contact
    in the community needs a risk assessment on the case first. Without a case it is job
    development with an employer, or else general admin time."""
    from caseload.models import RiskAssessment

    if case is not None:
        case = _lock(case)
        if case.closed_date is not None:
            raise ValidationError("This case is closed. Reopen it to log a contact.")
        if fields.get("date") and fields["date"] < case.accepted_date:
            raise ValidationError({"date": "A contact cannot be before the referral was accepted."})
        if (
            fields.get("place") == Contact.Place.COMMUNITY
            and not RiskAssessment.objects.filter(case=case).exists()
        ):
            raise ValidationError(
                {
                    "place": "Record a risk assessment for this person before logging a "
                    "contact in the community."
                }
            )
    elif fields.get("party") == Contact.Party.EMPLOYER:
        if fields.get("employer") is None:
            raise ValidationError({"employer": "Choose the employer."})
    else:
        fields = {**fields, "mode": Contact.Mode.ADMIN, "party": Contact.Party.NONE}
    fields["out_of_hours"] = is_out_of_hours(fields["date"], fields.get("time"))
    return contact_record(by=by, case=case, worker=worker, **fields)


@transaction.atomic
def contact_change_note(*, contact: Contact, note: str, reason: str, by: User) -> Contact:
    """Change a contact's note. After 7 days the change needs a reason, kept in the history."""
    from django.utils import timezone

    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    locked = (timezone.localdate() - contact.date).days > NOTE_LOCK_DAYS
    if locked and not reason.strip():
        raise ValidationError(
            {"reason": "This contact is more than 7 days old: say why the note is changing."}
        )
    contact.note = note
    contact.full_clean()
    history.save(contact, by=by, reason=reason.strip())
    return contact


@transaction.atomic
def risk_assessment_record(*, case: Case, by: User, **fields: Any) -> Any:
    from caseload.models import RiskAssessment

    case = _lock(case)
    assessment = RiskAssessment(case=case, by=by, **fields)
    assessment.full_clean()
    history.save(assessment, by=by)
    return assessment


#: Days after a job start when in-work support is due: within 3 days, weekly for the first
#: month, then monthly to six months.
IN_WORK_SUPPORT_DAYS = (3, 7, 14, 21, 28, 58, 88, 118, 148, 178)
SUSTAINMENT_WEEKS = (13, 26, 52)
TRADING_CHECK_WEEKS = (26, 52)


@transaction.atomic
def outcome_start(*, case: Case, by: User, **fields: Any) -> Outcome:
    """Record a job, business, training, education or volunteering start on an open case,
    and put the follow-up on the specialist's task list."""
    from caseload.models import Task

    case = _lock(case)
    if case.start_date is None:
        raise ValidationError("Record the initial assessment before an outcome.")
    if fields.get("start_date") and fields["start_date"] < case.start_date:
        raise ValidationError(
            {"start_date": "An outcome cannot start before support began on the case."}
        )
    outcome = outcome_record(by=by, case=case, **fields)
    start = outcome.start_date
    plan: list[tuple[str, str, date]] = []
    if outcome.type == Outcome.Type.PAID_EMPLOYMENT:
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
    elif outcome.type == Outcome.Type.SELF_EMPLOYMENT:
        plan += [
            (Task.Kind.TRADING_CHECK, f"{weeks}-week trading check", start + timedelta(weeks=weeks))
            for weeks in TRADING_CHECK_WEEKS
        ]
    for kind, title, due in plan:
        task = Task(case=case, outcome=outcome, kind=kind, title=title, due_date=due)
        history.save(task, by=by)
    return outcome


@transaction.atomic
def outcome_end(*, outcome: Outcome, end_date: date, reason: str, by: User) -> Outcome:
    """The job or course has ended; open follow-up tasks after the end no longer apply."""
    from caseload.models import Task

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


@transaction.atomic
def task_complete(*, task: Any, done_date: date, evidence: str, by: User) -> Any:
    from caseload.models import Task

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


#: The records that hang off a case, which case_records_create makes in bulk.
_BULK_RECORDS: tuple[type[models.Model], ...] = (
    Contact,
    Outcome,
    DistanceAssessment,
    Offence,
    Signposting,
    Feedback,
)


@transaction.atomic
def case_records_create[M: models.Model](
    *, model: type[M], items: Sequence[dict[str, Any]], by: User | None
) -> list[M]:
    """Create many contacts, outcomes, assessments, offences, signposting or feedback
    records at once (a legacy import): each validated like one made by its `_record`
    service, inserted in bulk, each with its history row made by `by`.

    Uniqueness and the check constraints are left to the database, as in `_record`: a
    violation rolls the whole batch back with a ValidationError.
    """
    if model not in _BULK_RECORDS:
        raise ValueError(f"case_records_create cannot make {model.__name__} records")
    instances = []
    for fields in items:
        instance = model(**fields)
        given = [
            name
            for name, value in fields.items()
            if model._meta.get_field(name).is_relation and getattr(value, "pk", None) is not None
        ]
        instance.full_clean(exclude=given, validate_unique=False, validate_constraints=False)
        instances.append(instance)
    try:
        created = bulk_create_with_history(instances, model, batch_size=500, default_user=by)
    except IntegrityError as error:
        raise ValidationError(f"{model._meta.verbose_name_plural}: {error}") from error
    logger.info("caseload.records_created", model=model.__name__, count=len(created))
    return created


def _lock_workers(*workers: User) -> dict[int, User]:
    """Lock worker rows in ascending id order (the fixed lock order: no deadlocks)."""
    ids = sorted({w.pk for w in workers})
    return {u.pk: u for u in User.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


@transaction.atomic
def case_reopen(*, case: Case, by: User) -> Case:
    """Reopen a closed case. It takes a place in its worker's caseload again, under the
    worker row lock, like an acceptance."""
    take_place(case.worker)  # the worker's row first: the lock order
    case = _lock(case)
    if case.closed_date is None:
        raise ValidationError("This case is open.")
    case.closed_date = None
    case.closure_reason = ""
    case.full_clean()
    history.save(case, by=by)
    logger.info("caseload.case_reopened", case_id=case.pk)
    return case


@transaction.atomic
def case_reassign(*, case: Case, worker: User, by: User) -> Case:
    """Move an open case to another worker with room for it. Both workers' rows are locked
    (in id order) so the cap holds against concurrent acceptances and reassignments; the
    case is visible to the new worker, and no longer to the old one, at once."""
    locked = _lock_workers(case.worker, worker)
    new_worker = locked[worker.pk]
    case = _lock(case)
    if case.closed_date is not None:
        raise ValidationError("A closed case cannot be reassigned. Reopen it first.")
    if case.worker_id == new_worker.pk:
        raise ValidationError({"worker": "The case is already with this worker."})
    take_place(new_worker, field="worker")
    previous = case.worker_id
    case.worker = new_worker
    case.full_clean()
    history.save(case, by=by)
    logger.info("caseload.case_reassigned", case_id=case.pk, old=previous, new=new_worker.pk)
    return case


@transaction.atomic
def case_record_add[M: models.Model](*, case: Case, model: type[M], by: User, **fields: Any) -> M:
    """Add a record to an open or closed case: signposting, offence, crisis, feedback,
    complaint or case study. Validates, records who did it, returns the record."""
    case = _lock(case)
    record = model(case=case, **fields)
    if any(field.name == "by" for field in model._meta.fields):
        record.by = by  # type: ignore[attr-defined]
    record.full_clean()
    history.save(record, by=by)
    logger.info("caseload.record_added", case_id=case.pk, kind=model.__name__)
    return record


@transaction.atomic
def disclosure_record(*, case: Case, by: User, **fields: Any) -> Any:
    """Record a threat-to-life disclosure and alert every active manager by email at once.
    The email says only that there is one and where; the detail stays in the service."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse

    from caseload.models import ThreatToLifeDisclosure

    disclosure = case_record_add(case=case, model=ThreatToLifeDisclosure, by=by, **fields)
    managers = list(
        User.objects.filter(role=Role.MANAGER, is_active=True).values_list("email", flat=True)
    )
    link = settings.SITE_URL + reverse("caseload:case-detail", args=[case.pk])
    body = (
        "A threat-to-life disclosure has just been recorded on a case.\n\n"
        f"Sign in to read it: {link}\n\n"
        "This email has no details about the person; they are in the service."
    )
    if managers:
        transaction.on_commit(
            lambda: send_mail("Threat-to-life disclosure recorded", body, None, managers)
        )
    logger.warning("caseload.threat_to_life_recorded", case_id=case.pk, by=by.pk)
    return disclosure


@transaction.atomic
def vocational_profile_save(*, case: Case, by: User, **fields: Any) -> Any:
    """Create or update the profile; every version stays in its history."""
    from caseload.models import VocationalProfile

    case = _lock(case)
    profile = VocationalProfile.objects.filter(case=case).first()
    return _record(VocationalProfile, profile, by, case=case, **fields)


@transaction.atomic
def action_plan_goal_save(*, case: Case, by: User, existing: Any = None, **fields: Any) -> Any:
    """Add a goal to the case's action plan, or update `existing`."""
    from caseload.models import ActionPlanGoal

    case = _lock(case)
    if existing is not None and existing.case_id != case.pk:
        raise ValidationError("This goal belongs to another case.")
    return _record(ActionPlanGoal, existing, by, case=case, **fields)


@transaction.atomic
def fidelity_review_record(
    *,
    period_start: date,
    period_end: date,
    scores: dict[int, int],
    evidence: dict[int, str],
    by: User,
) -> Any:
    from django.utils import timezone

    from caseload.fidelity import ITEMS
    from caseload.models import FidelityReview

    missing = [n for n, _ in ITEMS if scores.get(n) not in range(1, 6)]
    if missing:
        raise ValidationError(f"Score every item from 1 to 5 (missing: {missing}).")
    items = {str(n): {"score": scores[n], "evidence": evidence.get(n, "")} for n, _ in ITEMS}
    review = FidelityReview(
        period_start=period_start,
        period_end=period_end,
        reviewed_on=timezone.localdate(),
        items=items,
        total=sum(scores[n] for n, _ in ITEMS),
        by=by,
    )
    review.full_clean()
    history.save(review, by=by)
    return review


@transaction.atomic
def complaint_update(*, complaint: Any, by: User, **fields: Any) -> Any:
    """Record the acknowledgement, outcome and learning of a complaint as they happen."""
    from caseload.models import Complaint

    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    acknowledged = fields.get("acknowledged_date")
    if acknowledged and acknowledged < complaint.received_date:
        raise ValidationError(
            {"acknowledged_date": "The acknowledgement cannot be before the complaint arrived."}
        )
    return _record(Complaint, complaint, by, **fields)
