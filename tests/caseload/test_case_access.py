"""Per-case visibility goes through one rule: django-guardian's object permission on the
case (`caseload.case_access`). The grant follows the worker through every path that gives
a case, the referral follows its case, and the invariant check notices any grant that
disagrees with the case's worker."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from guardian.shortcuts import assign_perm, remove_perm

from caseload.case_access import cases_opened_by
from caseload.intake import referral_accept
from caseload.invariants import problems
from caseload.models import Case
from caseload.models.access import VIEW_CASE
from caseload.services import cases
from core.models import User
from referrals.selectors import referrals_visible_to
from tests.factories import CaseFactory, ReferralFactory, UserFactory

TODAY = datetime.date.today()


def case_page(client: Client, case: Case) -> int:
    return client.get(reverse("caseload:case-detail", args=[case.pk])).status_code


def referral_page(client: Client, case: Case) -> int:
    return client.get(reverse("referrals:detail", args=[case.referral_id])).status_code


@pytest.mark.django_db
def test_a_case_whose_grant_is_withdrawn_no_longer_opens_for_its_worker(
    signed_in: Callable[..., Client], specialist: User
) -> None:
    case = CaseFactory(worker=specialist)
    client = signed_in(specialist)
    assert (case_page(client, case), referral_page(client, case)) == (200, 200)

    remove_perm(VIEW_CASE, specialist, case)

    assert (case_page(client, case), referral_page(client, case)) == (404, 404)
    assert f"Case {case.pk}: its worker has no grant to open it." in problems()


@pytest.mark.django_db
def test_a_grant_to_a_colleague_opens_the_case_for_them_and_the_invariant_names_it(
    signed_in: Callable[..., Client], specialist: User, other_specialist: User
) -> None:
    case = CaseFactory(worker=specialist)
    client = signed_in(other_specialist)
    assert case_page(client, case) == 404

    assign_perm(VIEW_CASE, other_specialist, case)

    assert (case_page(client, case), referral_page(client, case)) == (200, 200)
    assert (
        f"Case {case.pk}: user {other_specialist.pk} may open it but is not its worker."
        in problems()
    )


@pytest.mark.django_db
def test_accepting_a_referral_grants_the_case_to_the_worker_only(
    manager: User, specialist: User, other_specialist: User
) -> None:
    referral = ReferralFactory(status="screening")
    case = referral_accept(referral=referral, worker=specialist, by=manager)
    assert list(cases_opened_by(specialist)) == [case]
    assert list(cases_opened_by(other_specialist)) == []
    assert problems() == []


@pytest.mark.django_db
def test_reassigning_moves_the_grant_and_the_referral_follows(
    manager: User, specialist: User, other_specialist: User
) -> None:
    case = CaseFactory(worker=specialist)
    cases.case_reassign(case=case, worker=other_specialist, by=manager)

    assert list(cases_opened_by(specialist)) == []
    assert list(cases_opened_by(other_specialist)) == [case]
    assert list(referrals_visible_to(specialist)) == []
    assert list(referrals_visible_to(other_specialist)) == [case.referral]
    assert problems() == []


@pytest.mark.django_db
def test_correcting_a_legacy_cases_worker_moves_the_grant(
    manager: User, specialist: User, other_specialist: User
) -> None:
    from caseload.legacy import case_update

    case = CaseFactory(worker=specialist)
    case_update(case=case, by=manager, worker=other_specialist)
    assert list(cases_opened_by(other_specialist)) == [case]
    assert list(cases_opened_by(specialist)) == []


@pytest.mark.django_db
def test_referrals_a_specialist_sees_are_exactly_those_of_the_cases_they_open(
    manager: User,
) -> None:
    workers = UserFactory.create_batch(3)
    made = [CaseFactory(worker=workers[i % 3]) for i in range(7)]
    cases.case_reassign(case=made[0], worker=workers[2], by=manager)
    ReferralFactory()  # one with no case: no specialist sees it
    for worker in workers:
        opened = {c.referral_id for c in cases_opened_by(worker)}
        assert {r.pk for r in referrals_visible_to(worker)} == opened


@pytest.mark.django_db
def test_a_deactivated_specialist_opens_nothing_even_with_grants(specialist: User) -> None:
    CaseFactory(worker=specialist)
    # No save deactivates a worker who holds cases (caseload.capacity); one deactivated
    # past the model (a restore, a hand-made fix) must still open nothing.
    User.objects.filter(pk=specialist.pk).update(is_active=False)
    specialist.refresh_from_db()
    assert list(cases_opened_by(specialist)) == []
    assert list(referrals_visible_to(specialist)) == []


@pytest.mark.django_db
def test_managers_open_every_case_without_grants(manager: User, specialist: User) -> None:
    case = CaseFactory(worker=specialist)
    assert list(cases_opened_by(manager)) == [case]
    assert not manager.caseuserobjectpermission_set.exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_grants_every_existing_case_to_its_worker() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("caseload", "0008_fidelity_review")])
    old = (
        MigrationExecutor(connection)
        .loader.project_state([("caseload", "0008_fidelity_review")])
        .apps
    )
    OldUser = old.get_model("e4e", "User")
    Referral = old.get_model("referrals", "Referral")
    OldCase = old.get_model("caseload", "Case")
    worker = OldUser.objects.create(email="w@t.invalid", full_name="W", role="specialist", fte=1)
    made = []
    for n in range(3):
        referral = Referral.objects.create(
            reference=f"E4E-2026-90{n}",
            first_name="A",
            last_name="B",
            date_of_birth=datetime.date(2000, 1, 1),
            received_date=TODAY - datetime.timedelta(days=10),
            decision_date=TODAY - datetime.timedelta(days=9),
            status="accepted",
        )
        made.append(
            OldCase.objects.create(
                referral=referral, worker=worker, accepted_date=referral.decision_date
            ).pk
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    worker = User.objects.get(pk=worker.pk)
    assert sorted(cases_opened_by(worker).values_list("pk", flat=True)) == made
    assert problems() == []
