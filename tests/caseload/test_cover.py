"""Cover during leave: a manager gives a specialist a colleague's cases from one date to
another; the covering worker opens and works them (marked as cover in the access log) only
between those dates, loses access by itself after the last day or at once when a manager
ends it, and the cases stay their own worker's, against that worker's cap."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseload.capacity import workers_with_places
from caseload.case_access import cases_opened_by
from caseload.intake import referral_accept
from caseload.invariants import problems
from caseload.models import Case, CaseUserObjectPermission, Contact, Cover
from caseload.services import cases
from caseload.services.cover import cover_end, cover_give, withdraw_past_covers
from core.models import AccessLog, Role, User
from referrals.selectors import referrals_visible_to
from tests.factories import CaseFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)  # a Monday
NOON = datetime.datetime(2026, 12, 7, 12, 0)


def case_page(client: Client, case: Case) -> int:
    return client.get(reverse("caseload:case-detail", args=[case.pk])).status_code


def referral_page(client: Client, case: Case) -> int:
    return client.get(reverse("referrals:detail", args=[case.referral_id])).status_code


def date_fields(name: str, day: datetime.date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def give(
    absent: User,
    covering: User,
    by: User,
    *,
    days: tuple[int, int] = (0, 6),
    cases: list[Case] | None = None,
) -> Cover:
    return cover_give(
        absent=absent,
        covering=covering,
        starts=TODAY + datetime.timedelta(days=days[0]),
        ends=TODAY + datetime.timedelta(days=days[1]),
        cases=cases,
        reason="Annual leave",
        by=by,
    )


@time_machine.travel(NOON, tick=False)
def test_a_manager_gives_cover_and_the_colleague_works_the_cases_marked_as_cover(
    signed_in: Callable[..., Client], manager: User, specialist: User, other_specialist: User
) -> None:
    mine = CaseFactory(worker=specialist)
    covering = signed_in(other_specialist)
    assert case_page(covering, mine) == 404

    response = signed_in(manager).post(
        reverse("caseload:cover-new", args=[specialist.pk]),
        {
            "covering": other_specialist.pk,
            **date_fields("starts", TODAY),
            **date_fields("ends", TODAY + datetime.timedelta(days=6)),
            "which": "all",
            "reason": "Annual leave",
        },
    )
    cover = Cover.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("caseload:cover-detail", args=[cover.pk])
    assert (cover.absent, cover.covering, cover.all_cases) == (specialist, other_specialist, True)

    page = covering.get(reverse("caseload:case-detail", args=[mine.pk])).content.decode()
    assert f"You are covering this case for {specialist.full_name}" in page
    assert referral_page(covering, mine) == 200
    home = covering.get(reverse("caseload:home")).content.decode()
    assert "Cases you are covering" in home and mine.referral.full_name in home

    posted = covering.post(
        reverse("caseload:contact-new", args=[mine.pk]),
        {
            "date": TODAY.isoformat(),
            "time": "10:00",
            "mode": "face_to_face",
            "party": "client",
            "duration_minutes": "20",
            "place": "office",
            "note": "Checked in while Sam is away",
        },
    )
    assert posted.status_code == 302, posted.content.decode().split("error-summary")[1][:1500]
    contact = Contact.objects.get(case=mine)
    assert contact.worker == other_specialist
    mine.refresh_from_db()
    assert mine.worker == specialist  # the case stays with its own worker

    views = AccessLog.objects.filter(user=other_specialist, subject_type="case", subject_id=mine.pk)
    assert views.exists()
    assert set(views.values_list("basis", flat=True)) == {"cover"}
    assert not AccessLog.objects.filter(user=specialist).exclude(basis="").exists()
    assert problems() == []


@time_machine.travel(NOON, tick=False)
def test_access_begins_on_the_first_day_and_ends_by_itself_after_the_last(
    signed_in: Callable[..., Client], manager: User, specialist: User, other_specialist: User
) -> None:
    case = CaseFactory(worker=specialist)
    give(specialist, other_specialist, manager, days=(1, 3))
    seen = {}
    for offset in (0, 1, 3, 4):
        with time_machine.travel(NOON + datetime.timedelta(days=offset), tick=False):
            client = signed_in(other_specialist)
            seen[offset] = (
                case_page(client, case),
                referral_page(client, case),
                case in cases_opened_by(other_specialist),
                referrals_visible_to(other_specialist).filter(pk=case.referral_id).exists(),
            )
    assert seen == {
        0: (404, 404, False, False),
        1: (200, 200, True, True),
        3: (200, 200, True, True),
        4: (404, 404, False, False),
    }
    # Nothing had to run for access to end; the nightly tidy then removes the grants.
    assert CaseUserObjectPermission.objects.filter(user=other_specialist).exists()
    with time_machine.travel(NOON + datetime.timedelta(days=4), tick=False):
        assert withdraw_past_covers(timezone.localdate()) == 1
        assert case_page(signed_in(specialist), case) == 200
    assert not CaseUserObjectPermission.objects.filter(user=other_specialist).exists()


@time_machine.travel(NOON, tick=False)
def test_cover_of_chosen_cases_opens_those_only(
    signed_in: Callable[..., Client], manager: User, specialist: User, other_specialist: User
) -> None:
    chosen, other = CaseFactory(worker=specialist), CaseFactory(worker=specialist)
    give(specialist, other_specialist, manager, cases=[chosen])
    client = signed_in(other_specialist)
    assert (case_page(client, chosen), case_page(client, other)) == (200, 404)


@time_machine.travel(NOON, tick=False)
def test_a_manager_ends_cover_early_and_access_goes_at_once_with_the_reason_kept(
    signed_in: Callable[..., Client], manager: User, specialist: User, other_specialist: User
) -> None:
    case = CaseFactory(worker=specialist)
    cover = give(specialist, other_specialist, manager)
    client, boss = signed_in(other_specialist), signed_in(manager)
    assert case_page(client, case) == 200
    url = reverse("caseload:cover-end", args=[cover.pk])
    confirm = boss.get(url).content.decode()
    assert "End the cover now?" in confirm
    refused = boss.post(url, {"reason": ""})
    assert "Enter why the cover ends early" in refused.content.decode()
    assert case_page(client, case) == 200

    boss.post(url, {"reason": "Back from leave early"})

    assert case_page(client, case) == 404
    cover.refresh_from_db()
    assert cover.ended_at is not None
    assert cover.history.latest().history_change_reason == "Back from leave early"
    detail = boss.get(reverse("caseload:cover-detail", args=[cover.pk])).content.decode()
    assert "Ended early" in detail and "Back from leave early" in detail
    again = boss.post(url, {"reason": "Twice"})  # a repeated post changes nothing
    assert again.status_code == 302
    assert cover.history.count() == 2


@time_machine.travel(NOON, tick=False)
def test_covered_cases_still_count_against_their_own_workers_cap(
    manager: User, specialist: User, other_specialist: User
) -> None:
    CaseFactory.create_batch(3, worker=specialist)
    before = {w.pk: w.held_cases for w in workers_with_places()}
    give(specialist, other_specialist, manager)
    after = {w.pk: w.held_cases for w in workers_with_places()}
    assert after == before
    assert (after[specialist.pk], after.get(other_specialist.pk, 0)) == (3, 0)


@time_machine.travel(NOON, tick=False)
def test_cover_of_all_cases_follows_cases_given_and_taken_while_it_lasts(
    signed_in: Callable[..., Client], manager: User, specialist: User, other_specialist: User
) -> None:
    give(specialist, other_specialist, manager)
    referral = ReferralFactory()
    new_case = referral_accept(referral=referral, worker=specialist, by=manager)
    client = signed_in(other_specialist)
    assert case_page(client, new_case) == 200

    cases.case_reassign(case=new_case, worker=UserFactory(role=Role.SPECIALIST), by=manager)

    assert case_page(client, new_case) == 404
    assert problems() == []


@time_machine.travel(NOON, tick=False)
def test_cover_is_refused_when_it_cannot_be_given(
    manager: User, specialist: User, other_specialist: User
) -> None:
    theirs = CaseFactory(worker=UserFactory(role=Role.SPECIALIST))
    refusals = {
        "oneself": {"covering": specialist},
        "backwards": {"days": (3, 1)},
        "past": {"days": (-5, -1)},
        "not theirs": {"cases": [theirs]},
        "no case chosen": {"cases": []},
    }
    for name, change in refusals.items():
        kwargs = {"absent": specialist, "covering": other_specialist, "by": manager, **change}
        with pytest.raises(ValidationError):
            give(**kwargs)  # type: ignore[arg-type]
        assert not Cover.objects.exists(), name

    give(specialist, other_specialist, manager)
    with pytest.raises(ValidationError, match="already covers"):
        give(specialist, other_specialist, manager, days=(10, 12))
    assert Cover.objects.count() == 1


@time_machine.travel(NOON, tick=False)
def test_only_managers_reach_the_cover_pages(
    signed_in: Callable[..., Client],
    manager: User,
    specialist: User,
    other_specialist: User,
    opcc: User,
    evaluator: User,
) -> None:
    cover = give(specialist, other_specialist, manager)
    urls = [
        reverse("caseload:covers"),
        reverse("caseload:cover-new", args=[specialist.pk]),
        reverse("caseload:cover-detail", args=[cover.pk]),
        reverse("caseload:cover-end", args=[cover.pk]),
    ]
    for user in (specialist, other_specialist, opcc, evaluator):
        client = signed_in(user)
        assert [client.get(url).status_code for url in urls] == [403] * 4, user.role
    boss = signed_in(manager)
    assert [boss.get(url).status_code for url in urls] == [200] * 4
    ended = signed_in(other_specialist).post(
        reverse("caseload:cover-end", args=[cover.pk]), {"reason": "x"}
    )
    assert ended.status_code == 403
    cover.refresh_from_db()
    assert cover.ended_at is None


@time_machine.travel(NOON, tick=False)
def test_ending_cover_in_the_service_needs_a_reason(manager: User, specialist: User) -> None:
    cover = give(specialist, UserFactory(role=Role.SPECIALIST), manager)
    with pytest.raises(ValidationError):
        cover_end(cover=cover, reason=" ", by=manager)
    cover.refresh_from_db()
    assert cover.ended_at is None
