"""Retention (DP-2) and the anonymisation behind erasure (DP-3): who is due, what is removed
everywhere (history and files included), what stays for the figures, and that no record
type reachable from a person escapes the rules."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models

from caseload.models import Case, Contact, Offence, Outcome, RiskAssessment
from core.models import User
from core.system_user import system_user
from e4e.celery import app
from enterprise_fund.models import Attachment
from enterprise_fund.services import attachments, payments
from privacy.models import RetentionAction
from privacy.retention import (
    ANONYMISE,
    KEPT,
    REMOVED,
    anonymise_person,
    apply_retention,
    reachable_models,
    records_of,
    years_before,
)
from referrals.models import Referral
from tests.enterprise_fund.helpers import make_draft, make_fund, upload
from tests.factories import CaseFactory, ReferralFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 22)
IDENTIFYING = (
    "Zebedee",
    "Quillfeather",
    "07700 900123",
    "zebedee@example.org",
    "9LP",
    "Private words",
    "Pat Referrer",
    "quote.pdf",
)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def person_case(worker: User, manager: User, *, closed: date | None) -> Case:
    """A case with details in its referral, a contact, an outcome, an offence, a risk
    assessment and a fund bid with a file: every one of them edited once (history)."""
    case = CaseFactory(
        worker=worker,
        referral__first_name="Zebedee",
        referral__last_name="Quillfeather",
        referral__date_of_birth=date(2001, 8, 17),
        referral__received_date=date(2019, 3, 1),
        referral__decision_date=date(2019, 3, 4),
        referral__postcode="B12 9LP",
        referral__phone="07700 900123",
        referral__email="zebedee@example.org",
        referral__referrer_name="Pat Referrer",
        referral__reason="Private words about why",
        accepted_date=date(2019, 3, 4),
        start_date=date(2019, 3, 5),
    )
    contact = Contact.objects.create(
        case=case,
        worker=worker,
        date=date(2019, 3, 6),
        mode="face_to_face",
        party="client",
        duration_minutes=30,
        note="Private words at the first meeting",
    )
    contact.note = "Private words, corrected"
    contact.save()
    Outcome.objects.create(
        case=case,
        type="paid_employment",
        start_date=date(2019, 4, 1),
        hours_per_week=20,
        employer_name="Private words Ltd",
        role="Private words role",
    )
    Offence.objects.create(case=case, date=date(2019, 5, 1), description="Private words")
    RiskAssessment.objects.create(
        case=case,
        date=date(2019, 3, 5),
        risks_to_client="Private words",
        review_date=date(2019, 6, 5),
        by=worker,
    )
    make_fund(manager)
    draft = make_draft(case, worker, purpose="Private words: a barber's")
    attachments.fund_attachment_add(
        application=draft, kind="quote", upload=upload("quote.pdf"), by=worker
    )
    if closed:
        case.closed_date, case.closure_reason = closed, "disengaged"
        case.save()
    return case


def closed_case(worker: User, closed: date = date(2019, 1, 1)) -> Case:
    return CaseFactory(
        worker=worker,
        referral__received_date=date(2018, 1, 2),
        referral__decision_date=date(2018, 1, 3),
        accepted_date=date(2018, 1, 3),
        start_date=date(2018, 1, 4),
        closed_date=closed,
        closure_reason="other",
    )


def everything_about(referral_id: int) -> str:
    """Every row, current and historical, of every record reachable from the referral."""
    referral = Referral.objects.get(pk=referral_id)
    texts: list[str] = []
    for obj in records_of(referral):
        texts.append(str(model_values(obj)))
        history = getattr(type(obj), "history", None)
        if history is not None:
            texts.extend(str(row) for row in history.filter(id=obj.pk).values())
    return "\n".join(texts)


def model_values(obj: models.Model) -> dict[str, Any]:
    return type(obj)._default_manager.filter(pk=obj.pk).values().get()


def test_every_record_type_a_person_reaches_is_covered_field_by_field() -> None:
    text_fields = (models.CharField, models.TextField, models.FileField, models.JSONField)
    for model in reachable_models():
        label = model._meta.label
        assert label in ANONYMISE and label in KEPT, f"{label} has no retention rule"
        texts = {f.name for f in model._meta.concrete_fields if isinstance(f, text_fields)}
        cleared, kept = set(ANONYMISE[label]) - {"date_of_birth"}, KEPT[label]
        assert not cleared & kept, f"{label}: {cleared & kept} both cleared and kept"
        assert texts == cleared | kept, f"{label}: unclassified {texts - cleared - kept}"
    assert {m._meta.label for m in reachable_models()} == set(ANONYMISE) == set(KEPT)


def test_a_case_closed_six_years_ago_is_anonymised_everywhere(
    specialist: User, manager: User, media: Path
) -> None:
    case = person_case(specialist, manager, closed=years_before(TODAY, 6))
    referral_id = case.referral_id
    assert "Zebedee" in everything_about(referral_id)  # the check below can see it
    assert list(media.rglob("*.pdf"))

    done = apply_retention(today=TODAY, by=system_user())

    assert done["case closed 6 years ago"] == 1
    text = everything_about(referral_id)
    for value in IDENTIFYING:
        assert value not in text, value
    assert not [path for path in media.rglob("*") if path.is_file()]
    referral = Referral.objects.get(pk=referral_id)
    assert referral.date_of_birth == date(2001, 1, 1)
    assert referral.postcode == "B12"
    assert referral.anonymised_at is not None
    assert referral.person_key == f"anonymised-{referral_id}"
    # What the figures and the evaluation count stays.
    assert Contact.objects.filter(case=case, mode="face_to_face", duration_minutes=30).exists()
    assert Outcome.objects.filter(case=case, type="paid_employment", hours_per_week=20).exists()
    assert Case.objects.get(pk=case.pk).closure_reason == "disengaged"
    assert Attachment.objects.filter(application__case=case, kind="quote").exists()
    # One history row per record, by the system, saying why.
    history = Contact.history.filter(case_id=case.pk)
    assert history.count() == 1
    assert history.get().history_user == system_user()
    assert history.get().history_change_reason == "Anonymised: case closed 6 years ago"
    action = RetentionAction.objects.get()
    assert (action.referral_id, action.case_id, action.kind) == (referral_id, case.pk, "retention")
    assert action.counts["files_deleted"] == 1
    assert action.counts["records"]["caseload.Contact"] == 1


def test_open_and_recently_closed_cases_are_left_alone(
    specialist: User, manager: User, media: Path
) -> None:
    recent = person_case(specialist, manager, closed=years_before(TODAY, 6) + timedelta(days=1))
    assert apply_retention(today=TODAY, by=system_user()) == {
        "case closed 6 years ago": 0,
        "referral rejected or withdrawn 1 year ago": 0,
    }
    assert Referral.objects.get(pk=recent.referral_id).first_name == "Zebedee"
    assert Contact.history.filter(case_id=recent.pk).count() == 2
    assert not RetentionAction.objects.exists()


def test_rejected_and_withdrawn_referrals_go_after_a_year(settings: Any) -> None:
    old = TODAY - timedelta(days=366)
    rejected = ReferralFactory(
        status="rejected",
        received_date=old - timedelta(days=5),
        decision_date=old,
        first_name="Zebedee",
        rejection_reason="age",
        rejection_rationale="Private words",
    )
    withdrawn = ReferralFactory(
        status="withdrawn",
        received_date=old - timedelta(days=5),
        decision_date=old,
        first_name="Zebedee",
    )
    recent = ReferralFactory(
        status="rejected",
        received_date=TODAY - timedelta(days=305),
        decision_date=TODAY - timedelta(days=300),
        rejection_reason="age",
        rejection_rationale="Too young",
    )
    waiting = ReferralFactory(status="waiting_list", decision_date=None)
    apply_retention(today=TODAY, by=system_user())
    assert Referral.objects.get(pk=rejected.pk).first_name == "Anonymised"
    assert Referral.objects.get(pk=rejected.pk).rejection_reason == "age"
    assert Referral.objects.get(pk=rejected.pk).rejection_rationale == REMOVED
    assert Referral.objects.get(pk=withdrawn.pk).first_name == "Anonymised"
    assert Referral.objects.get(pk=recent.pk).anonymised_at is None
    assert Referral.objects.get(pk=waiting.pk).anonymised_at is None


def test_the_retention_period_is_a_setting(specialist: User, settings: Any) -> None:
    settings.E4E_RETENTION_YEARS = 2
    case = closed_case(specialist, date(2024, 11, 1))
    done = apply_retention(today=TODAY, by=system_user())
    assert done == {"case closed 2 years ago": 1, "referral rejected or withdrawn 1 year ago": 0}
    assert Referral.objects.get(pk=case.referral_id).anonymised_at is not None


def test_anonymising_twice_changes_nothing_more(specialist: User) -> None:
    case = closed_case(specialist)
    apply_retention(today=TODAY, by=system_user())
    first = model_values(Referral.objects.get(pk=case.referral_id))
    assert (
        anonymise_person(referral=case.referral, by=system_user(), kind="erasure", rule="again")
        is None
    )
    apply_retention(today=TODAY, by=system_user())
    assert model_values(Referral.objects.get(pk=case.referral_id)) == first
    assert RetentionAction.objects.count() == 1


def test_a_record_type_without_rules_stops_the_anonymisation(
    specialist: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = closed_case(specialist)
    Contact.objects.create(
        case=case,
        worker=specialist,
        date=date(2019, 1, 1),
        mode="phone",
        party="client",
        duration_minutes=5,
        note="Private words",
    )
    monkeypatch.delitem(ANONYMISE, "caseload.Contact")
    with pytest.raises(LookupError, match=r"caseload\.Contact"):
        apply_retention(today=TODAY, by=system_user())
    # All or nothing for the person: the referral was not half done.
    assert Referral.objects.get(pk=case.referral_id).anonymised_at is None
    assert Contact.objects.get(case=case).note == "Private words"


def test_the_command_counts_first_and_then_anonymises(specialist: User, capsys: Any) -> None:
    case = closed_case(specialist)
    call_command("apply_retention", "--dry-run")
    assert "case closed 6 years ago: 1 due" in capsys.readouterr().out
    assert Referral.objects.get(pk=case.referral_id).anonymised_at is None
    call_command("apply_retention")
    assert "case closed 6 years ago: 1 anonymised" in capsys.readouterr().out
    assert Referral.objects.get(pk=case.referral_id).anonymised_at is not None


def test_retention_runs_every_night() -> None:
    entry = app.conf.beat_schedule["apply-retention-schedule"]
    assert entry["task"] == "privacy.tasks.apply_retention_schedule"
    assert entry["schedule"].hour == {2}


def test_retention_records_cannot_be_changed_or_deleted(specialist: User) -> None:
    closed_case(specialist)
    apply_retention(today=TODAY, by=system_user())
    action = RetentionAction.objects.get()
    with pytest.raises(ValueError, match="cannot be changed"):
        action.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        action.delete()


def test_leap_day_retention_cut_off() -> None:
    assert years_before(date(2028, 2, 29), 6) == date(2022, 2, 28)


def test_the_nightly_task_anonymises_whoever_is_due(specialist: User) -> None:
    from privacy.tasks import apply_retention_schedule

    case = closed_case(specialist)
    done = apply_retention_schedule()
    assert done == {
        "case closed 6 years ago": 1,
        "referral rejected or withdrawn 1 year ago": 0,
    }
    assert Referral.objects.get(pk=case.referral_id).anonymised_at is not None


def test_an_awarded_and_paid_bid_is_anonymised_too(
    specialist: User, manager: User, media: Path
) -> None:
    from enterprise_fund.models import Assessment, Decision, LedgerEntry, Payment
    from tests.enterprise_fund.helpers import make_approved

    second = type(manager).objects.create(
        email="second@example.org", full_name="Second Manager", role="manager", fte="0.2"
    )
    case = person_case(specialist, second, closed=None)
    application = make_approved(case, specialist, manager, 40_000)
    application.refresh_from_db()
    payments.fund_payment_record(
        application=application,
        by=manager,
        version=application.version,
        date=date.today(),
        amount_pence=40_000,
        payee="client",
        payee_name="Zebedee Quillfeather",
        reference="Private words",
        evidence_kind="receipt",
        evidence=upload("receipt.pdf"),
    )
    case.refresh_from_db()
    case.closed_date, case.closure_reason = date.today(), "other"
    case.save()

    assert apply_retention(today=years_before(date.today(), -7), by=system_user()) == {
        "case closed 6 years ago": 1,
        "referral rejected or withdrawn 1 year ago": 0,
    }

    text = everything_about(case.referral_id)
    for value in IDENTIFYING:
        assert value not in text, value
    assert Payment.objects.get().amount_pence == 40_000
    assert LedgerEntry.objects.filter(kind="payment", amount_pence=40_000).exists()
    assert Assessment.objects.filter(application__case=case).exists()
    assert Decision.objects.filter(application__case=case).exists()
    assert not [path for path in media.rglob("*") if path.is_file()]
