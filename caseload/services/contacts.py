"""Contacts: recording one, the rules a specialist's entries must keep, and changing a
contact's note."""

from __future__ import annotations

import datetime
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseload.models import Case, Contact, RiskAssessment
from caseload.services.common import lock_case, record_or_correct
from core import history
from core.models import User

NOTE_LOCK_DAYS = 7


@transaction.atomic
def contact_record(*, by: User | None, contact: Contact | None = None, **fields: Any) -> Contact:
    """Record a contact, or correct one. A contact without a case is general admin."""
    return record_or_correct(Contact, contact, by, **fields)


def is_out_of_hours(day: date, time: datetime.time | None) -> bool:
    """Outside Monday-Friday 09:00-17:00 (a contact with no time counts by its day alone)."""
    if day.weekday() >= 5:
        return True
    if time is None:
        return False
    return not (datetime.time(9, 0) <= time < datetime.time(17, 0))


@transaction.atomic
def contact_log(*, case: Case | None, worker: User, by: User, **fields: Any) -> Contact:
    """A specialist logs a contact: out of hours is worked out from the time, and a contact
    in the community needs a risk assessment on the case first. Without a case it is job
    development with an employer, or else general admin time."""
    if case is not None:
        case = lock_case(case)
        if case.closed_date is not None:
            raise ValidationError("This case is closed. Reopen it to log a contact.")
        if fields.get("date") and fields["date"] < case.accepted_date:
            raise ValidationError({"date": "A contact cannot be before the referral was accepted."})
        if (
            fields.get("place") == Contact.Place.COMMUNITY
            and not RiskAssessment.objects.filter(case=case).exists()
        ):
            raise ValidationError(
                {
                    "place": "Record a risk assessment for this person before logging a "
                    "contact in the community."
                }
            )
    elif fields.get("party") == Contact.Party.EMPLOYER:
        if fields.get("employer") is None:
            raise ValidationError({"employer": "Choose the employer."})
    else:
        fields = {**fields, "mode": Contact.Mode.ADMIN, "party": Contact.Party.NONE}
    fields["out_of_hours"] = is_out_of_hours(fields["date"], fields.get("time"))
    return contact_record(by=by, case=case, worker=worker, **fields)


@transaction.atomic
def contact_change_note(*, contact: Contact, note: str, reason: str, by: User) -> Contact:
    """Change a contact's note. After 7 days the change needs a reason, kept in the history."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    locked = (timezone.localdate() - contact.date).days > NOTE_LOCK_DAYS
    if locked and not reason.strip():
        raise ValidationError(
            {"reason": "This contact is more than 7 days old: say why the note is changing."}
        )
    contact.note = note
    contact.full_clean()
    history.save(contact, by=by, reason=reason.strip())
    return contact
