"""The return's figures computed once per period and read many times.

A period's figures depend only on the records dated in it or before it (a contact, a case's
start or close, an outcome, an assessment, an offence, a referral, a fund bid) and on the
fund's total and the workers' FTEs. So the figures of a period, once computed, stay right
until such a record changes: each write to one records a `FigureChange` from the earliest
date it touches (before and after the change), and a snapshot is read only when no change
since its computation began reaches back to its period. The dashboard's eight quarters of
trend, the evaluators' figures and the API read `figures_for`, which computes a period only
the first time it is asked for after a change.

What records a change: a saved or deleted row of the models in WATCHED (Django's signals,
which every service's `core.history.save/delete` sends), and `figures_changed()` called by
the writes that bypass them (the synthetic history writes in bulk; the legacy import runs
in `recorded_by_caller()` and records one change if it wrote anything, not one a row).
A change is recorded twice, in the writer's transaction and again once it commits, so that
a computation that began between the two cannot store figures without the change.

Safety nets: a snapshot older than MAX_AGE is computed again, and COMPUTATION names the
computation, so that a corrected figure or a new version of the definitions never reads
figures stored by an older one (bump it with any change to reporting.figures).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

#: The computation the stored figures came from (see the module's docstring).
COMPUTATION = "v2.1"
#: A snapshot is computed again after this long, whatever the changes say.
MAX_AGE = timedelta(days=7)
#: Changes are kept this long: longer than any snapshot is read, so none is missed.
CHANGES_KEPT = MAX_AGE + timedelta(days=1)
#: Every period: a change to the fund's total or a worker's FTE reaches every return.
EVERY_PERIOD = date(1900, 1, 1)


def figures_for(start: date, end: date) -> dict[str, Any]:
    """The figures of start..end (reporting.figures.quarterly_return) as plain JSON values:
    the stored ones when they are still right, else computed now and stored. A period not
    over yet (the quarter to date) is stored too: each record written in it is a change.
    The figures depend on nothing but the records (the fund is "current" by its row)."""
    stored = fresh_snapshots().filter(period_start=start, period_end=end)
    text = stored.values_list("figures_json", flat=True).first()
    return _loaded(text if text is not None else _compute(start, end)[0])


def trend_for(start: date, end: date) -> list[Any]:
    """The values of the figures the figure table marks for the trend (TREND, in its
    order) for start..end: a few numbers, read without the whole document."""
    stored = fresh_snapshots().filter(period_start=start, period_end=end)
    text = stored.values_list("trend_json", flat=True).first()
    values: list[Any] = json.loads(text if text is not None else _compute(start, end)[1])
    return values


def _compute(start: date, end: date) -> tuple[str, str]:
    """Compute the period's figures and store them: (figures, trend values) as JSON."""
    from reporting.figure_table import TREND
    from reporting.figures.document import quarterly_return
    from reporting.models import FigureSnapshot

    started_at = timezone.now()
    figures = quarterly_return(start, end)
    text = json.dumps(figures, cls=DjangoJSONEncoder)
    trend = [figures.get(line.section, {}).get(line.key) for line in TREND]
    trend_text = json.dumps(trend, cls=DjangoJSONEncoder)
    try:
        with transaction.atomic():
            FigureSnapshot.objects.filter(
                period_start=start, period_end=end, computation=COMPUTATION
            ).delete()
            FigureSnapshot.objects.create(
                period_start=start,
                period_end=end,
                computation=COMPUTATION,
                figures_json=text,
                trend_json=trend_text,
                started_at=started_at,
            )
    except IntegrityError:
        pass  # computed by another request at the same time: theirs is as good
    return text, trend_text


def _loaded(text: str) -> dict[str, Any]:
    figures: dict[str, Any] = json.loads(text)
    return figures


def fresh_snapshots() -> models.QuerySet[Any]:
    """The snapshots that are still right: of this computation, younger than MAX_AGE, and
    begun after every change that reaches back to their period."""
    from reporting.models import FigureChange, FigureSnapshot

    later_change = FigureChange.objects.filter(
        changed_at__gte=OuterRef("started_at"), from_date__lte=OuterRef("period_end")
    )
    return FigureSnapshot.objects.filter(
        computation=COMPUTATION, started_at__gt=timezone.now() - MAX_AGE
    ).exclude(Exists(later_change))


def figures_changed(from_date: date = EVERY_PERIOD) -> None:
    """Record that the figures of every period ending on or after `from_date` may have
    changed: now, and again when the current transaction commits."""
    from reporting.models import FigureChange

    FigureChange.objects.create(from_date=from_date, changed_at=timezone.now())
    transaction.on_commit(
        lambda: FigureChange.objects.create(from_date=from_date, changed_at=timezone.now())
    )


#: Set while a bulk write runs (recorded_by_caller): the rows' signals record nothing.
_in_bulk_write: ContextVar[bool] = ContextVar("figures_in_bulk_write", default=False)


@contextmanager
def recorded_by_caller() -> Iterator[None]:
    """For a write of many rows at once (an import): the rows' signals record nothing (nor
    read each row's dates); the caller records the one change, if it wrote anything."""
    token = _in_bulk_write.set(True)
    try:
        yield
    finally:
        _in_bulk_write.reset(token)


def forget_stale(now: datetime | None = None) -> tuple[int, int]:
    """Delete the snapshots that can no longer be read and the changes no snapshot needs:
    (snapshots, changes) deleted. Run daily."""
    from reporting.models import FigureChange, FigureSnapshot

    now = now or timezone.now()
    fresh = fresh_snapshots().values("pk")
    snapshots, _ = FigureSnapshot.objects.exclude(pk__in=fresh).delete()
    changes, _ = FigureChange.objects.filter(changed_at__lt=now - CHANGES_KEPT).delete()
    return snapshots, changes


# --- What records a change ---------------------------------------------------------------


def watched() -> dict[type[models.Model], tuple[str, ...]]:
    """The models the figures read -> their date fields. A row's change reaches every
    period ending on or after its earliest date; no date fields: every period."""
    from caseload.models import (
        Case,
        Complaint,
        Contact,
        CrisisEpisode,
        DistanceAssessment,
        Feedback,
        Offence,
        Outcome,
        Signposting,
        VocationalProfile,
    )
    from enterprise_fund.models import Fund, FundApplication
    from referrals.models import Referral

    return {
        Referral: ("received_date", "decision_date"),
        Case: ("start_date", "closed_date"),
        Contact: ("date",),
        Outcome: ("start_date", "end_date"),
        DistanceAssessment: ("date",),
        Offence: ("date",),
        Signposting: ("date",),
        Feedback: ("date",),
        CrisisEpisode: ("date",),
        # Read as it stood at each period's end (its history): an edit reaches the periods
        # from the one it was last edited in.
        VocationalProfile: ("updated_at",),
        Complaint: ("received_date", "acknowledged_date", "resolved_date"),
        FundApplication: ("submitted_date", "decision_date"),
        Fund: (),
    }


#: A worker's fields the figures show (the per-worker rows, the year's targets): other saves
#: of a user (a sign-in's last_login, say) change no figure.
WORKER_FIELDS = ("email", "fte", "start_date")


def _earliest(values: Iterable[Any]) -> date | None:
    dates = [
        timezone.localdate(value) if isinstance(value, datetime) else value
        for value in values
        if isinstance(value, date)
    ]
    return min(dates) if dates else None


def _dates_of(instance: models.Model, fields: tuple[str, ...]) -> list[Any]:
    return [getattr(instance, field) for field in fields]


def _before_save(sender: type[models.Model], instance: Any, raw: bool, **kwargs: Any) -> None:
    """Keep the row's dates (or a worker's fields) as the database has them before a save,
    so that moving a record out of a period changes that period too."""
    if raw or _in_bulk_write.get() or instance.pk is None or instance._state.adding:
        return
    fields = watched().get(sender, WORKER_FIELDS)
    if fields:
        instance._figure_fields_before = (
            sender._default_manager.filter(pk=instance.pk).values_list(*fields).first()
        )


def _after_save(sender: type[models.Model], instance: Any, raw: bool, **kwargs: Any) -> None:
    if raw or _in_bulk_write.get():
        return
    before = getattr(instance, "_figure_fields_before", None)
    if sender not in watched():  # a user
        now = tuple(getattr(instance, field) for field in WORKER_FIELDS)
        if before is not None and tuple(before) != now:
            figures_changed()
        return
    fields = watched()[sender]
    if not fields:
        figures_changed()
        return
    earliest = _earliest([*_dates_of(instance, fields), *(before or ())])
    if earliest is not None:
        figures_changed(earliest)


def _after_delete(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    if _in_bulk_write.get():
        return
    fields = watched().get(sender, ())
    if not fields:
        figures_changed()
        return
    earliest = _earliest(_dates_of(instance, fields))
    if earliest is not None:
        figures_changed(earliest)


def connect() -> None:
    """Listen to the writes that can change a figure (called by the app's ready())."""
    from core.models import User

    models_read: list[type[models.Model]] = [*watched(), User]
    for model in models_read:
        uid = f"reporting.figures.stored.{model._meta.label}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}.pre")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}.post")
    for model in watched():
        uid = f"reporting.figures.stored.{model._meta.label}"
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}.delete")
