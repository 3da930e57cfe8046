"""The factories' names: a test checking one person's name is absent from a page must
not fail because another person made in the same test shares a word of it."""

from __future__ import annotations

import pytest

from tests.factories import ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_no_two_people_made_in_one_test_share_a_word_of_their_names() -> None:
    clients = ReferralFactory.create_batch(40)
    workers = UserFactory.create_batch(20)
    words = [w for r in clients for w in (r.first_name, r.last_name)]
    words += [w for u in workers for w in u.full_name.split()]
    assert not [(a, b) for i, a in enumerate(words) for b in words[i + 1 :] if a in b or b in a]
    assert not [word for word in words if "'" in word]
