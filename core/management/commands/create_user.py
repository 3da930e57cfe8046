from __future__ import annotations

import getpass
import os
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.models import Role
from core.services import user_create
from core.system_user import system_user


class Command(BaseCommand):
    help = (
        "Create a user. The password is read from E4E_PASSWORD, or asked for at the prompt; "
        "with neither, the account is created without a password and must be invited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="Full name")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--fte", help="Full-time equivalent (specialists and managers)")

    def handle(self, *args: Any, **options: Any) -> None:
        fte = None
        if options["fte"] is not None:
            try:
                fte = Decimal(options["fte"])
            except InvalidOperation as error:
                raise CommandError("--fte must be a number, like 1 or 0.6") from error
        password = os.environ.get("E4E_PASSWORD")
        if password is None and options.get("interactive", True) and os.isatty(0):
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords do not match.")
        if password:
            try:
                password_validation.validate_password(password)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        try:
            user = user_create(
                email=options["email"],
                full_name=options["name"],
                role=options["role"],
                fte=fte,
                password=password or None,
                by=system_user(),
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        state = "with a password" if password else "without a password (invite them to set one)"
        self.stdout.write(self.style.SUCCESS(f"Created {user.role} {user.email} {state}."))
