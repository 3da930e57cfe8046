"""The GOV.UK pagination partial: the first and last pages, the current one and one either
side, ellipses between, and every link keeps the page's filters."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_the_pages_around_the_current_one_show_with_ellipses_and_keep_the_filters() -> None:
    page = Paginator(range(100), 10).get_page(5)
    request = RequestFactory().get("/referrals/", {"source": "police", "page": "5"})
    html = render_to_string("includes/pagination.html", {"page_obj": page}, request=request)
    numbers = re.findall(r'aria-label="Page (\d+)"', html)
    assert numbers == ["1", "4", "5", "6", "10"]
    assert html.count("govuk-pagination__item--ellipsis") == 2
    assert 'href="?source=police&amp;page=4"' in html
    assert 'aria-current="page">5<' in html


def test_one_page_shows_no_pagination() -> None:
    page = Paginator(range(5), 10).get_page(1)
    html = render_to_string("includes/pagination.html", {"page_obj": page})
    assert html.strip() == ""
