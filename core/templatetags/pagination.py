"""The GOV.UK pagination's page numbers: Django's elided page range (the first and last
pages, the current one and one either side, ellipses between)."""

from __future__ import annotations

from collections.abc import Iterator

from django import template
from django.core.paginator import Page

register = template.Library()


@register.simple_tag
def elided_page_range(page_obj: Page) -> Iterator[str | int]:
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)
