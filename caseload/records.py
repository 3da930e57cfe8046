"""The smaller records kept on a case, each added through one form page.

Each kind names its model, its form, how it is added (a service) and how an entry is
summarised on the case page. The view and template are shared (caseload:record-new).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django import forms
from django.db import models
from django.db.models import Value
from django.db.models.functions import JSONObject
from django.utils import timezone

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


def records_of(case: case_models.Case) -> dict[str, list[Any]]:
    """Every small record on the case by kind, each kind in its model's order, in one query
    whatever their number (the case page shows complaints and distance travelled from these
    too): each kind's rows as JSON objects in one UNION ALL, made model instances again by
    each field's to_python, as Django's deserialisers do."""
    parts = [
        kind.model._default_manager.filter(case=case)
        .order_by()
        .annotate(
            record_kind=Value(slug, output_field=models.CharField()),
            record_row=JSONObject(
                **{f.attname: f.attname for f in kind.model._meta.concrete_fields}
            ),
        )
        .values_list("record_kind", "record_row")
        for slug, kind in RECORD_KINDS.items()
    ]
    found: dict[str, list[Any]] = {slug: [] for slug in RECORD_KINDS}
    for slug, row in parts[0].union(*parts[1:], all=True).order_by():
        found[slug].append(_instance(RECORD_KINDS[slug].model, row))
    for slug, records in found.items():
        _sort_as_the_model_orders(RECORD_KINDS[slug].model, records)
    return found


def _instance(model: type[models.Model], row: dict[str, Any]) -> Any:
    values = {}
    for field in model._meta.concrete_fields:
        value = field.to_python(row[field.attname])
        if isinstance(value, datetime.datetime) and timezone.is_naive(value):
            value = value.replace(tzinfo=datetime.UTC)  # SQLite keeps UTC without the offset
        values[field.attname] = value
    return model(**values)


def _sort_as_the_model_orders(model: type[models.Model], records: list[Any]) -> None:
    for name in reversed([str(name) for name in model._meta.ordering or []]):
        records.sort(key=attrgetter(name.removeprefix("-")), reverse=name.startswith("-"))


def record_entries(records: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """The records of `records_of`, newest first, as the case page lists them."""
    entries = [
        {"date": date_of(record), "title": RECORD_KINDS[slug].summary(record)}
        for slug, kind_records in records.items()
        for record in kind_records
    ]
    return sorted(entries, key=lambda e: e["date"], reverse=True)
