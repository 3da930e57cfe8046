"""Cover during leave: a manager gives a specialist a colleague's cases from one date to
another (service specification 7.4). The covering worker opens and works them through
grants of their own tied to the cover (`caseload.case_access`), which open nothing before
the first day or after the last, so access ends by itself. The cases stay their worker's
and count against that worker's cap."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import structlog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from caseload.case_access import grant_cover, withdraw_cover
from caseload.models import Case, Cover
from core import history
from core.models import Role, User

logger = structlog.get_logger("e4e.caseload")


def covers_in_place(absent: User, covering: User) -> Cover | None:
    """A cover of the same colleague by the same worker not yet ended or past: one at a time
    (each grant is one row per person and case)."""
    return (
        Cover.objects.filter(
            absent=absent,
            covering=covering,
            ended_at__isnull=True,
            ends__gte=timezone.localdate(),
        )
        .order_by("starts")
        .first()
    )


@transaction.atomic
def cover_give(
    *,
    absent: User,
    covering: User,
    starts: date,
    ends: date,
    cases: Iterable[Case] | None,
    reason: str,
    by: User,
) -> Cover:
    """Give `covering` cover of `absent`'s cases from `starts` to `ends`, both included: all
    of them (`cases` None, including cases given to `absent` while it lasts) or those
    chosen, which must be `absent`'s open cases."""
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if covering.role != Role.SPECIALIST or not covering.is_active:
        errors["covering"] = "Choose an active employment specialist to cover"
    elif covering.pk == absent.pk:
        errors["covering"] = "Choose someone other than the person who is away"
    if ends < starts:
        errors["ends"] = "The last day of cover must be on or after its first day"
    elif ends < today:
        errors["ends"] = "The last day of cover cannot be in the past"
    chosen = None if cases is None else list(cases)
    if chosen is not None:
        if not chosen:
            errors["cases"] = "Choose at least one case, or cover all their cases"
        elif any(case.worker_id != absent.pk or case.closed_date for case in chosen):
            errors["cases"] = f"Choose only {absent.full_name}'s open cases"
    if errors:
        raise ValidationError(errors)
    existing = covers_in_place(absent, covering)
    if existing is not None:
        raise ValidationError(
            f"{covering.full_name} already covers {absent.full_name}'s cases from "
            f"{existing.starts:%-d %B %Y} to {existing.ends:%-d %B %Y}. End that cover first, "
            "or give this one to someone else."
        )
    cover = Cover(
        absent=absent,
        covering=covering,
        starts=starts,
        ends=ends,
        all_cases=chosen is None,
        reason=reason.strip(),
        by=by,
    )
    cover.full_clean()
    history.save(cover, by=by, reason="Cover given")
    if chosen is None:
        chosen = list(Case.objects.filter(worker=absent, closed_date__isnull=True))
    else:
        cover.cases.set(chosen)
    grant_cover(cover, chosen)
    logger.info(
        "caseload.cover_given",
        cover_id=cover.pk,
        absent=absent.pk,
        covering=covering.pk,
        cases=len(chosen),
    )
    return cover


@transaction.atomic
def cover_end(*, cover: Cover, reason: str, by: User) -> Cover:
    """End a cover now (or cancel one not yet begun): the covering worker can no longer
    open the cases, from this moment."""
    cover = Cover.objects.select_for_update().get(pk=cover.pk)
    if cover.ended_at is not None:
        raise ValidationError("This cover has already been ended.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the cover ends early"})
    cover.ended_at = timezone.now()
    history.save(cover, by=by, reason=reason.strip())
    withdraw_cover(cover)
    logger.info("caseload.cover_ended", cover_id=cover.pk)
    return cover


def withdraw_past_covers(today: date) -> int:
    """Remove the grants of covers whose last day has passed (they already open nothing:
    this keeps the grants table to what is in use). Returns the covers tidied."""
    past = Cover.objects.filter(Q(ends__lt=today) | Q(ended_at__isnull=False), grants__isnull=False)
    covers = list(past.distinct())
    for cover in covers:
        withdraw_cover(cover)
    return len(covers)
