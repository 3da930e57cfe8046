"""Stable keyed pseudonyms for cases, as the returns and the evaluators see them.

A pseudonym is HMAC-SHA256 of the case id under settings.PSEUDONYM_KEY (held apart from
SECRET_KEY in production), cut to six hex digits: "P-3F9A2C". Without the key the
pseudonym cannot be traced back to the case; with it, the provider can (to write or check
a case update). Six digits give 16.7 million values: collisions are possible but very
unlikely among a few hundred cases, and `case_pseudonyms` refuses them rather than mix two
people up.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from django.conf import settings

PREFIX = "P-"
DIGITS = 6


def case_pseudonym(case_id: int) -> str:
    key = settings.PSEUDONYM_KEY.encode()
    digest = hmac.new(key, f"case:{int(case_id)}".encode(), hashlib.sha256).hexdigest()
    return PREFIX + digest[:DIGITS].upper()


def case_pseudonyms(case_ids: Iterable[int]) -> dict[str, int]:
    """Pseudonym -> case id for the given cases; raises if two cases share a pseudonym."""
    result: dict[str, int] = {}
    for case_id in case_ids:
        pseudonym = case_pseudonym(case_id)
        if pseudonym in result and result[pseudonym] != case_id:
            raise ValueError("Two cases have the same pseudonym; lengthen the pseudonyms.")
        result[pseudonym] = case_id
    return result
