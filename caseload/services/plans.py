"""The person's plan: their vocational profile and the goals of their action plan."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from caseload.models import ActionPlanGoal, Case, VocationalProfile
from caseload.services.common import lock_case, record_or_correct, refuse_if_closed
from core.models import User


@transaction.atomic
def vocational_profile_save(*, case: Case, by: User, **fields: Any) -> Any:
    """Create or update the profile; every version stays in its history."""
    case = lock_case(case)
    refuse_if_closed(case, "update the vocational profile")
    profile = VocationalProfile.objects.filter(case=case).first()
    return record_or_correct(VocationalProfile, profile, by, case=case, **fields)


@transaction.atomic
def action_plan_goal_save(*, case: Case, by: User, existing: Any = None, **fields: Any) -> Any:
    """Add a goal to the case's action plan, or update `existing`."""
    case = lock_case(case)
    refuse_if_closed(case, "change the action plan")
    if existing is not None and existing.case_id != case.pk:
        raise ValidationError("This goal belongs to another case.")
    return record_or_correct(ActionPlanGoal, existing, by, case=case, **fields)
