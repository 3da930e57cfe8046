"""pk_url gives the URL reverse() gives, for every pk, from one reverse()."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from core.utils import pk_url


@pytest.mark.parametrize("name", ["caseload:contact-note", "caseload:outcome-end"])
def test_each_pk_gets_the_url_reverse_gives_it(name: str) -> None:
    url = pk_url(name)
    for pk in (1, 7, 42, 10**12):
        assert url(pk) == reverse(name, args=[pk])


def test_a_url_that_takes_no_pk_is_refused() -> None:
    with pytest.raises(NoReverseMatch):
        pk_url("caseload:home")
