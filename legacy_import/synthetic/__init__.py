"""A synthetic history at scale (`manage.py seed_scale --clients N`), for measuring pages and
returns against a service of a given size: about three years of referrals, cases, contacts,
assessments, outcomes, tasks and fund bids, in proportion to N, written in bulk.

It lives beside the legacy import because it is the same kind of writer: it records a
history as it stood, in bulk, on rows it has made consistent itself, rather than through
the screens' services one write at a time. The rules those services keep are kept here by
construction: every case goes to a worker with room under the cap on its acceptance date
(so no one holds more than floor(25 x FTE) open cases at any time), records fall within
their case's dates, awards come out of the fund's balance with a ledger entry each, and
every row gets the creation row of its history, dated when the record was made.

The people are made up (names from short lists, emails under `.invalid`), and every
synthetic referral's person key starts with `scale-`, so they can be told apart.
"""

from legacy_import.synthetic.plan import SYNTHETIC_PERSON_KEY_PREFIX, seed_scale

__all__ = ["SYNTHETIC_PERSON_KEY_PREFIX", "seed_scale"]
