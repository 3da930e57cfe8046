"""Structured logging: one JSON line per event, UTC ISO-8601 timestamps, request ids.

Events carry ids, never names, emails, dates of birth or notes.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

import structlog

#: Secrets that travel in URLs never reach the logs: partner links, the links of
#: invitations and password resets (the user id part too: with the token it is the key),
#: and what staff search for.
_SECRET_PATHS = [
    (re.compile(r"(/referrals/refer/)[^/\s\"'?]+"), r"\1[redacted]"),
    (re.compile(r"(/set-password/)[^/\s\"'?]+/[^/\s\"'?]+"), r"\1[redacted]/[redacted]"),
    # What was searched for (a name, a date of birth) is the search page's query string, and
    # is in the `next` of a sign-in the page sent someone to (URL-encoded there).
    (re.compile(r"(/search/)\?[^\s\"']*"), r"\1?[redacted]"),
    (re.compile(r"(/search/|%2Fsearch%2F)%3F[^\s\"'&]*", re.IGNORECASE), r"\1%3F[redacted]"),
    # A worker's calendar feed: its token is the key to their diary.
    (re.compile(r"(/calendar\.ics)\?[^\s\"']*"), r"\1?[redacted]"),
]
_MARKERS = ("/refer/", "/set-password/", "/search/", "%2fsearch%2f", "/calendar.ics")


def redact(text: str) -> str:
    for pattern, replacement in _SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return text


def redact_secrets(
    logger: Any, method_name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key, value in event_dict.items():
        if isinstance(value, str) and any(marker in value.lower() for marker in _MARKERS):
            event_dict[key] = redact(value)
    return event_dict


def configure_structlog() -> None:
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.filter_by_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.stdlib.add_logger_name,
            structlog.stdlib.add_log_level,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            redact_secrets,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
