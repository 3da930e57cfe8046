"""The smaller records kept on a case, each added through one form page.

Each kind names its model, its form, how it is added (a service) and how an entry is
summarised on the case page. The view and template are shared (caseload:record-new).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models

from caseload import models as case_models
from caseload.forms import assessments as assessment_forms
from caseload.forms import records as record_forms
from caseload.services.records import case_record_add, disclosure_record


@dataclass(frozen=True)
class RecordKind:
    title: str
    model: type[models.Model]
    form: type[forms.Form]
    summary: Callable[[Any], str]
    add: Callable[..., Any] = case_record_add
    #: Form fields that only confirm something and are not stored.
    confirm_only: tuple[str, ...] = ()


RECORD_KINDS: dict[str, RecordKind] = {
    "signposting": RecordKind(
        "Signposting or referral to a specialist service",
        case_models.Signposting,
        record_forms.SignpostingForm,
        lambda r: f"{r.get_need_display()}: {r.organisation} ({r.get_outcome_display().lower()})",
    ),
    "crisis": RecordKind(
        "Crisis episode",
        case_models.CrisisEpisode,
        record_forms.CrisisForm,
        lambda r: r.get_kind_display(),
    ),
    "offence": RecordKind(
        "Offence that has come to the service's knowledge",
        case_models.Offence,
        record_forms.OffenceForm,
        lambda r: "Offence recorded",
    ),
    "feedback": RecordKind(
        "Service-user feedback",
        case_models.Feedback,
        record_forms.FeedbackForm,
        lambda r: f"Trust {r.trust}, confidence {r.confidence}, respected {r.respected} (of 5)",
    ),
    "complaint": RecordKind(
        "Complaint",
        case_models.Complaint,
        record_forms.ComplaintForm,
        lambda r: (
            "Complaint, acknowledged" if r.acknowledged_date else "Complaint, not yet acknowledged"
        ),
    ),
    "case-study": RecordKind(
        "Case study",
        case_models.CaseStudy,
        record_forms.CaseStudyForm,
        lambda r: "Case study (consent recorded)",
        confirm_only=("consent_confirmed",),
    ),
    "distance-travelled": RecordKind(
        "Distance travelled assessment",
        case_models.DistanceAssessment,
        assessment_forms.DistanceAssessmentForm,
        lambda r: (
            "Distance travelled assessment, total "
            + str(sum(getattr(r, d) for d in case_models.DistanceAssessment.DOMAINS))
            + " of 70"
        ),
    ),
    "disclosure": RecordKind(
        "Threat-to-life disclosure",
        case_models.ThreatToLifeDisclosure,
        record_forms.DisclosureForm,
        lambda r: f"Threat-to-life disclosure, police reference {r.police_reference}",
        add=lambda *, case, model, by, **fields: disclosure_record(case=case, by=by, **fields),
    ),
}


def date_of(record: Any) -> Any:
    for name in ("date", "received_date", "consent_date", "disclosed_at"):
        if hasattr(record, name):
            value = getattr(record, name)
            return value.date() if hasattr(value, "date") and callable(value.date) else value
    return None


def record_entries(records: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """The small records (`records`: each kind's, under its slug), newest first, as the case
    page lists them."""
    entries = [
        {"date": date_of(record), "title": kind.summary(record)}
        for slug, kind in RECORD_KINDS.items()
        for record in records[slug]
    ]
    return sorted(entries, key=lambda e: e["date"], reverse=True)
