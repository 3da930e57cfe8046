"""`{% load dates %}`, then `{{ value|listdate:"j F Y" }}`: Django's `date` filter, made fast
for pages that list hundreds of dates (core.dates)."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.template.defaultfilters import date as django_date

from core.dates import format_date

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def listdate(value: Any, arg: str | None = None) -> str:
    """As `{{ value|date:arg }}` (a datetime already in local time, as for Django's)."""
    if arg is None or not isinstance(value, datetime.date):
        return django_date(value, arg)
    return format_date(value, arg)
