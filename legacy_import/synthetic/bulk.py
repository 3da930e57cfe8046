"""Inserting the synthetic history fast: COPY on PostgreSQL, executemany on SQLite.

Django's bulk_create builds each INSERT's SQL value by value, which at two million
contacts (and as many history rows) takes the best part of an hour. Here each row's values
are prepared once by its fields (`get_db_prep_save`, so they are stored exactly as the ORM
stores them) and streamed in. Ids are taken from the table's sequence first, so the records
and their history rows can name them; each history row is the "+" row simple_history
writes on creation, with the date and user the record was made with (`plan.made`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

Row = list[Any]


def _columns(model: type[models.Model], *, with_pk: bool) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]


class _Prepared:
    """A field's database value for each Python value, worked out once per distinct value:
    most values repeat (dates, codes, the same worker), and preparing them is the cost."""

    def __init__(self, field: models.Field[Any, Any]) -> None:
        self.field = field
        self.seen: dict[Any, Any] = {}
        self.plain = isinstance(field, models.AutoField | models.BigIntegerField)

    def __call__(self, value: Any) -> Any:
        if self.plain or value is None:
            return value
        try:
            return self.seen[value]
        except KeyError:
            prepared = self.seen[value] = self.field.get_db_prep_save(value, connection)
            return prepared
        except TypeError:  # unhashable (a JSON list)
            return self.field.get_db_prep_save(value, connection)


def _new_ids(model: type[models.Model], count: int) -> list[int]:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction holds the database's write lock (IMMEDIATE), so no one
        # else can take these ids before they are written.
        cursor.execute(f"SELECT COALESCE(MAX({model._meta.pk.column}), 0) FROM {table}")  # noqa: S608
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def _insert(table: str, columns: list[str], rows: Iterator[Row]) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    name = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
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
    for obj, pk in zip(objs, _new_ids(model, len(objs)), strict=True):
        obj.pk = pk
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                setattr(obj, field.attname, now)
        obj._state.adding = False
        obj._state.db = connection.alias
    fields = _columns(model, with_pk=True)
    preps = [(f.attname, _Prepared(f)) for f in fields]

    def rows() -> Iterator[Row]:
        for obj in objs:
            yield [prep(getattr(obj, name)) for name, prep in preps]

    _insert(model._meta.db_table, [str(f.column) for f in fields], rows())
    history: Any = getattr(model, "history", None)
    if history is not None:
        _insert_history(history.model, objs, by, now)
    return list(objs)


def _insert_history(history_model: Any, objs: Sequence[models.Model], by: Any, now: Any) -> None:
    fields = _columns(history_model, with_pk=False)
    tracked = {f.attname for f in history_model.tracked_fields}
    by_id = getattr(by, "pk", None)

    def value(field: Any, obj: Any) -> Any:
        name = field.attname
        if name in tracked:
            return getattr(obj, name)
        if name == "history_date":
            return getattr(obj, "_history_date", now)
        if name == "history_user_id":
            user = getattr(obj, "_history_user", None)
            return user.pk if user is not None else by_id
        if name == "history_type":
            return "+"
        if name == "history_change_reason":
            return None
        raise ValueError(f"No value for the history field {name}")

    preps = [(f, _Prepared(f)) for f in fields]

    def rows() -> Iterator[Row]:
        for obj in objs:
            yield [prep(value(f, obj)) for f, prep in preps]

    _insert(history_model._meta.db_table, [str(f.column) for f in fields], rows())
