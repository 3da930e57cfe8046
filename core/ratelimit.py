"""Counting requests against a limit per fixed window, in the cache.

A limit protects the service from floods; it must never be what loses a referral or
refuses a sign-in. So when the cache cannot be reached the limit fails open: the request
goes ahead and an error is logged (the monitoring alerts on it).
"""

from __future__ import annotations

import time

import structlog
from django.conf import settings
from django.core.cache import cache

logger = structlog.get_logger("e4e.ratelimit")


def hit(name: str, key: str, *, limit: int, window_seconds: int) -> int | None:
    """Count one request for (`name`, `key`); None while within `limit` in this window,
    else the seconds until the window ends. None too when the cache is unreachable."""
    now = int(time.time())
    # The namespace lets each test count from zero (tests/conftest.py); empty in production.
    namespace = getattr(settings, "E4E_RATELIMIT_NAMESPACE", "")
    cache_key = f"ratelimit:{namespace}{name}:{key}:{now // window_seconds}"
    try:
        cache.add(cache_key, 0, timeout=window_seconds + 60)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # evicted between add and incr
            cache.set(cache_key, 1, timeout=window_seconds + 60)
            count = 1
    except Exception as error:
        logger.error("ratelimit.cache_unavailable", limit_name=name, error=type(error).__name__)
        return None
    if count > limit:
        return window_seconds - now % window_seconds
    return None
