"""Screening: the queue, eligibility, duplicates, the decisions and telling the referrer."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caseload.capacity import held_case_count
from caseload.models import Case
from core.models import Role, User
from referrals.models import Referral
from referrals.services import referral_set_status
from tests.factories import CaseFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(manager: User, signed_in: Callable[..., Client]) -> Client:
    return signed_in(manager)


def detail(client: Client, referral: Referral) -> str:
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- Reject -------------------------------------------------------------------------------


def test_a_rejection_without_a_rationale_is_refused_with_an_error_summary(desk: Client) -> None:
    referral = ReferralFactory()
    url = reverse("referrals:reject", args=[referral.pk])
    response = desk.post(url, {"reason": "not_ready", "rationale": "   "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Write down why the referral is rejected" in page
    assert 'href="#id_rationale"' in page
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED


def test_a_rejection_without_a_reason_is_refused(desk: Client) -> None:
    referral = ReferralFactory()
    response = desk.post(
        reverse("referrals:reject", args=[referral.pk]), {"rationale": "Not ready."}
    )
    assert "Choose a reason for rejecting the referral" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED


def test_a_rejection_records_reason_rationale_who_and_when(desk: Client, manager: User) -> None:
    referral = ReferralFactory()
    response = desk.post(
        reverse("referrals:reject", args=[referral.pk]),
        {"reason": "not_ready", "rationale": "Wants to wait until after his course."},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.REJECTED
    assert referral.rejection_reason == "not_ready"
    assert referral.rejection_rationale == "Wants to wait until after his course."
    assert referral.decided_by == manager and referral.decision_date is not None
    page = detail(desk, referral)
    assert "Wants to wait until after his course." in page
    assert "Status changed from received to rejected" in page
    assert manager.full_name in page


def test_extra_fields_posted_to_a_decision_change_nothing_else(
    desk: Client, specialist: User, other_specialist: User
) -> None:
    referral = ReferralFactory()
    desk.post(
        reverse("referrals:reject", args=[referral.pk]),
        {
            "reason": "other",
            "rationale": "Duplicate of a paper referral.",
            "status": "accepted",
            "decided_by": str(specialist.pk),
            "first_name": "Changed",
        },
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.REJECTED
    assert referral.decided_by != specialist and referral.first_name != "Changed"


# --- Accept -------------------------------------------------------------------------------


def test_accepting_to_a_specialist_opens_their_case(
    desk: Client, specialist: User, signed_in: Callable[..., Client]
) -> None:
    referral = ReferralFactory()
    response = desk.post(
        reverse("caseload:referral-accept", args=[referral.pk]), {"worker": specialist.pk}
    )
    assert response.status_code == 302
    case = Case.objects.get(referral=referral)
    assert case.worker == specialist and case.start_date is None
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    mine = signed_in(specialist).get(reverse("referrals:detail", args=[referral.pk]))
    assert mine.status_code == 200


def test_the_accept_page_shows_each_workers_open_cases_and_disables_the_full(
    desk: Client, specialist: User
) -> None:
    full = UserFactory(role=Role.SPECIALIST, fte=Decimal("0.2"), full_name="Fay Full")
    CaseFactory.create_batch(5, worker=full)
    CaseFactory.create_batch(3, worker=specialist)
    referral = ReferralFactory()
    page = desk.get(reverse("caseload:referral-accept", args=[referral.pk])).content.decode()
    assert "3 of 25 places taken" in page and "22 places free" in page
    assert "5 of 5 places taken" in page and "At capacity" in page
    fay = page.split("Fay Full")[0].rsplit("<input", 1)[1]
    assert "disabled" in fay
    sam = page.split(specialist.full_name)[0].rsplit("<input", 1)[1]
    assert "disabled" not in sam


def test_accepting_to_a_worker_at_capacity_is_refused_with_the_reason(desk: Client) -> None:
    full = UserFactory(role=Role.SPECIALIST, fte=Decimal("0.2"), full_name="Fay Full")
    CaseFactory.create_batch(5, worker=full)
    referral = ReferralFactory()
    response = desk.post(
        reverse("caseload:referral-accept", args=[referral.pk]), {"worker": full.pk}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Fay Full already has 5 open cases, their full capacity" in page
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED
    assert held_case_count(full) == 5


def test_accepting_without_choosing_a_worker_is_refused(desk: Client) -> None:
    referral = ReferralFactory()
    response = desk.post(reverse("caseload:referral-accept", args=[referral.pk]), {})
    assert "Choose who will work with this person" in response.content.decode()
    assert not Case.objects.filter(referral=referral).exists()


def test_a_decided_referral_cannot_be_decided_again(desk: Client, specialist: User) -> None:
    referral = CaseFactory(worker=specialist).referral
    for url_name in ["caseload:referral-accept", "referrals:reject", "referrals:withdraw"]:
        response = desk.get(reverse(url_name, args=[referral.pk]))
        assert response.status_code == 302
    desk.post(reverse("referrals:withdraw", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED


# --- Withdraw and the waiting list ------------------------------------------------------------


def test_withdrawing_asks_first_then_records_it(desk: Client, manager: User) -> None:
    referral = ReferralFactory()
    url = reverse("referrals:withdraw", args=[referral.pk])
    assert "Withdraw the referral of" in desk.get(url).content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED
    refused = desk.post(url, {"reason": ""})
    assert "Enter why the referral is being withdrawn" in refused.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED
    desk.post(url, {"reason": "Moved to Leeds"})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN and referral.decided_by == manager
    assert referral.history.latest().history_change_reason == "Moved to Leeds"


def test_putting_a_referral_on_the_waiting_list_asks_first_and_why(
    desk: Client, manager: User
) -> None:
    referral = ReferralFactory()
    url = reverse("referrals:waiting-list-add", args=[referral.pk])
    page = desk.get(url).content.decode()
    assert "on the waiting list?" in page and "Why is the referral going on" in page
    refused = desk.post(url, {"reason": ""})
    assert "Enter why the referral is going on the waiting list" in refused.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED
    desk.post(url, {"reason": "Every caseload is full"})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WAITING_LIST and referral.waiting_since
    assert referral.history.latest().history_change_reason == "Every caseload is full"


def test_the_status_form_is_no_side_door_to_the_waiting_list(desk: Client, manager: User) -> None:
    referral = ReferralFactory()
    desk.post(reverse("referrals:set-status", args=[referral.pk]), {"status": "waiting_list"})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED
    with pytest.raises(ValidationError, match="waiting list"):
        referral_set_status(referral=referral, status="waiting_list", by=manager)


def test_the_waiting_list_shows_how_long_each_person_has_waited(
    desk: Client, manager: User
) -> None:
    today = datetime.date(2026, 3, 20)
    with time_machine.travel(datetime.datetime(2026, 3, 20, 10, tzinfo=datetime.UTC), tick=False):
        older = ReferralFactory(received_date=today - datetime.timedelta(days=30))
        newer = ReferralFactory(received_date=today - datetime.timedelta(days=3))
        referral_set_status(
            referral=older,
            status="waiting_list",
            by=manager,
            changed_on=today - datetime.timedelta(days=12),
            reason="No place",
        )
        desk.post(reverse("referrals:waiting-list-add", args=[newer.pk]), {"reason": "No place"})
        page = desk.get(reverse("caseload:waiting-list")).content.decode()
    table = page.split("<tbody")[1]
    assert table.index(older.reference) < table.index(newer.reference)
    assert "30 days" in page and "8 Mar 2026 (12 days)" in page
    assert "3 days" in page and "20 Mar 2026 (0 days)" in page


def test_taking_a_referral_off_the_waiting_list_clears_its_date(
    desk: Client, manager: User
) -> None:
    referral = ReferralFactory()
    referral_set_status(referral=referral, status="waiting_list", by=manager, reason="No place")
    desk.post(reverse("referrals:set-status", args=[referral.pk]), {"status": "screening"})
    referral.refresh_from_db()
    assert (referral.status, referral.waiting_since) == ("screening", None)


def test_the_status_form_cannot_decide_a_referral(desk: Client) -> None:
    referral = ReferralFactory()
    desk.post(reverse("referrals:set-status", args=[referral.pk]), {"status": "accepted"})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED


# --- Eligibility and duplicates ------------------------------------------------------------


def test_the_referral_page_shows_each_eligibility_check_with_its_reason(desk: Client) -> None:
    referral = ReferralFactory(
        received_date=datetime.date(2026, 3, 1),
        date_of_birth=datetime.date(1989, 6, 1),
        postcode="WS2 9ZZ",
        consent=False,
    )
    page = detail(desk, referral)
    assert "Aged 36 on the date the referral was received (1 March 2026): over 35." in page
    assert "WS2 is not a Birmingham postcode district." in page
    assert "The person&#x27;s agreement is not recorded" in page
    assert page.count("Not met") == 3


def test_an_eligible_referral_meets_every_check(desk: Client) -> None:
    referral = ReferralFactory(
        received_date=datetime.date(2026, 3, 1),
        date_of_birth=datetime.date(2008, 3, 1),
        postcode="B12 9LP",
    )
    page = detail(desk, referral)
    assert "Aged 18 on the date the referral was received" in page
    assert "B12 is a Birmingham postcode district." in page
    assert page.count(">Met<") + page.count("Met\n") >= 1
    assert "Not met" not in page


def test_possible_duplicates_are_shown_with_links_and_open_cases(
    desk: Client, specialist: User
) -> None:
    born = datetime.date(2001, 2, 3)
    earlier = CaseFactory(
        worker=specialist,
        referral__first_name="Kai",
        referral__last_name="Example",
        referral__date_of_birth=born,
    ).referral
    same_phone = ReferralFactory(phone="07700900555")
    same_email = ReferralFactory(email="kai@example.org")
    unrelated = ReferralFactory(first_name="Kai", last_name="Example")
    referral = ReferralFactory(
        first_name="kai",
        last_name="EXAMPLE",
        date_of_birth=born,
        phone="07700900555",
        email="Kai@Example.org",
    )
    page = detail(desk, referral)
    assert "Possible duplicates" in page
    for other in [earlier, same_phone, same_email]:
        assert reverse("referrals:detail", args=[other.pk]) in page
    assert unrelated.reference not in page
    assert "same name and date of birth" in page
    assert "same phone number" in page and "same email address" in page
    assert f"Has an open case with {specialist.full_name}" in page


def test_no_duplicate_warning_for_a_new_person(desk: Client) -> None:
    ReferralFactory(first_name="Someone", last_name="Else")
    assert "Possible duplicates" not in detail(desk, ReferralFactory())


# --- The queue ------------------------------------------------------------------------------


def test_referrals_waiting_over_five_working_days_are_highlighted(desk: Client) -> None:
    # Wednesday 18 March 2026: five working days back is Wednesday 11 March.
    with time_machine.travel(datetime.datetime(2026, 3, 18, 10, tzinfo=datetime.UTC), tick=False):
        late = ReferralFactory(received_date=datetime.date(2026, 3, 10))
        on_time = ReferralFactory(received_date=datetime.date(2026, 3, 11))
        waiting = ReferralFactory(received_date=datetime.date(2026, 3, 1), status="waiting_list")
        page = desk.get(reverse("referrals:list")).content.decode()
        late_page = detail(desk, late)
        on_time_page = detail(desk, on_time)
    rows = {
        ref: page.split(ref)[1].split("</tr>")[0]
        for ref in (late.reference, on_time.reference, waiting.reference)
    }
    assert "Over 5 working days" in rows[late.reference]
    assert "Over 5 working days" not in rows[on_time.reference]
    assert "Over 5 working days" not in rows[waiting.reference]
    assert "1 referral has waited more than 5 working days" in page
    assert "Over 5 working days" in late_page and "Over 5 working days" not in on_time_page


def test_the_queue_filters_by_status_source_and_received_date(desk: Client) -> None:
    match = ReferralFactory(
        source="police", received_date=datetime.date(2026, 2, 10), status="screening"
    )
    wrong_source = ReferralFactory(
        source="dwp", received_date=datetime.date(2026, 2, 10), status="screening"
    )
    too_early = ReferralFactory(
        source="police", received_date=datetime.date(2026, 1, 10), status="screening"
    )
    wrong_status = ReferralFactory(source="police", received_date=datetime.date(2026, 2, 10))
    query: dict[str, Any] = {
        "status": ["screening"],
        "source": "police",
        "received_from_0": "1",
        "received_from_1": "2",
        "received_from_2": "2026",
        "received_to_0": "28",
        "received_to_1": "2",
        "received_to_2": "2026",
    }
    page = desk.get(reverse("referrals:list"), query).content.decode()
    assert match.reference in page
    for other in [wrong_source, too_early, wrong_status]:
        assert other.reference not in page
    assert "1 referral matching the filters" in page


def test_the_queue_finds_a_referral_by_its_reference(desk: Client) -> None:
    wanted, other = ReferralFactory(), ReferralFactory()
    page = desk.get(reverse("referrals:list"), {"reference": wanted.reference.lower()})
    assert wanted.reference in page.content.decode()
    assert other.reference not in page.content.decode()


def test_a_bad_filter_date_is_an_error_not_a_failure(desk: Client) -> None:
    response = desk.get(
        reverse("referrals:list"),
        {"received_from_0": "31", "received_from_1": "2", "received_from_2": "2026"},
    )
    assert response.status_code == 200
    assert "Received from date must be a real date" in response.content.decode()


def test_the_queue_is_paginated_keeping_the_filters(desk: Client) -> None:
    ReferralFactory.create_batch(30, source="police")
    page = desk.get(reverse("referrals:list"), {"source": "police"}).content.decode()
    assert "source=police&amp;page=2" in page
    second = desk.get(reverse("referrals:list"), {"source": "police", "page": 2})
    assert second.content.decode().count('data-label="Reference"') == 5


# --- Telling the referrer ----------------------------------------------------------------------


def test_the_referrer_is_emailed_acceptance_without_names(
    desk: Client, specialist: User, django_capture_on_commit_callbacks: Any
) -> None:
    referral = ReferralFactory(
        referrer_email="ref@partner.example.org", first_name="Zed", last_name="Quillfeather"
    )
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(
            reverse("caseload:referral-accept", args=[referral.pk]), {"worker": specialist.pk}
        )
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    text = email.subject + email.body
    assert email.to == ["ref@partner.example.org"]
    assert referral.reference in email.subject and "accepted" in email.subject
    assert "has been accepted" in email.body
    for detail_text in ["Zed", "Quillfeather", specialist.full_name, str(referral.date_of_birth)]:
        assert detail_text not in text
    referral.refresh_from_db()
    assert referral.outcome_emailed_at is not None


def test_the_referrer_is_emailed_a_rejection_without_the_reason(
    desk: Client, django_capture_on_commit_callbacks: Any
) -> None:
    referral = ReferralFactory(
        referrer_email="ref@partner.example.org", first_name="Zed", last_name="Quillfeather"
    )
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(
            reverse("referrals:reject", args=[referral.pk]),
            {"reason": "risk_unacceptable", "rationale": "Known to carry a knife."},
        )
    (email,) = mail.outbox
    assert "not accepted" in email.subject and "has not been accepted" in email.body
    for secret in ["Zed", "Quillfeather", "knife", "Risk", "risk"]:
        assert secret not in email.subject + email.body


def test_no_email_without_a_referrer_address_and_never_twice(
    desk: Client, specialist: User, django_capture_on_commit_callbacks: Any
) -> None:
    from referrals.services import referral_outcome_email_send

    silent = ReferralFactory(referrer_email="")
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(reverse("caseload:referral-accept", args=[silent.pk]), {"worker": specialist.pk})
    assert mail.outbox == []
    told = ReferralFactory(referrer_email="ref@partner.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(reverse("caseload:referral-accept", args=[told.pk]), {"worker": specialist.pk})
    assert referral_outcome_email_send(referral_id=told.pk) is False
    assert len(mail.outbox) == 1


def test_no_email_is_sent_if_the_decision_is_not_committed(
    desk: Client, specialist: User, django_capture_on_commit_callbacks: Any
) -> None:
    referral = ReferralFactory(referrer_email="ref@partner.example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        desk.post(
            reverse("caseload:referral-accept", args=[referral.pk]), {"worker": specialist.pk}
        )
    assert callbacks and mail.outbox == []  # waiting for the commit...
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [["ref@partner.example.org"]]  # ...then


# --- Staff entry -------------------------------------------------------------------------------


def staff_answers(**changes: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "received_date_0": "2",
        "received_date_1": "3",
        "received_date_2": "2026",
        "source": "self",
        "referrer_name": "",
        "referrer_organisation": "",
        "referrer_email": "",
        "referrer_phone": "",
        "first_name": "Rio",
        "last_name": "Walkinson",
        "date_of_birth_0": "9",
        "date_of_birth_1": "9",
        "date_of_birth_2": "1999",
        "gender": "female",
        "ethnicity": "black",
        "phone": "",
        "email": "",
        "postcode": "B21 9ZZ",
        "cohort": "at_risk",
        "reason": "Walked in asking for help with a CV.",
        "consent": "yes",
    }
    return answers | changes


def test_a_manager_enters_a_walk_in_referral(desk: Client, manager: User) -> None:
    response = desk.post(reverse("referrals:new"), staff_answers())
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert (referral.source, referral.received_date) == ("self", datetime.date(2026, 3, 2))
    assert referral.history.earliest().history_user == manager
    assert referral.reference.startswith("E4E-")


def test_staff_entry_ignores_status_and_decided_by(desk: Client, specialist: User) -> None:
    desk.post(
        reverse("referrals:new"),
        staff_answers(status="accepted", decided_by=str(specialist.pk), reference="E4E-X"),
    )
    referral = Referral.objects.get()
    assert referral.status == Referral.Status.RECEIVED
    assert referral.decided_by is None and referral.reference != "E4E-X"


def test_staff_entry_refuses_a_future_received_date(desk: Client) -> None:
    later = datetime.date.today() + datetime.timedelta(days=10)
    response = desk.post(
        reverse("referrals:new"),
        staff_answers(
            received_date_0=str(later.day),
            received_date_1=str(later.month),
            received_date_2=str(later.year),
        ),
    )
    assert "Date received must be today or in the past" in response.content.decode()
    assert Referral.objects.count() == 0


def test_a_specialist_cannot_enter_referrals(
    specialist: User, signed_in: Callable[..., Client]
) -> None:
    response = signed_in(specialist).post(reverse("referrals:new"), staff_answers())
    assert response.status_code == 403
    assert Referral.objects.count() == 0


# --- History ---------------------------------------------------------------------------------


def test_the_referral_page_shows_every_status_change_with_who_and_when(
    desk: Client, manager: User, specialist: User
) -> None:
    referral = ReferralFactory()
    desk.post(reverse("referrals:set-status", args=[referral.pk]), {"status": "screening"})
    desk.post(reverse("referrals:waiting-list-add", args=[referral.pk]), {"reason": "No place"})
    desk.post(reverse("caseload:referral-accept", args=[referral.pk]), {"worker": specialist.pk})
    page = detail(desk, referral)
    history = page.split("History")[-1]
    for change in [
        "Status changed from waiting list to accepted",
        "Status changed from screening to waiting list",
        "Status changed from received to screening",
    ]:
        assert change in history
    assert history.index("to accepted") < history.index("to waiting list")
    assert history.count(f"by {manager.full_name}") == 3
    assert "<time datetime=" in history


def test_a_partner_referral_is_recorded_as_coming_through_its_link(
    client: Client, submit: Any, signed_in: Callable[..., Client], manager: User
) -> None:
    submit(client)
    referral = Referral.objects.get()
    page = detail(signed_in(manager), referral)
    assert "by Partner link (Birmingham Probation (test))" in page
    assert "Partner link for Birmingham Probation (test)" in page
