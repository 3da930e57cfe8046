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
from django.urls import reverse

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
    #: Whether a mistake in it is corrected on its page ("Correct this record", with a
    #: reason kept in its history). A complaint has its own updates; a disclosure, once
    #: reported to the police, is corrected with them, not here.
    correctable: bool = True


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
        correctable=False,
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
        correctable=False,
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
        {
            "date": date_of(record),
            "title": kind.summary(record),
            "url": reverse("caseload:record-detail", args=[slug, record.pk]),
        }
        for slug, kind in RECORD_KINDS.items()
        for record in records[slug]
    ]
    return sorted(entries, key=lambda e: e["date"], reverse=True)


#: Every kind of record on a case that has its own page (caseload:record-detail), by slug:
#: (title, model). The small records, and the contacts, outcomes and assessments.
RECORD_PAGES: dict[str, tuple[str, type[models.Model]]] = {
    **{slug: (kind.title, kind.model) for slug, kind in RECORD_KINDS.items()},
    "contact": ("Contact", case_models.Contact),
    "outcome": ("Outcome", case_models.Outcome),
    "initial-assessment": ("Initial assessment", case_models.InitialAssessment),
    "risk-assessment": ("Risk assessment", case_models.RiskAssessment),
}

#: Fields a record's page does not list: its keys, and what the page says otherwise.
_NOT_LISTED = {"id", "case", "legacy_id", "created_at", "updated_at"}


def record_fields(record: models.Model) -> list[dict[str, str]]:
    """Every stored field of a record as (label, value) rows for its page: choices by their
    label, yes or no, dates as dates, empty ones as "Not recorded"."""
    rows = []
    for field in record._meta.concrete_fields:
        if field.name in _NOT_LISTED:
            continue
        value = getattr(record, field.name)
        if field.choices:
            shown = str(getattr(record, f"get_{field.name}_display")())
        elif isinstance(value, bool):
            shown = "Yes" if value else "No"
        elif value is None or value == "":
            shown = "Not recorded"
        elif hasattr(value, "strftime"):
            fmt = "%-d %B %Y %H:%M" if hasattr(value, "hour") else "%-d %B %Y"
            shown = value.strftime(fmt)
        else:
            shown = str(value)
        rows.append({"key": str(field.verbose_name).capitalize(), "value": shown})
    return rows


def record_history(record: models.Model) -> list[dict[str, Any]]:
    """The record's recorded versions, oldest first: when, who, added or changed, why, and
    which fields each change altered."""
    versions = list(
        record.history.order_by("history_date", "history_id").select_related("history_user")  # type: ignore[attr-defined]
    )
    rows = []
    for before, after in zip([None, *versions], versions, strict=False):
        changed = []
        if before is not None:
            delta = after.diff_against(before)
            labels = {field.name: field.verbose_name for field in record._meta.concrete_fields}
            changed = [str(labels.get(change.field, change.field)) for change in delta.changes]
        rows.append(
            {
                "when": after.history_date,
                "who": after.history_user.full_name if after.history_user else "The system",
                "kind": {"+": "Recorded", "~": "Changed", "-": "Removed"}.get(
                    after.history_type, after.history_type
                ),
                "reason": after.history_change_reason or "",
                "changed": changed,
            }
        )
    return rows
