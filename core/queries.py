"""Query idioms every app uses: a count or a sum over related rows as a subquery annotation,
so that a list of N rows costs one query, not N (and no GROUP BY over the outer rows)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce


def count_by(queryset: QuerySet[Any], field: str) -> Coalesce:
    """An annotation for an outer query: how many rows of `queryset` have `field` equal to
    the outer row's pk (0 when none)."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def sum_by(queryset: QuerySet[Any], field: str, value: str) -> Coalesce:
    """An annotation for an outer query: the sum of `value` over the rows of `queryset` that
    have `field` equal to the outer row's pk (0 when none)."""
    summed = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(total=Sum(value))
        .values("total")
    )
    return Coalesce(Subquery(summed, output_field=IntegerField()), 0)
