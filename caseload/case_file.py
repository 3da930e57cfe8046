"""What the case's history page shows, read in a fixed number of queries however many
changes the case has had.

A case may hold thousands of recorded changes across sixteen history tables: they are read
as one list, sorted and cut in the database, with only the columns shown.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Value

from caseload import models as m
from caseload.models.cases import Case
from core.models import User

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
    """The latest `limit` recorded changes to the case and the records on it: when, who, what
    kind of record, and whether it was added, changed or removed; newest first.

    The history tables' rows for the case are read as one list, sorted and cut in the
    database, and the names of the few people who made them in a second query: joining the
    users to each of the sixteen tables instead took PostgreSQL longer to plan than to run.
    """
    sources: list[tuple[Any, dict[str, Any]]] = [(m.Case, {"id": case.pk})]
    sources += [(model, {"case_id": case.pk}) for model in RECORDS_WITH_HISTORY]
    parts = [
        model.history.filter(**where)
        .order_by()
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
        )
        for model, where in sources
    ]
    union = parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id")
    rows = list(union[:limit])
    people = {row["history_user_id"] for row in rows} - {None}
    names = dict(User.objects.filter(pk__in=people).values_list("pk", "full_name"))
    return [
        {
            "when": row["history_date"],
            "who": names.get(row["history_user_id"], "The system"),
            "what": f"{row['record']} {CHANGE_KINDS.get(row['history_type'], row['history_type'])}",
            "reason": row["history_change_reason"] or "",
        }
        for row in rows
    ]
