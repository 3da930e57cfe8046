from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory

from core.models import Role, User

#: Password of every factory user (passes the password validators).
PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")

    class Params:
        # Faker's names include O'Brien; a page escapes the apostrophe, so a
        # plain "name in page" check would fail one run in a few hundred.
        # tests/referrals/test_referral_access.py checks such a name shows.
        any_name = factory.Faker("name", locale="en_GB")

    full_name = factory.LazyAttribute(lambda o: o.any_name.replace("'", ""))
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
        # Without apostrophes, as for UserFactory.full_name.
        any_first_name = factory.Faker("first_name", locale="en_GB")
        any_last_name = factory.Faker("last_name", locale="en_GB")

    first_name = factory.LazyAttribute(lambda o: o.any_first_name.replace("'", ""))
    last_name = factory.LazyAttribute(lambda o: o.any_last_name.replace("'", ""))
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
