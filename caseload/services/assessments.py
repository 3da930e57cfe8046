"""The initial assessment, which starts active support, and risk assessments."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from caseload.models import Case, InitialAssessment, RiskAssessment
from caseload.services.cases import case_start
from caseload.services.common import lock_case, refuse_if_closed
from core import history
from core.models import User


@transaction.atomic
def case_assess(
    *,
    case: Case,
    date: date,
    readiness: str,
    goal: str,
    barriers: list[str],
    benefits_situation: str,
    prior_similar_support: str,
    prior_support_details: str,
    notes: str,
    by: User,
) -> InitialAssessment:
    """Record the initial assessment; it starts active support on its date."""
    refuse_if_closed(case, "record the initial assessment")
    case_start(case=case, start_date=date, by=by)
    case = lock_case(case)
    case.prior_similar_support = prior_similar_support
    case.prior_support_details = prior_support_details
    case.full_clean()
    history.save(case, by=by)
    assessment = InitialAssessment(
        case=case,
        date=date,
        readiness=readiness,
        goal=goal,
        barriers=sorted(set(barriers)),
        benefits_situation=benefits_situation,
        notes=notes,
        by=by,
    )
    assessment.full_clean()
    history.save(assessment, by=by)
    return assessment


@transaction.atomic
def risk_assessment_record(*, case: Case, by: User, **fields: Any) -> Any:
    case = lock_case(case)
    refuse_if_closed(case, "record a risk assessment")
    assessment = RiskAssessment(case=case, by=by, **fields)
    assessment.full_clean()
    history.save(assessment, by=by)
    return assessment
