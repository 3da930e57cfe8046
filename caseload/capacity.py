"""The caseload cap: a worker holds at most floor(25 x FTE) cases, counted from acceptance
until closed, awaiting the initial assessment included (IPS; kpi-definitions.md, "Worker").

`take_place` is the one check, made under the worker's row lock by every path that gives a
worker a case: accepting a referral, opening a legacy case, correcting a case's worker,
reopening and reassigning. Lock order: worker rows (ascending id) before the case row.

`refuse_a_smaller_caseload` is its other side: no save of a worker (the Users page, the
import, a command, the admin) may leave them holding more cases than their capacity by
lowering their FTE, giving them a role without a caseload or deactivating them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from caseload.models import Case
from core.models import Role, User
from core.queries import count_by
from core.selectors import workers_with_capacity


class CapacityReached(ValidationError):
    def __init__(self, worker: User) -> None:
        super().__init__(
            f"{worker.full_name} already has {worker.capacity} open cases, their full capacity. "
            "Choose someone else or put the referral on the waiting list."
        )
        self.worker = worker


def held_count() -> Any:
    """An annotation for workers: the cases each holds against the cap."""
    return count_by(Case.objects.held(), "worker")


def held_case_count(worker: User) -> int:
    """The cases the worker holds against the cap: accepted and not closed."""
    return Case.objects.held().filter(worker=worker).count()


def take_place(worker: User, *, field: str | None = None) -> User:
    """Lock the worker's row and make sure they can take one more case; return the locked
    row. Call it inside the transaction that gives them the case, before locking the case.
    `field` names the form field an error belongs to."""
    worker = User.objects.select_for_update().get(pk=worker.pk)
    if worker.role not in Role.with_caseload() or not worker.is_active:
        message = f"{worker.full_name} does not hold a caseload."
        raise ValidationError({field: message} if field else message)
    if held_case_count(worker) >= worker.capacity:
        raise CapacityReached(worker)
    return worker


#: The most cases a refusal names; the rest are counted.
CASES_NAMED = 10


def refuse_a_smaller_caseload(sender: type[User], instance: User, raw: bool, **kwargs: Any) -> None:
    """Before a worker is saved (pre_save): refuse, with the cases to reassign first, a
    change that would leave them holding more open cases than they may."""
    update_fields = kwargs.get("update_fields")
    watched = {"role", "fte", "is_active"}
    if (
        raw
        or instance.pk is None
        or (update_fields is not None and not watched & set(update_fields))
    ):
        return
    stored = User.objects.filter(pk=instance.pk).values("role", "fte", "is_active").first()
    if stored is None:
        return
    places = (
        instance.capacity if instance.is_active and instance.role in Role.with_caseload() else 0
    )
    shrinking = stored["is_active"] and (
        not instance.is_active or stored["role"] != instance.role or stored["fte"] != instance.fte
    )
    if not shrinking:
        return
    held = list(
        Case.objects.held()
        .filter(worker=instance)
        .order_by("referral__reference")
        .values_list("referral__reference", flat=True)
    )
    if len(held) <= places:
        return
    named = ", ".join(held[:CASES_NAMED]) + (
        f" and {len(held) - CASES_NAMED} more" if len(held) > CASES_NAMED else ""
    )
    if not instance.is_active:
        field, change = None, "deactivated"
    elif instance.role != stored["role"] and instance.role not in Role.with_caseload():
        field, change = "role", "given a role without a caseload"
    else:
        field, change = "fte", f"given an FTE of {instance.fte} (capacity {places})"
    message = (
        f"{instance.full_name} holds {len(held)} open cases, so cannot be {change}: reassign "
        f"{len(held) - places} of them first ({named})."
    )
    raise ValidationError({field: message} if field else message)


def workers_with_places() -> QuerySet[User]:
    """Everyone who can be given a case, each with `held_cases`."""
    return workers_with_capacity().annotate(held_cases=held_count())


@dataclass
class WorkerPlace:
    worker: User
    held_cases: int

    @property
    def capacity(self) -> int:
        return self.worker.capacity

    @property
    def free(self) -> int:
        return max(self.capacity - self.held_cases, 0)

    @property
    def is_full(self) -> bool:
        return self.held_cases >= self.capacity


def worker_places() -> list[WorkerPlace]:
    """Everyone who can be given a case, with the cases they hold against the cap."""
    workers: Any = workers_with_places()  # annotated with held_cases
    return [WorkerPlace(worker=w, held_cases=w.held_cases) for w in workers]
