"""Two-factor sign-in: TOTP (django-otp) with single-use backup codes."""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify

import structlog
from django.db import transaction
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from core.models import User

logger = structlog.get_logger("e4e.auth")

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


def new_totp_key() -> str:
    """A fresh secret (hex), held in the session until the user confirms a code from it."""
    return default_key()


def totp_key_base32(hex_key: str) -> str:
    return b32encode(unhexlify(hex_key)).decode().rstrip("=")


def totp_config_url(user: User, hex_key: str) -> str:
    device = TOTPDevice(user=user, key=hex_key, name=TOTP_DEVICE_NAME)
    return device.config_url


#: Steps either side of the current one whose codes are accepted: a code typed just before
#: its 30 seconds ran out still works when a busy moment delays the request. django-otp still
#: refuses any code of a step at or before the last one used, so no code works twice.
TOLERANCE_STEPS = 1


def totp_code_matches(hex_key: str, code: str) -> bool:
    """Whether `code` is a current code for a key not yet saved (during enrolment)."""
    if not code.isdigit():
        return False
    totp = TOTP(unhexlify(hex_key), step=30, digits=6)
    return totp.verify(int(code), tolerance=TOLERANCE_STEPS)


@transaction.atomic
def totp_enrol(*, user: User, hex_key: str) -> list[str]:
    """Save the confirmed authenticator and issue backup codes; returns the codes."""
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(
        user=user,
        key=hex_key,
        name=TOTP_DEVICE_NAME,
        confirmed=True,
        tolerance=TOLERANCE_STEPS,
    )
    codes = backup_codes_regenerate(user=user)
    logger.info("auth.2fa_enrolled", user_id=user.pk)
    return codes


@transaction.atomic
def backup_codes_regenerate(*, user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    logger.info("auth.backup_codes_issued", user_id=user.pk)
    return codes


def second_factor_device(*, user: User, code: str) -> object | None:
    """The device that accepts `code` (TOTP first, then backup codes), or None.

    django-otp refuses a TOTP code already used, and a backup code is deleted on use.
    """
    code = "".join(code.split())
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(code):
            return device
    logger.warning("auth.2fa_failure", user_id=user.pk, outcome="failure")
    return None
