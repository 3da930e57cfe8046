"""The one way to save (or delete) a record with its history: who changed it, and why.

Every model with ``HistoricalRecords`` gains a history row on each save and delete. The row's
user is the instance's ``_history_user`` when set, else the signed-in user of the current
request (HistoryRequestMiddleware); its reason is the instance's ``_change_reason``. These two
attributes are django-simple-history's documented way to say who and why before a write.

Services say who acts every time, through here, rather than leave it to the request: tasks,
commands and the importer have no request, and within one the person acting is not always
the one signed in (the system user, someone setting their password from an emailed link).
Setting the attributes by hand is what this replaces: they are private names the type checker
does not know (each use needed a ``type: ignore``), and a forgotten one is silently wrong.

    history.save(referral, by=user)
    history.save(contact, by=user, reason="Typo in the employer's name")
    history.delete(budget_item, by=user)

The reason is set as the attribute rather than with ``simple_history.utils.
update_change_reason``, which edits the newest row after the save: one write, not three
queries. Bulk inserts name their user through ``bulk_create_with_history(default_user=...)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Model

if TYPE_CHECKING:
    from core.models import User


def _attribute(obj: Model, *, by: User | None, reason: str) -> None:
    """Name who and why for the history row of the instance's next write.

    `by=None` records no user (it does not fall back to the request's). A reason is only ever
    the one given: one left from an earlier write of the same instance is removed, so a write
    without a reason records none. The user, like simple_history's, stays on the instance.
    """
    target: Any = obj  # the attributes simple_history reads are not declared on models
    target._history_user = by
    if reason:
        target._change_reason = reason
    else:
        vars(target).pop("_change_reason", None)


def save[M: Model](
    obj: M, *, by: User | None, reason: str = "", update_fields: Iterable[str] | None = None
) -> M:
    """Save `obj`, its history row recording `by` as the one who changed it and `reason` (the
    history's reason column holds at most 100 characters) as why; return `obj`."""
    _attribute(obj, by=by, reason=reason)
    obj.save(update_fields=update_fields)
    return obj


def delete(obj: Model, *, by: User | None, reason: str = "") -> tuple[int, dict[str, int]]:
    """Delete `obj`, its last history row (type "-") recording `by` and `reason`; return what
    Model.delete returns."""
    _attribute(obj, by=by, reason=reason)
    return obj.delete()
