"""Stored figures (reporting.figures.stored): a period's figures are computed once and read
back until a record dated in or before the period changes, and are then exactly what the
computation says again."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from caseload.models import Case, Contact
from legacy_import.importer import import_legacy
from reporting.figures import figures_for, quarterly_return, stored
from reporting.models import FigureChange, FigureSnapshot
from reporting.selectors import dashboard
from tests.factories import CaseFactory, UserFactory
from tests.legacy_import.import_helpers import fixtures_dir

pytestmark = pytest.mark.django_db

Q2 = (date(2026, 7, 1), date(2026, 9, 30))
Q3 = (date(2026, 10, 1), date(2026, 12, 31))


def _contact(case: Case, day: date, minutes: int = 60) -> Contact:
    return Contact.objects.create(
        case=case,
        worker=case.worker,
        date=day,
        mode=Contact.Mode.FACE_TO_FACE,
        party=Contact.Party.CLIENT,
        duration_minutes=minutes,
    )


def _as_read_back(figures: dict) -> dict:
    return json.loads(json.dumps(figures, cls=DjangoJSONEncoder))  # type: ignore[no-any-return]


def _hours(period: tuple[date, date]) -> float:
    return figures_for(*period)["hours"]["face_to_face_hours"]  # type: ignore[no-any-return]


@pytest.fixture
def case() -> Case:
    return CaseFactory(
        referral__received_date=date(2026, 6, 1),
        referral__decision_date=date(2026, 6, 5),
        accepted_date=date(2026, 6, 5),
        start_date=date(2026, 6, 8),
    )


def test_a_period_is_computed_once_and_then_read_back(case: Case, django_assert_num_queries):
    _contact(case, date(2026, 8, 3))
    first = figures_for(*Q2)
    assert first == _as_read_back(quarterly_return(*Q2))
    with (
        mock.patch("reporting.figures.document.quarterly_return") as computed,
        django_assert_num_queries(1),
    ):
        again = figures_for(*Q2)
    computed.assert_not_called()
    # In the document's order too (the CSV and the API list the figures so).
    assert json.dumps(again) == json.dumps(_as_read_back(quarterly_return(*Q2)))
    assert FigureSnapshot.objects.filter(period_start=Q2[0], period_end=Q2[1]).count() == 1


def test_a_contact_backdated_into_a_closed_quarter_changes_its_figures(case: Case) -> None:
    _contact(case, date(2026, 8, 3), minutes=60)
    assert _hours(Q2) == 1.0
    _contact(case, date(2026, 9, 30), minutes=90)
    assert _hours(Q2) == 2.5


def test_a_change_dated_after_a_quarter_leaves_its_stored_figures_alone(case: Case) -> None:
    _contact(case, date(2026, 8, 3))
    _hours(Q2)
    _contact(case, date(2026, 10, 1))
    with mock.patch("reporting.figures.document.quarterly_return") as computed:
        assert _hours(Q2) == 1.0
    computed.assert_not_called()


def test_moving_a_record_out_of_a_quarter_changes_the_quarter_it_left(case: Case) -> None:
    contact = _contact(case, date(2026, 8, 3))
    assert _hours(Q2) == 1.0
    _hours(Q3)
    contact.date = date(2026, 10, 5)
    contact.save()
    assert _hours(Q2) == 0.0
    assert _hours(Q3) == 1.0


def test_a_deleted_record_changes_the_figures(case: Case) -> None:
    contact = _contact(case, date(2026, 8, 3))
    assert _hours(Q2) == 1.0
    contact.delete()
    assert _hours(Q2) == 0.0


def test_a_case_given_to_another_worker_changes_the_per_worker_rows(case: Case) -> None:
    _contact(case, date(2026, 8, 3))
    before = [row["worker"] for row in figures_for(*Q2)["caseload"]["per_worker"]]
    assert before == [case.worker.email]
    other = UserFactory(email="zz-other@example.org")
    case.worker = other
    case.save()
    after = [row["worker"] for row in figures_for(*Q2)["caseload"]["per_worker"]]
    assert other.email in after


def test_a_workers_fte_changes_every_period_but_signing_in_does_not(case: Case) -> None:
    _contact(case, date(2026, 8, 3))
    assert figures_for(*Q2)["caseload"]["per_worker"][0]["fte"] == 1.0
    worker = case.worker
    worker.last_login = timezone.now()
    worker.save()
    with mock.patch("reporting.figures.document.quarterly_return") as computed:
        figures_for(*Q2)
    computed.assert_not_called()
    worker.fte = Decimal("0.5")
    worker.save()
    assert figures_for(*Q2)["caseload"]["per_worker"][0]["fte"] == 0.5


def test_a_change_while_the_figures_are_computed_is_not_lost(case: Case) -> None:
    """A record written after the computation began may be missing from its figures: the
    figures are stored, but never read back."""
    real = quarterly_return

    def computing_while_a_contact_is_logged(start: date, end: date) -> dict:
        figures = real(start, end)
        _contact(case, date(2026, 8, 3))  # committed after the figures were read
        return figures

    with mock.patch(
        "reporting.figures.document.quarterly_return", computing_while_a_contact_is_logged
    ):
        assert _hours(Q2) == 0.0
    assert _hours(Q2) == 1.0


def test_an_import_changes_every_period(case: Case) -> None:
    _hours(Q2)
    assert import_legacy(fixtures_dir() / "sample-history", fund_total_pence=5_000_000).ok
    assert not stored.fresh_snapshots().exists()


def test_figures_of_another_computation_are_never_read(case: Case) -> None:
    _contact(case, date(2026, 8, 3))
    _hours(Q2)
    with mock.patch.object(stored, "COMPUTATION", "v-next"):
        assert not stored.fresh_snapshots().exists()


def test_old_snapshots_and_changes_are_forgotten(case: Case) -> None:
    _contact(case, date(2026, 8, 3))
    _hours(Q2)
    _hours(Q3)
    _contact(case, date(2026, 11, 2))  # Q3's figures are stale now, Q2's are not
    later = timezone.now() + stored.CHANGES_KEPT + timedelta(minutes=1)
    assert stored.forget_stale(now=later)[0] == 1
    assert list(FigureSnapshot.objects.values_list("period_start", flat=True)) == [Q2[0]]
    assert not FigureChange.objects.filter(changed_at__lt=later - stored.CHANGES_KEPT).exists()


def test_the_dashboard_reads_nine_stored_periods(case: Case, django_assert_max_num_queries):
    _contact(case, date(2026, 8, 3))
    today = date(2026, 11, 20)
    first = dashboard(today)
    with django_assert_max_num_queries(9):
        again = dashboard(today)
    assert again["trend"] == first["trend"]
    assert again["figures"] == _as_read_back(quarterly_return(date(2026, 10, 1), today))
