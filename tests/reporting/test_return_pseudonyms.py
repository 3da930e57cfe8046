"""The OPCC's pseudonyms are a space of their own: the per-case updates of a return cannot
be joined with the evaluators' records."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from caseload.models import CasePseudonym
from core.models import User
from reporting import services
from tests.factories import evaluator_pseudonym, opcc_pseudonym
from tests.reporting.returns_helpers import (
    END,
    START,
    build_history,
    eager_celery,
    nothing_stuck,
    pdf_text,
    private_media,
    signed_off_return,
    snapshot,
)
from tests.reporting.test_return_pdf import built_file

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("private_media", "eager_celery", "nothing_stuck"),
]
__all__ = ["eager_celery", "nothing_stuck", "private_media"]

SignedIn = Callable[..., Client]


def test_the_opcc_documents_name_cases_by_the_opcc_pseudonyms_never_the_evaluators(
    manager: User, opcc: User, signed_in: SignedIn, tmp_path: Path
) -> None:
    history = build_history()
    quarterly_return = signed_off_return(manager)

    opcc_names = {opcc_pseudonym(case) for case in history.cases}
    evaluator_names = {evaluator_pseudonym(case) for case in history.cases}
    assert len(opcc_names) == len(evaluator_names) == len(history.cases)
    assert opcc_names.isdisjoint(evaluator_names)
    assert set(quarterly_return.active_cases) == opcc_names
    assert {u.pseudonym for u in quarterly_return.updates.all()} == opcc_names

    client = signed_in(opcc)
    documents = {
        "list": client.get(reverse("reporting:opcc-returns")).content.decode(),
        "csv": built_file(quarterly_return, "csv").decode("utf-8-sig"),
        "pdf": pdf_text(built_file(quarterly_return, "pdf"), tmp_path),
    }
    for pseudonym in opcc_names:
        assert pseudonym in documents["pdf"]
    for name, text in documents.items():
        for pseudonym in evaluator_names:
            assert pseudonym not in text, name


def test_the_manager_reviewing_updates_sees_the_opcc_pseudonyms_linked_to_their_cases(
    manager: User, signed_in: SignedIn
) -> None:
    history = build_history()
    quarterly_return = snapshot(services.return_start(start=START, end=END, by=manager))
    client = signed_in(manager)
    table = client.get(reverse("reporting:return-detail", kwargs={"pk": quarterly_return.pk}))
    for case in history.cases:
        update = quarterly_return.updates.get(case=case)
        assert update.pseudonym == opcc_pseudonym(case)
        assert f">{update.pseudonym}</a>" in table.content.decode()
        page = client.get(reverse("reporting:case-update", kwargs={"pk": update.pk}))
        text = page.content.decode()
        assert f"Quarterly update on {opcc_pseudonym(case)}" in text
        assert evaluator_pseudonym(case) not in text
        assert reverse("caseload:case-detail", args=[case.pk]) in text


def test_no_stored_opcc_pseudonym_is_in_the_evaluators_space() -> None:
    history = build_history()
    for case in history.cases:
        opcc_pseudonym(case)
    rows = CasePseudonym.objects.all()
    assert {row.opcc for row in rows}.isdisjoint({row.evaluator for row in rows})
    assert all(row.opcc.startswith("R-") and row.evaluator.startswith("P-") for row in rows)
