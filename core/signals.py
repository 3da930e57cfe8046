"""Authentication events as structured log lines: user id, address, outcome; no passwords."""

from __future__ import annotations

import time
from typing import Any

import structlog
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from core.middleware import SIGNED_IN_AT

logger = structlog.get_logger("e4e.auth")


def _address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    request.session[SIGNED_IN_AT] = time.time()
    logger.info("auth.sign_in", user_id=user.pk, ip=_address(request), outcome="success")


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    # The attempted email is personal data and may be a mistyped password: not logged.
    logger.warning("auth.sign_in", user_id=None, ip=_address(request), outcome="failure")


@receiver(user_locked_out)
def _locked_out(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    logger.warning("auth.locked_out", ip=_address(request), outcome="locked_out")


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    logger.info("auth.sign_out", user_id=getattr(user, "pk", None), ip=_address(request))
