"""Payments out of an award, with evidence: never more than the award, each in the ledger."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from caseload.models import Case
from core.models import User
from enterprise_fund.models import Attachment, Fund, FundApplication, LedgerEntry, Payment
from enterprise_fund.services import payments
from tests.enterprise_fund.conftest import stored_files
from tests.enterprise_fund.helpers import EXE, make_approved, make_submitted, upload

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def award(case: Case, specialist: User, manager: User, fund: Fund) -> FundApplication:
    return make_approved(case, specialist, manager, 80_000)


def pay_data(application: FundApplication, amount: str, **extra: object) -> dict[str, object]:
    return {
        "version": application.version,
        "date_0": TODAY.day,
        "date_1": TODAY.month,
        "date_2": TODAY.year,
        "amount": amount,
        "payee": "supplier",
        "payee_name": "Acme Tools",
        "reference": "INV-42",
        "evidence_kind": "invoice",
        "evidence": upload("invoice.pdf"),
        **extra,
    }


def pay(application: FundApplication, by: User, amount_pence: int, **extra: object) -> Payment:
    application.refresh_from_db()
    arguments: dict[str, object] = {
        "version": application.version,
        "date": TODAY,
        "amount_pence": amount_pence,
        "payee": "client",
        "payee_name": "The applicant",
        "reference": "",
        "evidence_kind": "receipt",
        "evidence": upload("receipt.pdf"),
    }
    return payments.fund_payment_record(
        application=application,
        by=by,
        **(arguments | extra),  # type: ignore[arg-type]
    )


def test_a_payment_with_evidence_is_recorded_and_in_the_ledger(
    signed_in: Callable[..., Client], manager: User, award: FundApplication, private_media: Path
) -> None:
    response = signed_in(manager).post(
        reverse("enterprise_fund:payment-new", args=[award.pk]), pay_data(award, "300")
    )
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.amount_paid_pence == 30_000
    payment = Payment.objects.get()
    assert (payment.amount_pence, payment.payee, payment.by) == (30_000, "supplier", manager)
    assert payment.evidence.kind == "invoice"
    ledger = LedgerEntry.objects.get(kind="payment")
    assert (ledger.amount_pence, ledger.application, ledger.reason) == (
        30_000,
        award,
        "Paid to Acme Tools",
    )
    assert len(stored_files(private_media)) == 1


def test_payments_never_exceed_the_award(manager: User, award: FundApplication) -> None:
    pay(award, manager, 50_000)
    with pytest.raises(
        ValidationError, match=r"£500 of the £800 award has been paid: at most £300"
    ):
        pay(award, manager, 30_001)
    pay(award, manager, 30_000)
    award.refresh_from_db()
    assert award.amount_paid_pence == award.amount_awarded_pence == 80_000
    with pytest.raises(ValidationError, match="at most £0 can be paid now"):
        pay(award, manager, 1)
    assert sum(p.amount_pence for p in Payment.objects.all()) == 80_000


def test_the_database_refuses_paid_beyond_the_award(manager: User, award: FundApplication) -> None:
    award.refresh_from_db()
    award.amount_paid_pence = 80_001
    with pytest.raises(IntegrityError), transaction.atomic():
        award.save()


def test_an_overpayment_on_the_page_is_refused_and_nothing_stored(
    signed_in: Callable[..., Client], manager: User, award: FundApplication, private_media: Path
) -> None:
    response = signed_in(manager).post(
        reverse("enterprise_fund:payment-new", args=[award.pk]), pay_data(award, "800.01")
    )
    assert response.status_code == 200
    assert "at most £800 can be paid now" in response.context["form"].errors["amount"][0]
    assert not Payment.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(private_media) == []


def test_bad_evidence_is_refused_and_nothing_stored(
    signed_in: Callable[..., Client], manager: User, award: FundApplication, private_media: Path
) -> None:
    response = signed_in(manager).post(
        reverse("enterprise_fund:payment-new", args=[award.pk]),
        pay_data(award, "100", evidence=upload("receipt.pdf", EXE)),
    )
    assert response.status_code == 200
    assert "whatever its name says" in response.context["form"].errors["evidence"][0]
    assert not Payment.objects.exists()
    assert stored_files(private_media) == []


def test_posting_the_same_payment_twice_pays_once(
    signed_in: Callable[..., Client], manager: User, award: FundApplication
) -> None:
    client = signed_in(manager)
    url = reverse("enterprise_fund:payment-new", args=[award.pk])
    version = award.version
    client.post(url, pay_data(award, "100"))
    award.version = version
    again = client.post(url, pay_data(award, "100"))
    assert "has changed since you opened this page" in again.content.decode()
    assert Payment.objects.count() == 1


def test_only_an_approved_bid_can_be_paid(
    specialist: User, manager: User, case: Case, fund: Fund
) -> None:
    submitted = make_submitted(case, specialist)
    with pytest.raises(ValidationError, match="Only an approved application can be paid"):
        pay(submitted, manager, 100)
