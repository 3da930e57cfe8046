"""What the caseload's services share: the case row lock, and recording or correcting a
record so that saving the same facts again adds no history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models

from caseload.models import Case
from core import history
from core.models import User


def lock_case(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def changed_fields(instance: models.Model, fields: dict[str, Any]) -> dict[str, Any]:
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


def validate_and_save(instance: models.Model, fields: dict[str, Any], by: User | None) -> None:
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


def record_or_correct[M: models.Model](
    model: type[M], instance: M | None, by: User | None, **fields: Any
) -> M:
    if instance is None:
        instance = model(**fields)
    else:
        fields = changed_fields(instance, fields)
        if not fields:
            return instance
        for name, value in fields.items():
            setattr(instance, name, value)
    validate_and_save(instance, fields, by)
    return instance


def refuse_if_closed(case: Case, to: str) -> None:
    """A closed case takes only what can come after the person has left (their feedback, a
    complaint, a case study, an offence or a threat-to-life disclosure coming to light) and
    the follow-up closing leaves running (an outcome's end, its sustainment checks). Any
    other addition needs the case reopened first: `to` says what, e.g. "log a contact"."""
    if case.closed_date is not None:
        raise ValidationError(f"This case is closed. Reopen it to {to}.")
