from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from faker import Faker

from core.models import Role, User

_FAKER = Faker("en_GB")
_names_in_this_test: set[str] = set()


def forget_names() -> None:
    """Called before every test (tests/conftest.py): names need differ within a test only."""
    _names_in_this_test.clear()


def _a_distinct_name() -> tuple[str, str]:
    """A first and last name sharing no word with any name made so far in this test.

    Tests check that a page shows one person's name and not another's ("Martin" of
    one client must not be in another worker's page); two Faker names share a word
    one run in a few hundred. Names carry no apostrophe: a page escapes O'Brien, so
    a plain "name in page" check would fail (tests/referrals/test_referral_access.py
    checks such a name shows as written)."""
    for _ in range(50):
        first = _FAKER.first_name().replace("'", "")
        last = _FAKER.last_name().replace("'", "")
        if not any(
            mine in theirs or theirs in mine
            for mine in (first, last)
            for theirs in _names_in_this_test
        ):
            break
    _names_in_this_test.update((first, last))
    return first, last


#: Password of every factory user (passes the password validators).
PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")

    full_name = factory.LazyFunction(lambda: " ".join(_a_distinct_name()))
    role = Role.SPECIALIST
    fte = factory.LazyAttribute(
        lambda o: Decimal("1.0") if o.role in Role.with_caseload() else None
    )
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "referrals.Referral"

    reference = factory.Sequence(lambda n: f"E4E-TEST-{n:04d}")
    person_key = factory.Sequence(lambda n: f"person-{n}")
    received_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=3))
    source = "probation"

    class Params:
        any_name = factory.LazyFunction(_a_distinct_name)

    first_name = factory.LazyAttribute(lambda o: o.any_name[0])
    last_name = factory.LazyAttribute(lambda o: o.any_name[1])
    date_of_birth = factory.LazyFunction(lambda: datetime.date.today().replace(year=2000, day=1))
    postcode = "B12 9LP"
    cohort = "convicted"
    consent = True


class CaseFactory(factory.django.DjangoModelFactory):
    """An accepted referral's case, started the day after acceptance."""

    class Meta:
        model = "caseload.Case"
        skip_postgeneration_save = True

    referral = factory.SubFactory(
        ReferralFactory,
        status="accepted",
        decision_date=factory.LazyFunction(
            lambda: datetime.date.today() - datetime.timedelta(days=2)
        ),
    )
    worker = factory.SubFactory(UserFactory)
    accepted_date = factory.LazyAttribute(lambda o: o.referral.decision_date)
    start_date = factory.LazyAttribute(lambda o: o.accepted_date + datetime.timedelta(days=1))

    @factory.post_generation
    def grant(case, create, extracted, **kwargs):
        """As every path that gives a worker a case: the worker may open it."""
        if create:
            from caseload.case_access import follow_worker

            follow_worker(case)


def evaluator_pseudonym(case: Any) -> str:
    """The case's evaluators' pseudonym (made now if it has none yet, as on first listing)."""
    from caseload.pseudonyms import pseudonyms_of

    return pseudonyms_of(case).evaluator


def opcc_pseudonym(case: Any) -> str:
    """The case's OPCC pseudonym (made now if it has none yet)."""
    from caseload.pseudonyms import pseudonyms_of

    return pseudonyms_of(case).opcc
