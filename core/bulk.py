"""Writing many records at once, each with its creation history row: checked in sets, then
inserted with COPY on PostgreSQL and executemany on SQLite. The legacy import's and the
synthetic history's bulk paths both write through here.

Checking: `validate_in_sets` checks what `full_clean` checks (fields, references, unique
fields; check constraints are left to the database, which enforces them), a batch at a
time: a field's value once per distinct value (dates, codes and workers repeat), a
reference once per batch, a unique field once per batch against the table. Asking the
database per record and per rule made a 6,000-row import take minutes; each problem still
names its record, by its position in the batch (`InvalidRecords.by_record`).

Inserting: Django's bulk_create builds each INSERT's SQL value by value, which at two
million contacts (and as many history rows) takes the best part of an hour. Here each row's
values are prepared once by its fields (`get_db_prep_save`, so they are stored exactly as
the ORM stores them) and streamed in; fields made from the others (search keys) are made
first, as save() makes them. Ids are taken from the table's sequence first, so the
records and their history rows can name them; each history row is the "+" row
simple_history writes on creation: made now by `by`, or when and by whom the record says
(`_history_date`, `_history_user`, as the synthetic history sets them).
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone

from core.search_keys import search_key_fields

Row = list[Any]

#: Up to this many values are looked up with IN; beyond, the column is read once instead:
#: an IN list of thousands of values costs more to build and send than the column to read.
IN_LIST_LIMIT = 1000


class InvalidRecords(ValidationError):
    """Records of a batch that failed validation: their positions in the batch, each with
    its messages (in the order full_clean gives them)."""

    def __init__(self, by_record: dict[int, list[str]]) -> None:
        self.by_record = dict(sorted(by_record.items()))
        super().__init__([message for messages in self.by_record.values() for message in messages])


def stored_values(model: type[models.Model], field: str, values: Collection[Any]) -> set[Any]:
    """Those of `values` that some stored row of `model` holds in `field`."""
    if not values:
        return set()
    rows = model._default_manager.all()
    if len(values) <= IN_LIST_LIMIT:
        return set(rows.filter(**{f"{field}__in": values}).values_list(field, flat=True))
    column = rows.exclude(**{f"{field}__isnull": True}).values_list(field, flat=True)
    wanted = set(values)
    return {value for value in column.iterator(chunk_size=10_000) if value in wanted}


def validate_in_sets(objs: Sequence[models.Model], *, exclude: Collection[str] = ()) -> None:
    """Check unsaved records as full_clean(exclude=..., validate_constraints=False) would,
    with a query per relation and per unique field, not per record. Cleaned values are set
    on the records, as full_clean sets them. Raises InvalidRecords."""
    if not objs:
        return
    model = type(objs[0])
    errors: dict[int, list[str]] = defaultdict(list)
    failed: dict[str, set[int]] = defaultdict(set)
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in exclude:
            continue
        check = _check_references if field.is_relation else _check_values
        for index, messages in check(field, objs):
            errors[index] += messages
            failed[field.name].add(index)
    if type(objs[0]).clean is not models.Model.clean:
        for index, obj in enumerate(objs):
            try:
                obj.clean()
            except ValidationError as problem:
                errors[index] += problem.messages
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key and field.name not in exclude:
            for index, messages in _check_unique(field, objs, failed[field.name]):
                errors[index] += messages
    if errors:
        raise InvalidRecords(errors)


def _check_values(
    field: models.Field[Any, Any], objs: Sequence[models.Model]
) -> Iterator[tuple[int, list[str]]]:
    empty = field.empty_values if field.blank else ()
    holders: dict[Any, list[int]] = defaultdict(list)
    for index, value in enumerate([getattr(obj, field.attname) for obj in objs]):
        if value in empty:
            continue
        try:
            holders[value].append(index)
        except TypeError:  # unhashable (a JSON list): checked on its own
            yield from _clean_value(field, objs, value, [index])
    for value, indexes in holders.items():
        yield from _clean_value(field, objs, value, indexes)


def _clean_value(
    field: models.Field[Any, Any], objs: Sequence[models.Model], value: Any, indexes: list[int]
) -> Iterator[tuple[int, list[str]]]:
    try:
        cleaned = field.clean(value, objs[indexes[0]])
    except ValidationError as problem:
        for index in indexes:
            yield index, problem.messages
        return
    if type(cleaned) is not type(value) or cleaned != value:
        for index in indexes:
            setattr(objs[index], field.attname, cleaned)


def _check_references(
    field: models.Field[Any, Any], objs: Sequence[models.Model]
) -> Iterator[tuple[int, list[str]]]:
    """Each related id exists (one query for the batch); an empty one is allowed or not."""
    target = field.target_field  # type: ignore[attr-defined]
    related = field.related_model
    assert isinstance(related, type)
    empty = field.empty_values if field.blank else ()
    holders: dict[Any, list[int]] = defaultdict(list)
    for index, obj in enumerate(objs):
        value = getattr(obj, field.attname)
        if value in empty:
            continue
        if value is None:
            yield index, [str(field.error_messages["null"])]
        else:
            holders[value].append(index)
    found = stored_values(related, target.attname, list(holders))
    for value in holders.keys() - found:
        problem = ValidationError(
            field.error_messages["invalid"],
            code="invalid",
            params={
                "model": related._meta.verbose_name,
                "pk": value,
                "field": target.name,
                "value": value,
            },
        )
        for index in holders[value]:
            yield index, problem.messages


def _check_unique(
    field: models.Field[Any, Any], objs: Sequence[models.Model], failed: set[int]
) -> Iterator[tuple[int, list[str]]]:
    """No two records of the batch, and no stored row, share the value (one query)."""
    first: dict[Any, int] = {}
    repeated: list[int] = []
    for index, obj in enumerate(objs):
        value = getattr(obj, field.attname)
        if value is None or index in failed:
            continue
        if value in first:
            repeated.append(index)
        else:
            first[value] = index
    taken = stored_values(type(objs[0]), field.attname, list(first))
    clashes = sorted([first[value] for value in taken] + repeated)
    for index in clashes:
        obj = objs[index]
        yield index, obj.unique_error_message(type(obj), (field.name,)).messages


# --- inserting -----------------------------------------------------------------------------


def _columns(model: type[models.Model], *, with_pk: bool) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]


def build[M: models.Model](model: type[M], values: Sequence[dict[str, Any]]) -> list[M]:
    """Unsaved records from their fields' values, a relation by its id (`case_id`), each
    absent field with its default. Made positionally, as Model.from_db makes them: passing
    related records by keyword costs each record more than checking and inserting it."""
    fields = [(field.attname, field.get_default) for field in model._meta.concrete_fields]
    names = {name for name, _ in fields}
    made = []
    for given in values:
        if unknown := given.keys() - names:
            raise TypeError(f"{model.__name__} has no fields {', '.join(sorted(unknown))}")
        made.append(
            model(*[given[name] if name in given else default() for name, default in fields])
        )
    return made


#: Fields whose database value is the Python value itself when it has this type: they are
#: streamed as they are, without a call per value.
_AS_IS = {
    "AutoField": int,
    "BigAutoField": int,
    "BigIntegerField": int,
    "BooleanField": bool,
    "CharField": str,
    "EmailField": str,
    "ForeignKey": int,
    "IntegerField": int,
    "OneToOneField": int,
    "PositiveBigIntegerField": int,
    "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int,
    "SmallIntegerField": int,
    "TextField": str,
}


class _Prepared:
    """A field's database value for each Python value, worked out once per distinct value:
    most values repeat (dates, codes, the same worker), and preparing them is the cost."""

    def __init__(self, field: models.Field[Any, Any]) -> None:
        self.field = field
        self.seen: dict[Any, Any] = {}
        self.as_is = _AS_IS.get(field.get_internal_type())

    def __call__(self, value: Any) -> Any:
        if value is None or type(value) is self.as_is:
            return value
        try:
            return self.seen[value]
        except KeyError:
            prepared = self.seen[value] = self.field.get_db_prep_save(value, connection)
            return prepared
        except TypeError:  # unhashable (a JSON list)
            return self.field.get_db_prep_save(value, connection)


def _rows(objs: Sequence[Any], fields: list[models.Field[Any, Any]]) -> Iterator[Row]:
    """Each record's values of `fields` (read by attname), prepared for the database."""
    read = operator.attrgetter(*(field.attname for field in fields))
    preps = [_Prepared(field) for field in fields]
    for obj in objs:
        values = read(obj) if len(fields) > 1 else (read(obj),)
        yield [
            value if value is None or type(value) is prep.as_is else prep(value)
            for value, prep in zip(values, preps, strict=True)
        ]


def _new_ids(model: type[models.Model], count: int) -> list[int]:
    table = model._meta.db_table
    pk = connection.ops.quote_name(str(model._meta.pk.column))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction holds the database's write lock (IMMEDIATE), so no one
        # else can take these ids before they are written. Past the highest id ever given
        # (sqlite_sequence, for AUTOINCREMENT), not only the highest stored: an id of a
        # deleted row must not come back, with that row's history.
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX({pk}) FROM {connection.ops.quote_name(table)}), 0), "  # noqa: S608
            "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def _insert(table: str, columns: list[str], rows: Iterator[Row]) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    name = connection.ops.quote_name(table)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            raw: Any = cursor.cursor
            with raw.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {name} ({quoted}) VALUES ({marks})", list(rows))  # noqa: S608


def insert_with_history[M: models.Model](model: type[M], objs: Sequence[M], by: Any) -> list[M]:
    """Insert `objs` (unsaved) and their creation history rows; return them with ids."""
    if not objs:
        return []
    now = timezone.now()
    stamped = [
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    # Keys made from the record's fields (a referral's search keys), as save() makes them.
    keys = search_key_fields(model)
    for obj, pk in zip(objs, _new_ids(model, len(objs)), strict=True):
        obj.pk = pk
        for name in stamped:
            setattr(obj, name, now)
        for key in keys:
            key.pre_save(obj, True)
        obj._state.adding = False
        obj._state.db = connection.alias
    fields = _columns(model, with_pk=True)
    _insert(model._meta.db_table, [str(f.column) for f in fields], _rows(objs, fields))
    history: Any = getattr(model, "history", None)
    if history is not None:
        _insert_history(history.model, objs, by, now)
    return list(objs)


#: The history row's own columns, after the record's tracked fields.
_HISTORY_COLUMNS = ("history_date", "history_user_id", "history_type", "history_change_reason")


def _insert_history(history_model: Any, objs: Sequence[models.Model], by: Any, now: Any) -> None:
    tracked_names = {f.attname for f in history_model.tracked_fields}
    fields = _columns(history_model, with_pk=False)
    own = {f.attname: f for f in fields if f.attname not in tracked_names}
    if unknown := own.keys() - set(_HISTORY_COLUMNS):
        raise ValueError(f"No value for the history fields {', '.join(sorted(unknown))}")
    tracked = [f for f in fields if f.attname in tracked_names]
    by_id = getattr(by, "pk", None)

    def rows() -> Iterator[Row]:
        for obj, values in zip(objs, _rows(objs, tracked), strict=True):
            user = getattr(obj, "_history_user", None)
            moment = getattr(obj, "_history_date", now)
            yield [*values, moment, user.pk if user is not None else by_id, "+", None]

    columns = [str(f.column) for f in tracked] + [
        str(own[name].column) for name in _HISTORY_COLUMNS
    ]
    _insert(history_model._meta.db_table, columns, rows())
