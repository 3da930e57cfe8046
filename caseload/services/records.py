"""The smaller records kept on a case: signposting, offences, crises, feedback,
complaints, case studies and threat-to-life disclosures."""

from __future__ import annotations

from typing import Any

import structlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.urls import reverse

from caseload.models import Case, CaseStudy, Complaint, Feedback, Offence, ThreatToLifeDisclosure
from caseload.services.common import (
    changed_fields,
    lock_case,
    record_or_correct,
    refuse_if_closed,
)
from core import history
from core.models import Role, User

logger = structlog.get_logger("e4e.caseload")

#: What a closed case still takes (`caseload.services.common.refuse_if_closed`): what can
#: come after the person has left. README: "What a closed case takes".
CLOSED_CASE_TAKES: frozenset[type[models.Model]] = frozenset(
    {Feedback, Complaint, CaseStudy, Offence, ThreatToLifeDisclosure}
)


@transaction.atomic
def case_record_add[M: models.Model](*, case: Case, model: type[M], by: User, **fields: Any) -> M:
    """Add a record to a case: signposting, offence, crisis, feedback, complaint, case study,
    distance travelled or threat-to-life disclosure; a closed case takes only those in
    `CLOSED_CASE_TAKES`. Validates, records who did it, returns the record."""
    case = lock_case(case)
    if model not in CLOSED_CASE_TAKES:
        refuse_if_closed(case, f"add a {model._meta.verbose_name}")
    record = model(case=case, **fields)
    if any(field.name == "by" for field in model._meta.fields):
        record.by = by  # type: ignore[attr-defined]
    record.full_clean()
    history.save(record, by=by)
    logger.info("caseload.record_added", case_id=case.pk, kind=model.__name__)
    return record


@transaction.atomic
def case_record_correct[M: models.Model](*, record: M, by: User, reason: str, **fields: Any) -> M:
    """Correct a mistake in a small record: the fields that differ are changed and the
    reason is kept in its history with who changed it. Nothing changes without a reason,
    and a correction that changes nothing writes nothing."""
    if not reason.strip():
        raise ValidationError({"change_reason": "Enter why the record is being corrected"})
    record = type(record)._default_manager.select_for_update().get(pk=record.pk)
    changed = changed_fields(record, fields)
    if not changed:
        return record
    for name, value in changed.items():
        setattr(record, name, value)
    record.full_clean()
    history.save(record, by=by, reason=reason.strip())
    logger.info("caseload.record_corrected", case_id=record.case_id, kind=type(record).__name__)  # type: ignore[attr-defined]
    return record


@transaction.atomic
def disclosure_record(*, case: Case, by: User, **fields: Any) -> Any:
    """Record a threat-to-life disclosure and alert every active manager by email at once.
    The email says only that there is one and where; the detail stays in the service."""
    disclosure = case_record_add(case=case, model=ThreatToLifeDisclosure, by=by, **fields)
    managers = list(
        User.objects.filter(role=Role.MANAGER, is_active=True).values_list("email", flat=True)
    )
    link = settings.SITE_URL + reverse("caseload:record-detail", args=["disclosure", disclosure.pk])
    body = (
        "A threat-to-life disclosure has just been recorded on a case.\n\n"
        f"Sign in to read it: {link}\n\n"
        "This email has no details about the person; they are in the service."
    )
    if managers:
        transaction.on_commit(
            lambda: send_mail("Threat-to-life disclosure recorded", body, None, managers)
        )
    logger.warning("caseload.threat_to_life_recorded", case_id=case.pk, by=by.pk)
    return disclosure


@transaction.atomic
def disclosure_report_add(*, disclosure: Any, report: str, by: User) -> Any:
    """Add the written follow-up report to the police to a disclosure recorded without one
    (it is optional when the disclosure is recorded, as the call to the police comes
    first). A report once written is not replaced here: correct it with the police."""
    disclosure = ThreatToLifeDisclosure.objects.select_for_update().get(pk=disclosure.pk)
    if disclosure.follow_up_report:
        raise ValidationError("The written report has already been added.")
    if not report.strip():
        raise ValidationError({"report": "Enter the written report"})
    disclosure.follow_up_report = report.strip()
    disclosure.full_clean()
    history.save(disclosure, by=by, reason="Written report added")
    logger.info("caseload.disclosure_report_added", case_id=disclosure.case_id, by=by.pk)
    return disclosure


@transaction.atomic
def complaint_update(*, complaint: Any, by: User, **fields: Any) -> Any:
    """Record the acknowledgement, resolution, outcome and learning of a complaint as they
    happen."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    too_early = {
        "acknowledged_date": "The acknowledgement cannot be before the complaint arrived.",
        "resolved_date": "The complaint cannot be resolved before it arrived.",
    }
    errors = {
        field: message
        for field, message in too_early.items()
        if fields.get(field) and fields[field] < complaint.received_date
    }
    if errors:
        raise ValidationError(errors)
    return record_or_correct(Complaint, complaint, by, **fields)
