"""Retention and erasure: removing a person's details while keeping the service's numbers.

Closed cases are anonymised `E4E_RETENTION_YEARS` (default 6) years after closure;
rejected and withdrawn referrals that never became a case, `REFERRAL_RETENTION_YEARS`
(1) after the decision. A manager can also anonymise one person at once on an erasure
request. Either way `anonymise_person` does the work, in one transaction:

- It starts from the referral and walks every record that points at it, and at those
  records, and so on (contacts, outcomes, tasks, fund bids and their payments, ...).
- In each record it replaces the fields listed in ANONYMISE (names, contact details, free
  text, file names) and deletes stored files. Fields listed in KEPT stay: codes, dates,
  numbers and opaque references, which the figures and the evaluation need. The date of
  birth keeps its year only (1 January); the postcode keeps its district.
- It saves each changed record through the model (so its history gains one row, by the
  acting user, holding the anonymised values) and deletes every earlier history row.
- It writes one RetentionAction (ids and counts only) and marks the referral anonymised.

Access log rows hold only ids, never details, and the app cannot change or delete them
(AL-4): after anonymisation they point at records that no longer say who the person was.
A test walks the models and fails when a new record type or text field reachable from a
referral is missing from ANONYMISE and KEPT, so nothing new escapes this.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import structlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from core import history
from core.models import AppendOnlyModel, User
from privacy.models import RetentionAction
from referrals.eligibility import postcode_district
from referrals.models import Referral
from referrals.selectors import erasure_refusal

logger = structlog.get_logger("e4e.retention")

REFERRAL_RETENTION_YEARS = 1
ANONYMISED_NAME = "Anonymised"
#: For text that must not be empty (a rejection must be explained): what stands in for it.
REMOVED = "Removed when the person's details were anonymised."


def _year_only(value: datetime.date) -> datetime.date:
    return value.replace(month=1, day=1)


def _district(value: str) -> str:
    return postcode_district(value) or ""


def _opaque_key(obj: Any) -> str:
    return f"anonymised-{obj.pk}"


Replacement = str | Callable[[Any], Any]

#: Per model: field -> what it becomes (a value, or a function of the old value; for
#: person_key, of the record). Stored files are deleted as well as their names cleared.
ANONYMISE: dict[str, dict[str, Replacement]] = {
    "referrals.Referral": {
        "first_name": ANONYMISED_NAME,
        "last_name": "",
        "date_of_birth": _year_only,
        "postcode": _district,
        "phone": "",
        "email": "",
        "preferred_language": "",
        "referrer_name": "",
        "referrer_email": "",
        "referrer_phone": "",
        "reason": "",
        "unsafe_areas": "",
        "risk_notes": "",
        "rejection_rationale": lambda old: REMOVED,
        "eligibility_override": lambda old: REMOVED if old else "",
        "person_key": _opaque_key,
        # The search keys: made from the details above, and empty once they are removed
        # (referrals.models), so the old name, phone or postcode finds no one.
        "search_name": "",
        "search_phone": "",
        "search_postcode": "",
    },
    "referrals.PartnerSubmission": {},
    # The request itself stays (the record that it was answered), without its free text.
    "privacy.DataRequest": {"extension_reason": "", "pause_reason": "", "outcome": "", "notes": ""},
    "caseload.Case": {"prior_support_details": ""},
    # Random, so they say nothing of the person; never changed (append-only).
    "caseload.CasePseudonym": {},
    "caseload.Contact": {"note": ""},
    "caseload.Outcome": {"end_reason": "", "employer_name": "", "role": ""},
    "caseload.Task": {"evidence": ""},
    "caseload.DistanceAssessment": {},
    "caseload.Offence": {"description": ""},
    "caseload.Signposting": {},
    "caseload.Feedback": {"comment": ""},
    "caseload.InitialAssessment": {"barriers": "", "benefits_situation": "", "notes": ""},
    "caseload.RiskAssessment": {
        "risks_to_client": "",
        "risks_from_client": "",
        "lone_working_plan": "",
        "safe_meeting_places": "",
        "places_to_avoid": "",
    },
    "caseload.CrisisEpisode": {"notes": ""},
    "caseload.ThreatToLifeDisclosure": {
        "what": "",
        "police_contact": "",
        "police_reference": "",
        "follow_up_report": "",
    },
    "caseload.Complaint": {"summary": "", "outcome": "", "learning": ""},
    "caseload.CaseStudy": {"text": ""},
    "caseload.VocationalProfile": {
        "work_history": "",
        "skills": "",
        "job_preferences": "",
        "hours_wanted": "",
        "places_they_can_go": "",
        "places_they_cannot_go": "",
        "disclosure_plan": "",
    },
    "caseload.ActionPlanGoal": {"goal": ""},
    "caseload.Appointment": {"venue": "", "attendees": "", "missed_reason": ""},
    "caseload.Reminder": {"reason": ""},
    "caseload.ReminderConsent": {},
    "enterprise_fund.FundApplication": {
        "purpose": "",
        "business_plan_summary": "",
        "other_support": "",
        "conditions": "",
    },
    "enterprise_fund.LedgerEntry": {"reason": ""},
    "enterprise_fund.BudgetItem": {"item": "", "supplier": ""},
    "enterprise_fund.Attachment": {"file": "", "original_name": ""},
    "enterprise_fund.Payment": {"payee_name": "", "reference": ""},
    "enterprise_fund.Assessment": {
        "viability_notes": "",
        "readiness_notes": "",
        "value_for_money_notes": "",
        "risk_notes": "",
        "other_support_notes": "",
        "summary": "",
    },
    "enterprise_fund.Decision": {"conditions": "", "reason": ""},
    "enterprise_fund.IncomeReport": {"notes": ""},
    # The quarterly update on the case: free text about the person (the OPCC's copy, under a
    # pseudonym, went with the signed-off PDF; a PDF rebuilt after this says it was removed).
    "reporting.CaseUpdate": {
        "objectives": lambda old: REMOVED,
        "achieved": lambda old: REMOVED,
        "next_steps": lambda old: REMOVED,
    },
}

#: Per model: the text fields that stay, because they are codes or opaque references.
KEPT: dict[str, set[str]] = {
    "referrals.Referral": {
        "legacy_id",
        "reference",
        "source",
        "referrer_organisation",
        "gender",
        "ethnicity",
        "cohort",
        "status",
        "rejection_reason",
        # The reference as search compares it (referrals.models).
        "search_reference",
    },
    "referrals.PartnerSubmission": {"nonce_hash"},
    "privacy.DataRequest": {"reference", "kind", "status"},
    "caseload.Case": {"legacy_id", "prior_similar_support", "closure_reason"},
    "caseload.CasePseudonym": {"evaluator", "opcc"},
    "caseload.Contact": {"legacy_id", "mode", "party", "place"},
    "caseload.Outcome": {"legacy_id", "type", "contract"},
    "caseload.Task": {"kind", "title"},
    "caseload.DistanceAssessment": {"legacy_id"},
    "caseload.Offence": {"legacy_id"},
    "caseload.Signposting": {"legacy_id", "need", "organisation", "outcome"},
    "caseload.Feedback": {"legacy_id"},
    "caseload.InitialAssessment": {"readiness", "goal"},
    "caseload.RiskAssessment": set(),
    "caseload.CrisisEpisode": {"legacy_id", "kind"},
    "caseload.ThreatToLifeDisclosure": set(),
    "caseload.Complaint": {"legacy_id"},
    "caseload.CaseStudy": set(),
    "caseload.VocationalProfile": set(),
    "caseload.ActionPlanGoal": {"status"},
    "caseload.Appointment": {"place", "kind", "status", "cancelled_by"},
    "caseload.Reminder": {"kind", "channel", "status", "notify_id"},
    "caseload.ReminderConsent": {"channel", "opted_out_how"},
    "enterprise_fund.FundApplication": {"legacy_id", "status"},
    "enterprise_fund.LedgerEntry": {"kind"},
    "enterprise_fund.BudgetItem": set(),
    "enterprise_fund.Attachment": {"kind", "content_type"},
    "enterprise_fund.Payment": {"payee"},
    "enterprise_fund.Assessment": set(),
    "enterprise_fund.Decision": {"kind"},
    "enterprise_fund.IncomeReport": set(),
    "reporting.CaseUpdate": {"pseudonym", "status"},
}


#: Rows that hang off a person's records but are not about the person: who may open the
#: case (access control: the grants, and the covers during leave that chose the case).
#: Neither anonymised nor exported; they go with the case.
NOT_THE_PERSONS: frozenset[str] = frozenset(
    {"caseload.CaseUserObjectPermission", "caseload.Cover", "caseload.Cover_cases"}
)


def is_history_model(model: type[models.Model]) -> bool:
    return model.__name__.startswith("Historical") and hasattr(model, "instance_type")


def _followed(model: object) -> bool:
    return (
        isinstance(model, type)
        and issubclass(model, models.Model)
        and not is_history_model(model)
        and model._meta.label not in NOT_THE_PERSONS
    )


def records_of(referral: Referral) -> Iterator[models.Model]:
    """The referral and every record that points at it, directly or through another such
    record (not the history rows: those are handled apart). Each once, parents first."""
    seen: set[tuple[str, Any]] = set()
    stack: list[models.Model] = [referral]
    while stack:
        obj = stack.pop(0)
        key = (obj._meta.label, obj.pk)
        if key in seen:
            continue
        seen.add(key)
        yield obj
        for relation in obj._meta.related_objects:
            related = relation.related_model
            if not _followed(related):
                continue
            manager = related._default_manager
            stack.extend(manager.filter(**{relation.field.name: obj.pk}).order_by("pk"))


def reachable_models() -> set[type[models.Model]]:
    """Every model a referral's records can be reached through (for the coverage test)."""
    found: set[type[models.Model]] = set()
    stack: list[type[models.Model]] = [Referral]
    while stack:
        model = stack.pop()
        if model in found:
            continue
        found.add(model)
        for relation in model._meta.related_objects:
            related = relation.related_model
            if _followed(related):
                stack.append(related)
    return found


@dataclass
class Counts:
    records: dict[str, int] = field(default_factory=dict)
    history_rows_removed: int = 0
    files_deleted: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "history_rows_removed": self.history_rows_removed,
            "files_deleted": self.files_deleted,
        }


def _anonymise_record(obj: models.Model, *, by: User, reason: str, counts: Counts) -> None:
    label = obj._meta.label
    replacements = ANONYMISE[label]
    if isinstance(obj, AppendOnlyModel) and not replacements:
        return  # nothing to remove, and the row cannot be saved again
    for name, replacement in replacements.items():
        model_field = obj._meta.get_field(name)
        old = getattr(obj, name)
        if isinstance(model_field, models.FileField):
            if old:
                old.delete(save=False)
                counts.files_deleted += 1
            setattr(obj, name, "")
        elif callable(replacement):
            setattr(obj, name, replacement(obj if name == "person_key" else old) if old else old)
        else:
            setattr(obj, name, replacement)
    history.save(obj, by=by, reason=reason)
    counts.records[label] = counts.records.get(label, 0) + 1
    history_manager = getattr(type(obj), "history", None)
    if history_manager is not None:
        # Earlier rows hold the values just removed: only the anonymised state stays.
        rows = history_manager.filter(id=obj.pk).order_by("-history_date", "-history_id")
        newest = rows.first()
        if newest is not None:
            removed, _ = rows.exclude(history_id=newest.history_id).delete()
            counts.history_rows_removed += removed


@transaction.atomic
def anonymise_person(
    *, referral: Referral, by: User, kind: str, rule: str
) -> RetentionAction | None:
    """Remove the person's details from the referral and everything that hangs off it.

    Idempotent: a referral already anonymised is left alone (None is returned). `rule`
    says why (the retention rule, or the erasure request's reference): ids and words of
    the service only, never the person's details.
    """
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.anonymised_at is not None:
        return None
    counts = Counts()
    reason = f"Anonymised: {rule}"
    case_id = getattr(getattr(referral, "case", None), "pk", None)
    referral.anonymised_at = timezone.now()
    for obj in records_of(referral):
        if obj._meta.label not in ANONYMISE:
            raise LookupError(f"{obj._meta.label} is not covered by the retention rules.")
        _anonymise_record(obj, by=by, reason=reason, counts=counts)
    action = RetentionAction.objects.create(
        kind=kind,
        rule=rule,
        referral_id=referral.pk,
        case_id=case_id,
        by=by,
        counts=counts.as_dict(),
    )
    logger.info(
        "retention.anonymised",
        referral_id=referral.pk,
        case_id=case_id,
        kind=kind,
        by=by.pk,
        records=sum(counts.records.values()),
    )
    return action


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def case_rule() -> str:
    return f"case closed {settings.E4E_RETENTION_YEARS} years ago"


def referral_rule() -> str:
    return f"referral rejected or withdrawn {REFERRAL_RETENTION_YEARS} year ago"


def due_for_retention(today: datetime.date) -> dict[str, models.QuerySet[Referral]]:
    """The referrals whose people are due to be anonymised on `today`, by rule."""
    not_yet = Referral.objects.filter(anonymised_at__isnull=True)
    case_cutoff = years_before(today, settings.E4E_RETENTION_YEARS)
    referral_cutoff = years_before(today, REFERRAL_RETENTION_YEARS)
    return {
        case_rule(): not_yet.filter(
            case__closed_date__isnull=False, case__closed_date__lte=case_cutoff
        ).order_by("pk"),
        referral_rule(): not_yet.filter(
            case__isnull=True,
            status__in=(Referral.Status.REJECTED, Referral.Status.WITHDRAWN),
            decision_date__lte=referral_cutoff,
        ).order_by("pk"),
    }


def apply_retention(*, today: datetime.date, by: User, dry_run: bool = False) -> dict[str, int]:
    """Anonymise everyone due on `today`; how many, by rule. Each person is one
    transaction, so a failure leaves the others done and is retried the next night."""
    done: dict[str, int] = {}
    for rule, referrals in due_for_retention(today).items():
        done[rule] = 0
        for referral in referrals:
            if dry_run or anonymise_person(
                referral=referral, by=by, kind=RetentionAction.Kind.RETENTION, rule=rule
            ):
                done[rule] += 1
    return done


REQUEST_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/-]{1,29}")


def erase_person(*, referral: Referral, by: User, request_reference: str) -> RetentionAction:
    """Anonymise one person now, on an erasure request (UK GDPR Article 17).

    `request_reference` is the data-protection request's reference (letters, digits, / and
    -), kept with the record of the erasure instead of anything about the person.
    """
    refusal = erasure_refusal(referral)
    if refusal:
        raise ValidationError(refusal)
    if not REQUEST_REFERENCE.fullmatch(request_reference):
        raise ValidationError(
            {"request_reference": "Enter the request's reference: letters, digits, / and -."}
        )
    action = anonymise_person(
        referral=referral,
        by=by,
        kind=RetentionAction.Kind.ERASURE,
        rule=f"erasure request {request_reference}",
    )
    if action is None:
        raise ValidationError("This person's details have already been removed.")
    return action
