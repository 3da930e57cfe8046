"""`{% load money %}`, then `{{ pence|pounds }}`: money held in pence, shown in pounds."""

from __future__ import annotations

from django import template

from core.money import format_pounds

register = template.Library()


@register.filter
def pounds(pence: int | None) -> str:
    return format_pounds(pence)
