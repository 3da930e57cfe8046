"""Stored pseudonyms: unique in each space, made once in bulk, found in one query."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404

from caseload.models import Case, CasePseudonym
from caseload.pseudonyms import case_pseudonyms_ensure, pseudonyms_of
from evaluation.records import case_id_for
from tests.factories import CaseFactory, evaluator_pseudonym

pytestmark = pytest.mark.django_db

NEW_FORM = r"[PR]-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}"


def test_a_new_case_gets_two_long_random_pseudonyms_in_separate_spaces() -> None:
    pseudonyms = pseudonyms_of(CaseFactory())
    assert re.fullmatch(NEW_FORM, pseudonyms.evaluator) and pseudonyms.evaluator[0] == "P"
    assert re.fullmatch(NEW_FORM, pseudonyms.opcc) and pseudonyms.opcc[0] == "R"


def test_pseudonyms_are_made_once_and_never_recomputed() -> None:
    case = CaseFactory()
    first = pseudonyms_of(case)
    case_pseudonyms_ensure()
    again = pseudonyms_of(case)
    assert (again.pk, again.evaluator, again.opcc) == (first.pk, first.evaluator, first.opcc)
    with pytest.raises(ValueError, match="cannot be changed"):
        again.save()


def test_the_database_refuses_a_second_case_with_the_same_pseudonym() -> None:
    taken = pseudonyms_of(CaseFactory())
    other = CaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CasePseudonym.objects.create(case=other, evaluator=taken.evaluator, opcc="R-NEW")
    with pytest.raises(IntegrityError), transaction.atomic():
        CasePseudonym.objects.create(case=other, evaluator="P-NEW", opcc=taken.opcc)


def test_a_drawn_pseudonym_that_clashes_with_a_stored_one_is_drawn_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    taken = pseudonyms_of(CaseFactory())
    case = CaseFactory()
    draws: Iterator[str] = iter(
        [taken.evaluator, "R-AAAA-AAAA-AAAA", "P-BBBB-BBBB-BBBB", "R-BBBB-BBBB-BBBB"]
    )
    monkeypatch.setattr("caseload.pseudonyms.new_pseudonym", lambda prefix: next(draws))

    made = pseudonyms_of(case)

    assert (made.evaluator, made.opcc) == ("P-BBBB-BBBB-BBBB", "R-BBBB-BBBB-BBBB")
    assert CasePseudonym.objects.get(pk=taken.pk).case_id != case.pk


def test_pseudonyms_for_many_cases_are_made_in_a_few_queries(
    django_assert_max_num_queries: Any,
) -> None:
    CaseFactory.create_batch(50)
    with django_assert_max_num_queries(3):
        case_pseudonyms_ensure()
    assert CasePseudonym.objects.count() == Case.objects.count() == 50
    assert len(set(CasePseudonym.objects.values_list("evaluator", flat=True))) == 50
    with django_assert_max_num_queries(1):  # nothing more to make: one query finds that
        case_pseudonyms_ensure()


@pytest.mark.parametrize("cases", [5, 50])
def test_finding_the_case_of_a_pseudonym_is_one_query_whatever_the_number_of_cases(
    cases: int, django_assert_num_queries: Any
) -> None:
    wanted = CaseFactory.create_batch(cases)[-1]
    pseudonym = evaluator_pseudonym(wanted)
    case_pseudonyms_ensure()
    with django_assert_num_queries(1) as captured:
        assert case_id_for(f" {pseudonym.lower()} ") == wanted.pk
    # One row read by the pseudonym's index, not every case's id.
    assert pseudonym in str(captured.captured_queries[0]["sql"])


def test_a_pseudonym_no_case_has_is_not_found() -> None:
    CaseFactory()
    case_pseudonyms_ensure()
    with pytest.raises(Http404):
        case_id_for("P-0000-0000-0000")


def test_an_anonymised_case_keeps_its_pseudonyms(manager: Any) -> None:
    from privacy.retention import anonymise_person

    case = CaseFactory(closed_date=None)
    before = pseudonyms_of(case)
    anonymise_person(referral=case.referral, by=manager, kind="erasure", rule="request DPR-1")
    after = CasePseudonym.objects.get(case=case)
    # The evaluators' record of the case stays (its figures do), under the same pseudonym.
    assert (after.evaluator, after.opcc) == (before.evaluator, before.opcc)
    assert evaluator_pseudonym(case) == before.evaluator
