"""Several of a case's tables read in one query: the rows of a few querysets on the case, as
model instances.

The case page shows a few rows from each of a dozen small tables (the records of each kind,
risk assessments, goals, tasks); a query for each was most of its queries. Here each
queryset's rows are selected as JSON objects of their columns, all in one UNION ALL, and
made model instances again by each field's to_python, as Django's deserialisers do. Each
instance's case is the case given, so reaching it makes no query.
"""

from __future__ import annotations

import datetime
from operator import attrgetter
from typing import Any

from django.db import models
from django.db.models import QuerySet, Value
from django.db.models.functions import JSONObject
from django.utils import timezone

from caseload.models.cases import Case

#: Fields whose value JSON would not bring back exactly: a decimal would come back a float,
#: and JSON held in a column comes back a string from SQLite but parsed from PostgreSQL.
NOT_KEPT_BY_JSON = (models.DecimalField, models.BinaryField, models.JSONField)


class CaseRows:
    """The rows of several querysets (each of one model, not filtered to a case) on one case
    at a time, in one query, each under its name and in its model's order.

    Made once and read for each case: building the JSON of every model's columns took the
    ORM as long as running the query, so it is built here, and each read only filters the
    querysets to its case (cloning them, as a generic view does its queryset).
    """

    def __init__(self, querysets: dict[str, QuerySet[Any]]) -> None:
        self.models = {name: queryset.model for name, queryset in querysets.items()}
        self.parts = [
            queryset.order_by()
            .annotate(
                case_rows_name=Value(name, output_field=models.CharField()),
                case_rows_row=JSONObject(**{f.attname: f.attname for f in _fields(queryset.model)}),
            )
            .values_list("case_rows_name", "case_rows_row")
            for name, queryset in querysets.items()
        ]

    def of(self, case: Case) -> dict[str, list[Any]]:
        parts = [part.filter(case=case) for part in self.parts]
        found: dict[str, list[Any]] = {name: [] for name in self.models}
        for name, row in parts[0].union(*parts[1:], all=True).order_by():
            found[name].append(_instance(self.models[name], row, case))
        for name, rows in found.items():
            _sort_as_the_model_orders(self.models[name], rows)
        return found


def _fields(model: type[models.Model]) -> list[Any]:
    fields = model._meta.concrete_fields
    kept = [f for f in fields if not isinstance(f, NOT_KEPT_BY_JSON)]
    if len(kept) < len(fields):
        raise TypeError(f"{model.__name__} has a field JSON would change: read it on its own")
    return kept


def _instance(model: type[models.Model], row: dict[str, Any], case: Case) -> Any:
    values = {}
    for field in model._meta.concrete_fields:
        value = field.to_python(row[field.attname])
        if isinstance(value, datetime.datetime) and timezone.is_naive(value):
            value = value.replace(tzinfo=datetime.UTC)  # SQLite keeps UTC without the offset
        values[field.attname] = value
    instance = model(**values)
    instance.case = case  # type: ignore[attr-defined]
    return instance


def _sort_as_the_model_orders(model: type[models.Model], rows: list[Any]) -> None:
    for name in reversed([str(name) for name in model._meta.ordering or []]):
        rows.sort(key=attrgetter(name.removeprefix("-")), reverse=name.startswith("-"))
