"""What a legacy import creates, written in bulk: workers, referrals, cases, employers and
the records on the cases, each in the state the one-by-one services would leave it in.

Each service checks its whole batch in sets (core.bulk.validate_in_sets, and the rules of
the service it stands for, with that service's messages), so a batch costs a few queries
whatever its size; then inserts it with one creation history row per record, made now by
`by`. A record's history starts with its state as imported, not with the steps the screens
would have taken to reach it (received, then accepted, then started, then closed).

A problem raises core.bulk.InvalidRecords, which names each record by its position in the
batch, so the importer can name its row. The check constraints are left to the database.
Each service runs in its caller's transaction without a savepoint of its own: a problem
fails the whole transaction, as it must fail an import (and a savepoint would cost each
batch two more round trips for nothing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import structlog
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count
from django.utils import timezone

from caseload.capacity import CapacityReached
from caseload.case_access import grant_in_bulk
from caseload.models import (
    Case,
    Complaint,
    Contact,
    CrisisEpisode,
    DistanceAssessment,
    Employer,
    Feedback,
    Offence,
    Outcome,
    Signposting,
)
from core.bulk import InvalidRecords, build, insert_with_history, validate_in_sets
from core.codes import ClosureReason, RejectionReason
from core.models import Role, User, normalise_email
from core.services import clean_fte
from referrals.models import Referral
from referrals.services import new_references, referral_mark_accepted

logger = structlog.get_logger("e4e.caseload")

Problems = dict[int, list[str]]


def _write[M: models.Model](
    model: type[M], objs: list[M], problems: Problems, *, exclude: set[str], by: User | None
) -> list[M]:
    """Raise every problem of the batch, the service's own and full_clean's; else insert
    it. A check constraint the database finds broken fails the whole batch."""
    try:
        validate_in_sets(objs, exclude=exclude)
    except InvalidRecords as invalid:
        for index, messages in invalid.by_record.items():
            problems[index] = problems.get(index, []) + messages
    problems = {index: messages for index, messages in problems.items() if messages}
    if problems:
        raise InvalidRecords(problems)
    try:
        return insert_with_history(model, objs, by)
    except IntegrityError as error:
        raise ValidationError(f"{model._meta.verbose_name_plural}: {error}") from error


# --- workers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewWorker:
    legacy_id: str
    email: str
    full_name: str
    role: str
    fte: Decimal | None
    start_date: date | None = None


@transaction.atomic(savepoint=False)
def workers_create(*, workers: Sequence[NewWorker], by: User | None) -> list[User]:
    """Create the accounts of legacy workers, each as core.services.user_create leaves it
    (no usable password: they must be invited), with its legacy id."""
    problems: Problems = defaultdict(list)
    users = []
    for index, worker in enumerate(workers):
        fte = None
        if worker.role not in Role.values:
            problems[index].append("Choose a role.")
        else:
            try:
                fte = clean_fte(worker.role, worker.fte)
            except ValidationError as problem:
                problems[index] += problem.messages
        user = User(
            email=normalise_email(worker.email),
            full_name=worker.full_name.strip(),
            role=worker.role,
            fte=fte,
            start_date=worker.start_date if fte is not None else None,
            legacy_id=worker.legacy_id,
        )
        user.set_unusable_password()
        users.append(user)
    _write(User, users, problems, exclude={"password"}, by=by)
    logger.info("users.created_in_bulk", count=len(users))
    return users


# --- referrals -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewReferral:
    legacy_id: str
    person_key: str
    received_date: date
    source: str
    first_name: str
    last_name: str
    date_of_birth: date
    gender: str
    ethnicity: str
    postcode: str
    cohort: str
    status: str = Referral.Status.RECEIVED
    decision_date: date | None = None
    rejection_reason: str = ""
    rejection_rationale: str = ""


@transaction.atomic(savepoint=False)
def referrals_create(*, referrals: Sequence[NewReferral], by: User | None) -> list[Referral]:
    """Record legacy referrals, each as referrals.services.referral_create and then its
    decision (referral_reject, referral_withdraw, or acceptance) leave it."""
    problems: Problems = defaultdict(list)
    objs = []
    for index, (new, reference) in enumerate(
        zip(referrals, new_references(len(referrals)), strict=True)
    ):
        (referral,) = build(Referral, [{**vars(new), "reference": reference}])
        if referral.is_decided:
            referral.decided_by_id = getattr(by, "pk", None)
            referral.decision_date = new.decision_date or timezone.localdate()
        if referral.status == Referral.Status.REJECTED:
            referral.rejection_rationale = new.rejection_rationale.strip()
            if new.rejection_reason not in RejectionReason.values:
                problems[index].append("Choose a reason for rejecting the referral.")
            if not referral.rejection_rationale:
                problems[index].append("Write down why the referral is rejected.")
        else:
            referral.rejection_reason = referral.rejection_rationale = ""
        objs.append(referral)
    _write(Referral, objs, problems, exclude={"decided_by"}, by=by)
    logger.info("referrals.created_in_bulk", count=len(objs))
    return objs


# --- cases ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewCase:
    referral: Referral
    worker: User
    legacy_id: str
    #: When a referral not yet accepted is accepted (default today); else its decision date.
    accepted_date: date | None
    start_date: date | None
    prior_similar_support: str
    closed_date: date | None
    closure_reason: str


@transaction.atomic(savepoint=False)
def cases_create(*, cases: Sequence[NewCase], by: User | None) -> list[Case]:
    """Open legacy cases, one acceptance after another in the order given, each as
    referral_accept (or case_open, for a referral accepted before) and then case_start and
    case_close leave it: under the workers' row locks and within their capacity (a closed
    case takes a place too, until it closes), each granted to its worker."""
    if not cases:
        return []
    # The lock order: worker rows (ascending id), then the referrals.
    workers = {
        user.pk: user
        for user in User.objects.select_for_update()
        .filter(pk__in={new.worker.pk for new in cases})
        .order_by("pk")
    }
    held = defaultdict(
        int,
        Case.objects.held()
        .filter(worker_id__in=workers)
        .order_by()
        .values_list("worker_id")
        .annotate(count=Count("pk")),
    )
    referrals = Referral.objects.select_for_update().in_bulk([new.referral.pk for new in cases])
    with_case = set(
        Case.objects.filter(referral_id__in=referrals).values_list("referral_id", flat=True)
    )
    problems: Problems = defaultdict(list)
    objs, to_accept = [], []
    for index, new in enumerate(cases):
        worker, referral = workers[new.worker.pk], referrals[new.referral.pk]
        if worker.role not in Role.with_caseload() or not worker.is_active:
            problems[index].append(f"{worker.full_name} does not hold a caseload.")
        elif held[worker.pk] >= worker.capacity:
            problems[index] += CapacityReached(worker).messages
        elif new.closed_date is None:
            held[worker.pk] += 1
        if referral.pk in with_case:
            problems[index].append("This referral already has a case.")
        with_case.add(referral.pk)
        if referral.status == Referral.Status.ACCEPTED and referral.decision_date is not None:
            accepted = referral.decision_date
        elif referral.is_decided:
            problems[index].append("Only an accepted referral can have a case.")
            accepted = None
        else:
            accepted = new.accepted_date or timezone.localdate()
            to_accept.append((referral, accepted))
        problems[index] += _case_dates(new, accepted)
        opened = {
            "referral_id": referral.pk,
            "worker_id": worker.pk,
            "legacy_id": new.legacy_id,
            "accepted_date": accepted,
            "start_date": new.start_date,
            "prior_similar_support": new.prior_similar_support,
            "closed_date": new.closed_date,
            "closure_reason": new.closure_reason if new.closed_date else "",
        }
        objs += build(Case, [opened])
    if not any(problems.values()):
        for referral, accepted in to_accept:
            referral_mark_accepted(referral=referral, by=by, decided_on=accepted)
    _write(Case, objs, problems, exclude={"referral", "worker"}, by=by)
    grant_in_bulk(objs)
    logger.info("caseload.cases_opened_in_bulk", count=len(objs))
    return objs


def _case_dates(new: NewCase, accepted: date | None) -> list[str]:
    """case_start's and case_close's rules, with their messages."""
    problems = []
    if new.start_date is not None and accepted is not None and new.start_date < accepted:
        problems.append("The assessment cannot be before the referral was accepted.")
    if new.closed_date is not None:
        if new.closure_reason not in ClosureReason.values:
            problems.append("Choose why the case is closing.")
        if new.start_date is not None and new.closed_date < new.start_date:
            problems.append("A case cannot close before it started.")
    return problems


# --- employers and the records on the cases -------------------------------------------------


@transaction.atomic(savepoint=False)
def employers_create(*, names: Sequence[str], by: User | None) -> list[Employer]:
    """Record employers known only by name, each keeping its name as its legacy name."""
    objs = [Employer(name=name, legacy_name=name) for name in names]
    return _write(Employer, objs, {}, exclude=set(), by=by)


#: The records that hang off a case, which case_records_create makes in bulk.
_BULK_RECORDS: tuple[type[models.Model], ...] = (
    Contact,
    Outcome,
    DistanceAssessment,
    Offence,
    Signposting,
    Feedback,
    CrisisEpisode,
    Complaint,
)


@transaction.atomic(savepoint=False)
def case_records_create[M: models.Model](
    *, model: type[M], items: Sequence[dict[str, Any]], by: User | None
) -> list[M]:
    """Create many contacts, outcomes, assessments, offences, signposting, feedback, crisis
    or complaint records at once (a legacy import): each validated like one made by its `*_record`
    service, inserted in bulk, each with its history row made by `by`.

    A relation every item gives as a stored record is not looked up again; the check
    constraints are left to the database, as in `record_or_correct`: a violation rolls the
    whole batch back with a ValidationError.
    """
    if model not in _BULK_RECORDS:
        raise ValueError(f"case_records_create cannot make {model.__name__} records")
    relations = {f.name: f.attname for f in model._meta.concrete_fields if f.is_relation}
    given = {
        name
        for name in relations
        if all(getattr(fields.get(name), "pk", None) is not None for fields in items)
    }
    instances = build(
        model,
        [
            {
                relations.get(name, name): (
                    getattr(value, "pk", None) if name in relations else value
                )
                for name, value in fields.items()
            }
            for fields in items
        ],
    )
    created = _write(model, instances, {}, exclude=given, by=by)
    logger.info("caseload.records_created", model=model.__name__, count=len(created))
    return created
