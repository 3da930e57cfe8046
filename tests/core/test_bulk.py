"""Writing many records at once (core/bulk.py): checked in sets with full_clean's messages,
each problem named by its record, and inserted each with its creation history row."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from caseload.models import Contact
from core import bulk
from core.bulk import InvalidRecords, insert_with_history, stored_values, validate_in_sets
from core.models import User

pytestmark = pytest.mark.django_db


def contact(worker: User, **fields: Any) -> Contact:
    values = {
        "worker": worker,
        "date": date(2025, 10, 1),
        "mode": Contact.Mode.ADMIN,  # general admin time: no case needed
        "party": Contact.Party.NONE,
        "duration_minutes": 15,
        **fields,
    }
    return Contact(**values)


def full_clean_messages(record: Contact) -> list[str]:
    try:
        record.full_clean(exclude=["worker"], validate_constraints=False)
    except ValidationError as problem:
        return problem.messages
    return []


def test_each_bad_record_is_named_with_the_messages_full_clean_gives(specialist: User) -> None:
    contact(specialist, legacy_id="K9").save()
    batch = [
        contact(specialist, legacy_id="K1"),
        contact(specialist, legacy_id="K" * 65),
        contact(specialist, legacy_id="K3", mode="fax", duration_minutes=0),
        contact(specialist, legacy_id="K9"),  # stored already
        contact(specialist, legacy_id="K1"),  # twice in the batch
        contact(specialist, legacy_id=None),
    ]
    expected = {index: full_clean_messages(record) for index, record in enumerate(batch)}
    expected[4] = ["Contact with this Legacy id already exists."]  # full_clean sees one at a time

    with pytest.raises(InvalidRecords) as raised:
        validate_in_sets(batch, exclude={"worker"})

    assert raised.value.by_record == {index: m for index, m in expected.items() if m}
    assert sorted(raised.value.by_record) == [1, 2, 3, 4]


def test_a_good_batch_passes_and_a_missing_relation_is_named(specialist: User) -> None:
    validate_in_sets([contact(specialist, legacy_id=f"K{n}") for n in range(3)])
    unknown = contact(specialist, legacy_id="K4")
    unknown.worker_id = 0
    try:
        unknown.full_clean(validate_constraints=False)
    except ValidationError as problem:
        expected = problem.messages

    with pytest.raises(InvalidRecords) as raised:
        validate_in_sets([contact(specialist, legacy_id="K3"), unknown])

    assert raised.value.by_record == {1: expected}


def test_records_are_inserted_each_with_its_creation_history_row(specialist: User) -> None:
    gone = contact(specialist, legacy_id="K0")
    gone.save()
    Contact.objects.filter(pk=gone.pk).delete()
    new = [contact(specialist, legacy_id=f"K{n}") for n in (1, 2)]

    made = insert_with_history(Contact, new, specialist)

    assert min(record.pk for record in made) > gone.pk  # a deleted row's id never comes back
    stored = Contact.objects.filter(pk__in=[record.pk for record in made])
    assert sorted(stored.values_list("legacy_id", "duration_minutes")) == [("K1", 15), ("K2", 15)]
    history = Contact.history.filter(id__in=[record.pk for record in made])  # type: ignore[attr-defined]
    assert sorted(history.values_list("legacy_id", "history_type", "history_user")) == [
        ("K1", "+", specialist.pk),
        ("K2", "+", specialist.pk),
    ]
    assert all(record.created_at == record.updated_at is not None for record in made)


def test_stored_values_reads_the_column_once_past_the_in_list_limit(
    specialist: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(4):
        contact(specialist, legacy_id=f"K{n}").save()
    wanted = ["K1", "K3", "K7"]
    few = stored_values(Contact, "legacy_id", wanted)

    monkeypatch.setattr(bulk, "IN_LIST_LIMIT", 2)

    assert stored_values(Contact, "legacy_id", wanted) == few == {"K1", "K3"}
