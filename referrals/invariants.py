"""The referrals' invariants, recomputed from the rows (see core/invariants.py)."""

from __future__ import annotations

from core.search_keys import search_key_fields
from referrals.models import Referral

#: At most this many referrals are named (a write that went round the model breaks many).
NAMED = 20


def search_key_problems() -> list[str]:
    """Referrals whose search keys are not those their details make: a write that went round
    the model (a queryset's update, raw SQL) would leave a person findable by details they
    no longer have, or an anonymised one by their old name."""
    keys = search_key_fields(Referral)
    read = ["reference", "first_name", "last_name", "phone", "postcode", "anonymised_at"]
    rows = Referral.objects.order_by("pk").only(*read, *(key.name for key in keys))
    problems = []
    for referral in rows.iterator(chunk_size=2000):
        stale = [
            key.name for key in keys if getattr(referral, key.attname) != key.made_for(referral)
        ]
        if stale:
            problems.append(
                f"Referral {referral.pk}: its search keys ({', '.join(stale)}) do not match "
                "its details."
            )
            if len(problems) == NAMED:
                break
    return problems


def problems() -> list[str]:
    return search_key_problems()
