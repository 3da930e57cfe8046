"""The pseudonym scheme: what a pseudonym looks like and how a new one is made.

The pseudonyms themselves are stored, one row per case (caseload.pseudonyms): made once,
from this module's random values, and never recomputed. Two spaces, each unique in its own
column and told apart by its prefix, so neither can be mistaken for, or joined with, the
other:

- the evaluators' pseudonyms, "P-" (records, extract, API);
- the OPCC's pseudonyms, "R-" (the quarterly return's active cases and per-case updates).

A new pseudonym is 12 characters of Crockford's base32 (no I, L, O or U) from the
operating system's CSPRNG, in three groups of four: "P-7KQ2-XM4D-9ABE". That is 60 bits:
among a million cases the chance that any two were ever drawn the same is under one in
two million, and a draw that clashes with a stored one is drawn again (the unique index
finds it). Being random, a pseudonym is linked to its case by the stored row alone: no
key can recompute it.

Cases pseudonymised before the pseudonyms were stored keep the evaluators' pseudonym they
had: HMAC-SHA256 of the case id under settings.PSEUDONYM_KEY, cut to six hex digits
("P-3F9A2C"). `hmac_pseudonym` computes it for the migrations that stored it; nothing
else uses it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

EVALUATOR_PREFIX = "P-"
OPCC_PREFIX = "R-"
#: Crockford's base32: digits and capitals without I, L, O and U.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
GROUP = 4
#: Room for the prefix, the characters and the dashes between the groups.
MAX_LENGTH = 24


def new_pseudonym(prefix: str) -> str:
    """A new random pseudonym in the space of `prefix` (EVALUATOR_PREFIX or OPCC_PREFIX)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return prefix + "-".join(chars[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalised(value: str) -> str:
    """A pseudonym as typed or pasted, as it is stored: trimmed, in capitals."""
    return value.strip().upper()


def hmac_pseudonym(case_id: int, key: str) -> str:
    """The six-digit evaluators' pseudonym of a case made before pseudonyms were stored."""
    digest = hmac.new(key.encode(), f"case:{int(case_id)}".encode(), hashlib.sha256)
    return EVALUATOR_PREFIX + digest.hexdigest()[:6].upper()
