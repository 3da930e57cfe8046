from __future__ import annotations

from decimal import Decimal

import factory

from e4e.models import Role, User

#: Password of every factory user (passes the password validators).
PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.SPECIALIST
    fte = factory.LazyAttribute(
        lambda o: Decimal("1.0") if o.role in Role.with_caseload() else None
    )
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()
