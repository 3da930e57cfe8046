"""The records that hang off a case, treated alike: how a row becomes the record's fields,
and how a row is compared with the record already stored."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from caseload.legacy import (
    complaint_record,
    crisis_record,
    distance_assessment_record,
    feedback_record,
    offence_record,
    signposting_record,
)
from caseload.models import (
    Complaint,
    Contact,
    CrisisEpisode,
    DistanceAssessment,
    Feedback,
    Offence,
    Outcome,
    Signposting,
)
from caseload.services.contacts import contact_record
from caseload.services.outcomes import outcome_record
from legacy_import.importer.columns import Ref, Row


def _case_ref(row: Row) -> Ref | None:
    return Ref("case", row["case_id"]) if row["case_id"] else None


@dataclass(frozen=True)
class _Child:
    model: type[models.Model]
    service: Callable[..., models.Model]
    instance_argument: str
    fields: Callable[[Row], dict[str, Any]]
    #: The column whose date must fall within its case (start to closed), if any.
    dated_within_case: str | None


CHILDREN: dict[str, _Child] = {
    "contacts.csv": _Child(
        Contact,
        contact_record,
        "contact",
        lambda row: {
            "case": _case_ref(row),
            "worker": Ref("worker", row["worker_id"]),
            "date": row["date"],
            "mode": row["mode"],
            "party": row["party"],
            "duration_minutes": row["duration_minutes"],
            "out_of_hours": row["out_of_hours"],
            "employer": Ref("employer", row["employer"]) if row["employer"] else None,
        },
        "date",
    ),
    "outcomes.csv": _Child(
        Outcome,
        outcome_record,
        "outcome",
        lambda row: {
            "case": _case_ref(row),
            "type": row["type"],
            "start_date": row["start_date"],
            "end_date": row["end_date"],
            "hours_per_week": row["hours_per_week"],
            "employer_name": row["employer"],
        },
        "start_date",
    ),
    "assessments.csv": _Child(
        DistanceAssessment,
        distance_assessment_record,
        "assessment",
        lambda row: {
            "case": _case_ref(row),
            "date": row["date"],
            **{domain: row[domain] for domain in DistanceAssessment.DOMAINS},
        },
        "date",
    ),
    "offences.csv": _Child(
        Offence,
        offence_record,
        "offence",
        lambda row: {
            "case": _case_ref(row),
            "date": row["date"],
            "description": row["description"],
        },
        None,
    ),
    "signposting.csv": _Child(
        Signposting,
        signposting_record,
        "signposting",
        lambda row: {
            "case": _case_ref(row),
            "date": row["date"],
            "need": row["need"],
            "organisation": row["organisation"],
            "outcome": row["outcome"],
        },
        None,
    ),
    "feedback.csv": _Child(
        Feedback,
        feedback_record,
        "feedback",
        lambda row: {
            "case": _case_ref(row),
            "date": row["date"],
            "trust": row["trust"],
            "confidence": row["confidence"],
            "respected": row["respected"],
            "comment": row["comment"],
        },
        None,
    ),
    "crises.csv": _Child(
        CrisisEpisode,
        crisis_record,
        "crisis",
        lambda row: {
            "case": _case_ref(row),
            "date": row["date"],
            "kind": row["kind"],
            "notes": row["notes"],
        },
        "date",
    ),
    "complaints.csv": _Child(
        Complaint,
        complaint_record,
        "complaint",
        lambda row: {
            "case": _case_ref(row),
            "received_date": row["received_date"],
            "acknowledged_date": row["acknowledged_date"],
            "resolved_date": row["resolved_date"],
            "summary": row["summary"],
        },
        None,
    ),
}


def _key_of(kind: str, obj: models.Model) -> str:
    return getattr(obj, "legacy_name" if kind == "employer" else "legacy_id")


def _differences(instance: models.Model, wanted: dict[str, Any]) -> dict[str, Any]:
    """The wanted values that differ from the instance's; relations compared by legacy key.

    The instance's relations must be loaded (select_related), so this runs no query.
    """
    changes = {}
    for name, value in wanted.items():
        if isinstance(value, Ref):
            related = getattr(instance, name)
            differs = related is None or _key_of(value.kind, related) != value.key
        elif instance._meta.get_field(name).many_to_one:
            differs = getattr(instance, f"{name}_id") is not None
        else:
            differs = getattr(instance, name) != value
        if differs:
            changes[name] = value
    return changes


@dataclass
class _Plan:
    """One row's write: create (instance None) or update with `changes`."""

    row: Row
    instance: Any = None
    changes: dict[str, Any] = field(default_factory=dict)
