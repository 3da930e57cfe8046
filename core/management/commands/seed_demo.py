from __future__ import annotations

from decimal import Decimal
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from core.models import Role, User
from core.services import user_create
from core.system_user import system_user

#: The password of every demo account. Demo data exists only with DEBUG on.
DEMO_PASSWORD = "e4e-demo-password"  # noqa: S105

DEMO_USERS: list[tuple[str, str, Role, Decimal | None]] = [
    ("specialist@demo.e4e.invalid", "Sam Specialist", Role.SPECIALIST, Decimal("1")),
    ("parttime@demo.e4e.invalid", "Priya Parttime", Role.SPECIALIST, Decimal("0.6")),
    ("manager@demo.e4e.invalid", "Morgan Manager", Role.MANAGER, Decimal("0.2")),
    ("opcc@demo.e4e.invalid", "Olu OPCC", Role.OPCC, None),
    ("evaluator@demo.e4e.invalid", "Eve Evaluator", Role.EVALUATOR, None),
    ("admin@demo.e4e.invalid", "Ada Admin", Role.ADMIN, None),
]


#: Each app that has demo data: a module with `seed_demo_data(*, users, by)`, idempotent,
#: taking the demo users by email. Listed in the order they build on each other.
DEMO_DATA_MODULES: list[str] = [
    "referrals.demo",
    "caseload.demo",
    "enterprise_fund.demo",
    "privacy.demo",
]


class Command(BaseCommand):
    help = "Load the demo data: one account per role (password printed). Only with DEBUG on."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password and runs only with "
                "DEBUG=true."
            )
        by = system_user()
        for email, name, role, fte in DEMO_USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user_create(
                    email=email,
                    full_name=name,
                    role=role,
                    fte=fte,
                    password=DEMO_PASSWORD,
                    by=by,
                )
            elif not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
        users = {email: User.objects.get(email=email) for email, *_ in DEMO_USERS}
        for module in DEMO_DATA_MODULES:
            import_module(module).seed_demo_data(users=users, by=by)
        if not options["quiet"]:
            self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
            for email, _name, role, _fte in DEMO_USERS:
                self.stdout.write(f"  {role.label:<22} {email}")
