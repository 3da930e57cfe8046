"""Subject access (UK GDPR Article 15, DP-4): everything held about one person, in one zip.

It holds every record reachable from the person's referral (the same walk as retention,
core/retention.py, so a new record type is included the day it is added), each with its
whole history (who changed what, and when), the uploaded files, and the list of who
looked at the records (the access log). Staff appear by name and role: the person has a
right to know who processed their data.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from django.db import models

from core.models import AccessLog, User
from privacy.retention import records_of
from referrals.models import Referral

README = """Everything E4E Case holds about one person

records.json     every record, with its current values and its history: each earlier
                 version, when it was made and by whom
access_log.json  every time a member of staff was shown the records, and who
files/           the documents uploaded for them

Made on {made} for referral {reference}.
"""


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def _values(obj: models.Model) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for model_field in obj._meta.concrete_fields:
        values[model_field.attname] = _plain(getattr(obj, model_field.attname))
    return values


def _history(obj: models.Model, names: dict[int, str]) -> list[dict[str, Any]]:
    history = getattr(type(obj), "history", None)
    if history is None:
        return []
    rows = history.filter(id=obj.pk).order_by("history_date", "history_id")
    return [
        {
            "when": row.history_date.isoformat(),
            "by": names.get(row.history_user_id, "") if row.history_user_id else "",
            "change": {"+": "created", "~": "changed", "-": "deleted"}[row.history_type],
            "reason": row.history_change_reason or "",
            "values": {
                field.attname: _plain(getattr(row, field.attname))
                for field in history.model.tracked_fields
            },
        }
        for row in rows
    ]


def subject_access_export(referral: Referral, *, made: datetime.datetime) -> bytes:
    """The zip of everything held about the person whose referral this is."""
    records = list(records_of(referral))
    history_users = {
        row.history_user_id
        for obj in records
        if getattr(type(obj), "history", None) is not None
        for row in type(obj).history.filter(id=obj.pk).only("history_user_id")  # type: ignore[attr-defined]
    }
    subjects = [("referral", referral.pk)]
    case = getattr(referral, "case", None)
    if case is not None:
        subjects.append(("case", case.pk))
    log = AccessLog.objects.none()
    for subject_type, subject_id in subjects:
        log |= AccessLog.objects.filter(subject_type=subject_type, subject_id=subject_id)
    log_rows = list(log.order_by("at", "pk").values("at", "user_id", "view_name", "subject_type"))
    people = User.objects.in_bulk({*history_users, *(row["user_id"] for row in log_rows)} - {None})
    names = {pk: f"{user.full_name} ({user.get_role_display()})" for pk, user in people.items()}

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt", README.format(made=made.isoformat(), reference=referral.reference)
        )
        archive.writestr(
            "records.json",
            json.dumps(
                [
                    {
                        "type": obj._meta.verbose_name,
                        "model": obj._meta.label,
                        "id": obj.pk,
                        "values": _values(obj),
                        "history": _history(obj, names),
                    }
                    for obj in records
                ],
                indent=2,
                ensure_ascii=False,
            ),
        )
        archive.writestr(
            "access_log.json",
            json.dumps(
                [
                    {
                        "when": row["at"].isoformat(),
                        "who": names.get(row["user_id"], ""),
                        "page": row["view_name"],
                        "record": row["subject_type"],
                    }
                    for row in log_rows
                ],
                indent=2,
                ensure_ascii=False,
            ),
        )
        for obj in records:
            for model_field in obj._meta.concrete_fields:
                if not isinstance(model_field, models.FileField):
                    continue
                stored = getattr(obj, model_field.attname)
                if not stored:
                    continue
                suffix = PurePosixPath(stored.name).suffix.lower()
                with stored.open("rb") as handle:
                    archive.writestr(
                        f"files/{obj._meta.model_name}-{obj.pk}{suffix}", handle.read()
                    )
    return out.getvalue()
