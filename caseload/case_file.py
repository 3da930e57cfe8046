"""What the case page and the case's history show, read in a fixed number of queries however
many records the case holds.

A case may hold hundreds of contacts and thousands of recorded changes, so these reads fetch
the columns shown rather than whole rows (with their workers' whole accounts), reverse each
row's link once for all rows, and read the small tables together: the records and the rest
in one query, every kind of history in another.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.urls import reverse
from django.utils import timezone

from caseload import models as m
from caseload.case_rows import CaseRows
from caseload.models.assessments import DistanceAssessment, InitialAssessment, RiskAssessment
from caseload.models.cases import Case
from caseload.models.contacts import Contact
from caseload.models.plans import ActionPlanGoal, VocationalProfile
from caseload.models.tasks import Task
from caseload.records import RECORD_KINDS, record_entries
from core.charts import bar_chart
from core.dates import date_formatter
from core.models import User
from core.utils import pk_url

#: Labels of the contact choices, looked up once rather than rebuilt for every contact.
CONTACT_MODES = dict(Contact.Mode.choices)
CONTACT_PARTIES = {value: label.lower() for value, label in Contact.Party.choices}


def case_page_cases() -> QuerySet[Case]:
    """The cases, each saying whether it has a vocational profile (`has_profile`) and any
    enterprise fund bids (`has_fund_bids`), for the case page's links (get_case_for's
    `cases`)."""
    return _case_page_cases().all()


@functools.cache
def _case_page_cases() -> QuerySet[Case]:
    # Built once (the ORM takes a while over the two subqueries) and cloned for each read.
    return Case.objects.annotate(
        has_profile=Exists(VocationalProfile.objects.filter(case=OuterRef("pk"))),
        has_fund_bids=Exists(
            Case.objects.filter(pk=OuterRef("pk"), fund_applications__isnull=False)
        ),
    )


def case_page_records(case: Case) -> dict[str, list[Any]]:
    """What the case page lists of the records on the case, in one query (caseload.case_rows)
    whatever their number: every small record under its kind's slug (caseload.records), and
    its risk assessments (`risk-assessments`, the one in force first), action-plan goals
    (`goals`) and open tasks (`open-tasks`), each in its model's order."""
    return _case_page_rows().of(case)


@functools.cache
def _case_page_rows() -> CaseRows:
    querysets: dict[str, QuerySet[Any]] = {
        slug: kind.model._default_manager.all() for slug, kind in RECORD_KINDS.items()
    }
    querysets["risk-assessments"] = RiskAssessment.objects.all()
    querysets["goals"] = ActionPlanGoal.objects.all()
    querysets["open-tasks"] = Task.objects.filter(done_date__isnull=True)
    return CaseRows(querysets)


#: The kinds of timeline entry a reader may show alone, by their `kind`: (slug, label).
TIMELINE_KINDS = (
    ("contact", "Contacts"),
    ("outcome", "Outcomes"),
    ("record", "Assessments and other records"),
    ("case", "Referral, assessment and closing"),
)

#: Notes longer than this are folded (a native details element), so one long note does not
#: push the rest of the timeline a screen down on a phone.
FOLD_NOTES_OVER = 280


def case_timeline(case: Case, records: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Everything on the case, newest first, as timeline entries (date, kind, title, detail;
    a contact's note and whether it was out of hours; the record's own page), each date
    also as shown (`shown`) and as the time element's `datetime`: formatted here, not by
    the template's filter, as the filter's call for each of hundreds of entries took a
    large part of the page's time. `records` is `case_page_records(case)`."""
    entries: list[dict[str, Any]] = [
        {"date": case.accepted_date, "kind": "case", "title": "Referral accepted", "detail": ""}
    ]
    if case.start_date:
        assessment = InitialAssessment.objects.filter(case=case).values_list("pk", flat=True)
        entries.append(
            {
                "date": case.start_date,
                "kind": "case",
                "title": "Initial assessment",
                "detail": "Support began",
                "record_url": next((record_url("initial-assessment")(pk) for pk in assessment), ""),
            }
        )
    risk_url = record_url("risk-assessment")
    for risk in records["risk-assessments"]:
        entries.append(
            {
                "date": risk.date,
                "kind": "record",
                "title": "Risk assessment",
                "detail": f"Review by {risk.review_date:%-d %b %Y}",
                "record_url": risk_url(risk.pk),
            }
        )
    for entry in record_entries(records):
        entries.append(
            {
                "date": entry["date"],
                "kind": "record",
                "title": entry["title"],
                "detail": "",
                "record_url": entry["url"],
            }
        )
    note_url = pk_url("caseload:contact-note")
    contact_url = record_url("contact")
    contacts = Contact.objects.filter(case=case).values_list(
        "pk",
        "date",
        "mode",
        "party",
        "duration_minutes",
        "worker__full_name",
        "note",
        "out_of_hours",
    )
    for pk, day, mode, party, minutes, worker_name, note, out_of_hours in contacts:
        entries.append(
            {
                "date": day,
                "kind": "contact",
                "title": f"{CONTACT_MODES.get(mode, mode)} contact with "
                f"{CONTACT_PARTIES.get(party, party)}",
                "detail": f"{minutes} minutes, {worker_name}",
                "note": note,
                "fold_note": len(note) > FOLD_NOTES_OVER,
                "out_of_hours": out_of_hours,
                "record_url": contact_url(pk),
                "url": note_url(pk),
                "link_text": "Change the note" if note else "Add a note",
            }
        )
    end_url = pk_url("caseload:outcome-end")
    outcome_url = record_url("outcome")
    for outcome in case.outcomes.all():
        ended = (
            f"Ended {outcome.end_date:%-d %b %Y}: {outcome.end_reason}" if outcome.end_date else ""
        )
        entries.append(
            {
                "date": outcome.start_date,
                "kind": "outcome",
                "record_url": outcome_url(outcome.pk),
                "title": outcome.get_type_display(),
                "detail": ended,
                "url": "" if outcome.end_date else end_url(outcome.pk),
                "link_text": "Record that it ended",
            }
        )
    if case.closed_date:
        entries.append(
            {
                "date": case.closed_date,
                "kind": "case",
                "title": "Case closed",
                "detail": case.get_closure_reason_display(),
            }
        )
    entries.sort(key=lambda e: e["date"], reverse=True)
    shown = date_formatter("j F Y")
    for entry in entries:
        when: date = entry["date"]
        entry["datetime"], entry["shown"] = when.isoformat(), shown(when)
    return entries


def record_url(kind: str) -> Callable[[int], str]:
    """caseload:record-detail of one kind of record, for many rows: reversed once."""
    before, _, after = reverse("caseload:record-detail", args=[kind, 987654321]).rpartition(
        "987654321"
    )
    return lambda pk: f"{before}{int(pk)}{after}"


def distance_travelled(case: Case, assessments: Sequence[DistanceAssessment]) -> dict[str, Any]:
    """The case's repeated 1-10 assessments (oldest first, as the model orders them) as rows
    of scores in domain order, with each domain's change from the first to the latest."""
    domains = DistanceAssessment.DOMAINS
    scores = [[getattr(a, d) for d in domains] for a in assessments]
    rows = [{"date": a.date, "scores": s} for a, s in zip(assessments, scores, strict=True)]
    change: list[int] = []
    if len(scores) >= 2:
        change = [last - first for first, last in zip(scores[0], scores[-1], strict=True)]
    chart = bar_chart(
        f"distance-{case.pk}",
        "Total of the seven scores (out of 70) at each assessment",
        [
            (f"{a.date:%-d %b %Y}", sum(s), "count")
            for a, s in zip(assessments, scores, strict=True)
        ],
    )
    return {"rows": rows, "domains": domains, "change": change, "chart": chart}


#: Every model whose history the case's history page shows, after the case's own.
RECORDS_WITH_HISTORY = (
    m.InitialAssessment,
    m.Contact,
    m.Outcome,
    m.Task,
    m.RiskAssessment,
    m.DistanceAssessment,
    m.Offence,
    m.Signposting,
    m.Feedback,
    m.CrisisEpisode,
    m.ThreatToLifeDisclosure,
    m.Complaint,
    m.CaseStudy,
    m.VocationalProfile,
    m.ActionPlanGoal,
)
CHANGE_KINDS = {"+": "added", "~": "changed", "-": "removed"}


def case_changes(case: Case, limit: int = 300) -> list[dict[str, Any]]:
    """The latest `limit` recorded changes to the case and the records on it: when (also as
    shown, in local time), who, what kind of record, and whether it was added, changed or
    removed; newest first.

    The history tables' rows for the case are read as one list, sorted and cut in the
    database, and the names of the few people who made them in a second query: joining the
    users to each of the sixteen tables instead took PostgreSQL longer to plan than to run.
    """
    parts = [part.filter(**{field: case.pk}) for field, part in _history_parts()]
    union = parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id")
    rows = list(union[:limit])
    people = {row["history_user_id"] for row in rows} - {None}
    names = dict(User.objects.filter(pk__in=people).values_list("pk", "full_name"))
    shown = date_formatter("j M Y H:i")
    return [
        {
            "when": row["history_date"],
            "shown": shown(timezone.localtime(row["history_date"])),
            "who": names.get(row["history_user_id"], "The system"),
            "what": f"{row['record']} {CHANGE_KINDS.get(row['history_type'], row['history_type'])}",
            "reason": row["history_change_reason"] or "",
        }
        for row in rows
    ]


@functools.cache
def _history_parts() -> list[tuple[str, QuerySet[Any]]]:
    """Each history table's columns shown, with the name of its record, and the field that
    names the case: built once (the ORM took a third of the page's time building them), and
    filtered to the case for each read, as a generic view clones its queryset."""
    sources = [(m.Case, "id")] + [(model, "case_id") for model in RECORDS_WITH_HISTORY]
    return [
        (
            field,
            model.history.order_by()
            .annotate(
                record=Value(str(model._meta.verbose_name).capitalize(), output_field=CharField())
            )
            .values(
                "history_date",
                "history_id",
                "history_type",
                "history_change_reason",
                "history_user_id",
                "record",
            ),
        )
        for model, field in sources
    ]
