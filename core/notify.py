"""Text messages and emails to the people the service supports, through GOV.UK Notify.

`send()` hands one message to the backend that settings.NOTIFY_BACKEND names:

- "console" (the default, so the demo needs no account): writes the message to standard
  output with the address masked, keeps it in `outbox` (tests read it), and reports it
  delivered;
- "notify": GOV.UK Notify with NOTIFY_API_KEY and the template ids of NOTIFY_TEMPLATES.

A template is named "<channel>_<kind>" ("sms_day_before"), or "<channel>_<kind>_<language>"
("sms_day_before_polish") for a person whose preferred language has its own. Messages carry
only what `personalisation` gives (the callers give the time and place, nothing about the
case); the address never goes into a log.
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings

#: What the console backend sent, newest last (tests empty it).
outbox: list[dict[str, Any]] = []

#: The console backend's own words (Notify's templates hold the real ones).
CONSOLE_TEXTS = {
    "confirmation": "Your appointment is booked for ((date)) at ((time)), ((place)).",
    "day_before": "A reminder: your appointment is tomorrow, ((date)), at ((time)), ((place)).",
    "morning": "A reminder: your appointment is today at ((time)), ((place)).",
}
STOP_LINE = " Reply STOP to get no more of these messages."


class SendError(Exception):
    """The message was not accepted. `retry`: Notify never took it and may on a later try
    (it was down, or busy); otherwise trying again would not help, or might send it twice."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


@dataclass(frozen=True)
class Message:
    channel: str  # "sms" or "email"
    to: str
    kind: str  # "confirmation", "day_before", "morning"
    language: str  # the preferred language, folded ("polish"), or ""
    personalisation: dict[str, str]
    reference: str  # ours, to match receipts; no personal data


def template_id(message: Message) -> str:
    """The Notify template for the message: its language's, else the default one."""
    templates: dict[str, str] = settings.NOTIFY_TEMPLATES
    name = f"{message.channel}_{message.kind}"
    if message.language and f"{name}_{message.language}" in templates:
        return templates[f"{name}_{message.language}"]
    if name not in templates:
        raise SendError(f"No Notify template is set for {name} (NOTIFY_TEMPLATES)", retry=False)
    return templates[name]


def fold_language(language: str) -> str:
    """A preferred language as template names spell it: "Polish " -> "polish"."""
    return "_".join(language.casefold().split())


def masked(to: str) -> str:
    return f"...{to[-3:]}" if len(to) > 3 else "..."


def render_console(message: Message) -> str:
    text = CONSOLE_TEXTS[message.kind]
    for key, value in message.personalisation.items():
        text = text.replace(f"(({key}))", value)
    return text + (STOP_LINE if message.channel == "sms" else "")


def send(message: Message) -> str:
    """Hand the message over; Notify's id of it. Raises SendError."""
    if settings.NOTIFY_BACKEND == "console":
        text = render_console(message)
        outbox.append({"message": message, "text": text})
        sys.stdout.write(f"[notify console] {message.channel} to {masked(message.to)}: {text}\n")
        return str(uuid.uuid4())
    return _send_by_notify(message)


def status(notify_id: str) -> str:
    """Notify's status of a message it took ("delivered", "permanent-failure", ...)."""
    if settings.NOTIFY_BACKEND == "console":
        return "delivered"
    return str(_client().get_notification_by_id(notify_id)["status"])


def _client() -> Any:
    from notifications_python_client.notifications import NotificationsAPIClient

    return NotificationsAPIClient(settings.NOTIFY_API_KEY, timeout=settings.NOTIFY_TIMEOUT)


def _send_by_notify(message: Message) -> str:
    import requests
    from notifications_python_client.errors import HTTPError

    template = template_id(message)
    client = _client()
    try:
        if message.channel == "sms":
            response = client.send_sms_notification(
                phone_number=message.to,
                template_id=template,
                personalisation=message.personalisation,
                reference=message.reference,
            )
        else:
            response = client.send_email_notification(
                email_address=message.to,
                template_id=template,
                personalisation=message.personalisation,
                reference=message.reference,
            )
    except (requests.ConnectionError, requests.exceptions.ConnectTimeout) as error:
        raise SendError("Notify could not be reached", retry=True) from error
    except requests.Timeout as error:
        # It may have taken the message and not answered: never risk sending it twice.
        raise SendError(
            "Notify did not answer in time, so it may have been sent; it is not sent again",
            retry=False,
        ) from error
    except HTTPError as error:
        busy_or_down = error.status_code == 429 or error.status_code >= 500
        raise SendError(f"Notify refused it: {error.message}", retry=busy_or_down) from error
    return str(response["id"])
