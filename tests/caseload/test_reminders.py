"""Reminders that reach the person: only with their consent, by the channel they chose, a
confirmation when booked, one the day before and one on the morning; each sent once (a
retried or repeated task sends nothing twice), never after the appointment's time or after
they opted out (told their worker, or replied STOP); the time and place only; what Notify
reports (delivered, failed) is kept and a failure shows on the case; the hour-before check
of community appointments with no risk assessment in force."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseload.models import Appointment, Case, Reminder, RiskAssessment, Task
from caseload.services import reminders
from caseload.services.appointments import (
    appointment_book,
    appointment_cancel,
    flag_without_risk_assessment,
)
from caseload.tasks import send_due_reminders, send_reminder
from core import notify
from core.models import User
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 12, 7)
FRIDAY_BEFORE = datetime.datetime(2026, 12, 4, 10, 0)
TOKEN = "a-long-random-callback-token-for-tests"


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture(autouse=True)
def _tasks_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # CI points Celery at Redis with no worker: run the sends in-process, as the embedded
    # default does, so that what they do shows.
    from e4e.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)


@pytest.fixture(autouse=True)
def _outbox(settings: object) -> Iterator[None]:
    settings.NOTIFY_BACKEND = "console"  # type: ignore[attr-defined]
    settings.NOTIFY_CALLBACK_TOKEN = TOKEN  # type: ignore[attr-defined]
    notify.outbox.clear()
    yield
    notify.outbox.clear()


@pytest.fixture
def case(specialist: User) -> Case:
    return CaseFactory(
        worker=specialist,
        referral__first_name="Tyrone",
        referral__last_name="Okafor",
        referral__phone="07700 900123",
        referral__email="tyrone@example.org",
        referral__received_date=MONDAY - datetime.timedelta(days=40),
        referral__decision_date=MONDAY - datetime.timedelta(days=30),
        start_date=MONDAY - datetime.timedelta(days=29),
    )


def agree(case: Case, user: User, channel: str = "sms") -> None:
    reminders.consent_record(case=case, consent=True, channel=channel, by=user)


def book(case: Case, user: User, capture: Callable[..., object], **fields: object) -> Appointment:
    values: dict[str, object] = {
        "date": MONDAY,
        "starts_at": datetime.time(14, 0),
        "ends_at": datetime.time(14, 45),
        "place": "office",
        "venue": "",
        "kind": "job_search",
        "attendees": "Probation officer Dana Reid",
    }
    values.update(fields)
    with capture(execute=True):
        return appointment_book(case=case, worker=case.worker, by=user, **values)


def texts() -> list[str]:
    return [item["text"] for item in notify.outbox]


@time_machine.travel(FRIDAY_BEFORE, tick=False)
def test_no_reminder_is_sent_without_the_persons_consent(
    case: Case, specialist: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    appointment = book(case, specialist, django_capture_on_commit_callbacks)
    assert not appointment.reminders.exists()
    reminders.consent_record(case=case, consent=False, channel="", by=specialist)
    book(case, specialist, django_capture_on_commit_callbacks, date=MONDAY + datetime.timedelta(1))
    assert not Reminder.objects.exists()
    assert notify.outbox == []


@time_machine.travel(FRIDAY_BEFORE, tick=False)
def test_with_consent_a_confirmation_goes_at_once_and_reminders_the_day_before_and_morning(
    case: Case, specialist: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    agree(case, specialist)
    appointment = book(case, specialist, django_capture_on_commit_callbacks)
    times = {r.kind: r.send_at for r in appointment.reminders.all()}
    assert times == {
        "confirmation": timezone.now(),
        "day_before": at(MONDAY - datetime.timedelta(days=1), 12),
        "morning": at(MONDAY, 8),
    }
    assert appointment.reminders.get(kind="confirmation").status == "sent"
    [message] = notify.outbox
    assert message["message"].channel == "sms"
    assert message["message"].to == "07700 900123"
    assert texts() == [
        "Your appointment is booked for Monday 7 December at 2pm, at the office. "
        "Reply STOP to get no more of these messages."
    ]


@time_machine.travel(FRIDAY_BEFORE, tick=False)
def test_messages_carry_the_time_and_place_only(
    case: Case, specialist: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    RiskAssessment.objects.create(
        case=case,
        date=MONDAY - datetime.timedelta(days=5),
        risks_to_client="Known to a rival group",
        risks_from_client="None known",
        lone_working_plan="Call in",
        safe_meeting_places="The Hub, Sparkhill",
        review_date=MONDAY + datetime.timedelta(days=60),
        by=specialist,
    )
    agree(case, specialist, channel="email")
    appointment = book(
        case, specialist, django_capture_on_commit_callbacks, place="community", venue="The Hub"
    )
    for reminder in appointment.reminders.all():
        reminders.reminder_send(reminder.pk, now=reminder.send_at)
    assert len(notify.outbox) == 3
    referral = case.referral
    for item in notify.outbox:
        assert set(item["message"].personalisation) == {"date", "time", "place"}
        words = item["text"] + item["message"].reference
        for detail in (
            referral.first_name,
            referral.last_name,
            referral.reference,
            specialist.full_name,
            "Job search",
            "Dana Reid",
            "probation",
            "E4E",
        ):
            assert detail.casefold() not in words.casefold(), detail
        assert "The Hub" in item["text"]
    assert "STOP" not in notify.outbox[0]["text"]  # an email cannot be answered with STOP


@time_machine.travel(FRIDAY_BEFORE, tick=False)
def test_each_reminder_is_sent_once_whatever_the_task_does(
    case: Case, specialist: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    agree(case, specialist)
    appointment = book(case, specialist, django_capture_on_commit_callbacks)
    day_before = appointment.reminders.get(kind="day_before")
    # Too early: nothing goes, and it still waits.
    assert send_reminder(day_before.pk) == "waiting"
    with time_machine.travel(at(MONDAY - datetime.timedelta(days=1), 12, 0), tick=False):
        # The beat's sweep and a re-delivered message both hand it over: one text.
        assert send_due_reminders() == 1
        send_reminder(day_before.pk)
        send_due_reminders()
    assert len(notify.outbox) == 2  # the confirmation and the day before
    # The confirmation's task delivered twice sends nothing more either.
    send_reminder(appointment.reminders.get(kind="confirmation").pk)
    assert len(notify.outbox) == 2


@time_machine.travel(FRIDAY_BEFORE, tick=False)
def test_a_reminder_whose_send_was_cut_off_is_never_sent_again(
    case: Case, specialist: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    agree(case, specialist)
    appointment = book(case, specialist, django_capture_on_commit_callbacks)
    morning = appointment.reminders.get(kind="morning")
    # A worker claimed it and died before it could say whether Notify took it.
    Reminder.objects.filter(pk=morning.pk).update(
        status="sending", attempts=1, updated_at=at(MONDAY, 8, 0)
    )
    with time_machine.travel(at(MONDAY, 8, 0), tick=False):
        send_due_reminders()
        assert send_reminder(morning.pk) == "sending"
    with time_machine.travel(at(MONDAY, 8, 20), tick=False):
        send_due_reminders()
    morning.refresh_from_db()
    assert morning.status == "failed"
    assert "not sent again" in morning.reason
    assert len(notify.outbox) == 1  # the confirmation only


@time_machine.travel(FRIDAY_BEFORE, tick=False)
def test_nothing_is_sent_after_the_appointments_time_or_a_day_before_one_on_the_day(
    case: Case, specialist: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    agree(case, specialist)
    appointment = book(case, specialist, django_capture_on_commit_callbacks)
    day_before = appointment.reminders.get(kind="day_before")
    morning = appointment.reminders.get(kind="morning")
    assert reminders.reminder_send(day_before.pk, now=at(MONDAY, 7, 0)) == "not_sent"
    assert reminders.reminder_send(morning.pk, now=at(MONDAY, 14, 0)) == "not_sent"
    morning.refresh_from_db()
    assert morning.reason == "The appointment's time had passed."
    assert len(notify.outbox) == 1


@time_machine.travel(datetime.datetime(2026, 12, 7, 10, 0), tick=False)
def test_a_same_day_booking_gets_only_the_reminders_still_to_come(
    case: Case, specialist: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    agree(case, specialist)
    appointment = book(case, specialist, django_capture_on_commit_callbacks)
    assert set(appointment.reminders.values_list("kind", flat=True)) == {"confirmation"}
    early = book(
        case,
        specialist,
        django_capture_on_commit_callbacks,
        date=MONDAY + datetime.timedelta(days=1),
        starts_at=datetime.time(7, 30),
        ends_at=datetime.time(8, 0),
    )
    # The morning reminder of an early appointment goes an hour before it.
    assert early.reminders.get(kind="morning").send_at == at(MONDAY + datetime.timedelta(1), 6, 30)


@time_machine.travel(FRIDAY_BEFORE, tick=False)
def test_after_the_worker_records_an_opt_out_nothing_more_is_sent(
    case: Case, specialist: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    agree(case, specialist)
    appointment = book(case, specialist, django_capture_on_commit_callbacks)
    reminders.consent_record(case=case, consent=False, channel="", by=specialist)
    assert set(appointment.reminders.values_list("status", flat=True)) == {"sent", "not_sent"}
    with time_machine.travel(at(MONDAY, 8, 0), tick=False):
        send_due_reminders()
    book(case, specialist, django_capture_on_commit_callbacks, date=MONDAY + datetime.timedelta(2))
    assert len(notify.outbox) == 1
    consent = case.reminder_consent
    consent.refresh_from_db()
    assert consent.opted_out_how == "told_worker"
    assert consent.history.count() == 2


@time_machine.travel(FRIDAY_BEFORE, tick=False)
def test_a_stop_reply_opts_the_person_out(
    case: Case, specialist: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    agree(case, specialist)
    appointment = book(case, specialist, django_capture_on_commit_callbacks)
    other = CaseFactory(worker=specialist, referral__phone="07700 900999")
    agree(other, specialist)
    url = reverse("caseload:notify-received")
    body = json.dumps({"source_number": "447700900123", "message": " Stop ", "id": "x"})
    refused = Client().post(url, body, content_type="application/json")
    wrong = Client().post(
        url, body, content_type="application/json", headers={"Authorization": "Bearer nope"}
    )
    assert refused.status_code == wrong.status_code == 404
    assert Case.objects.get(pk=case.pk).reminder_consent.consent
    response = Client().post(
        url, body, content_type="application/json", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.json() == {"opted_out": 1}
    consent = Case.objects.get(pk=case.pk).reminder_consent
    assert (consent.consent, consent.opted_out_how) == (False, "stop")
    assert Case.objects.get(pk=other.pk).reminder_consent.consent  # another number: unchanged
    assert appointment.reminders.filter(status="waiting").count() == 0
    with time_machine.travel(at(MONDAY, 8, 0), tick=False):
        send_due_reminders()
    assert len(notify.outbox) == 1
    # Any other reply changes nothing.
    chat = json.dumps({"source_number": "447700900999", "message": "see you monday"})
    Client().post(
        url, chat, content_type="application/json", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert Case.objects.get(pk=other.pk).reminder_consent.consent


@time_machine.travel(FRIDAY_BEFORE, tick=False)
def test_notify_failures_are_retried_only_when_notify_never_took_the_message(
    case: Case,
    specialist: User,
    django_capture_on_commit_callbacks: Callable[..., object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    agree(case, specialist)
    calls: list[notify.Message] = []

    def down(message: notify.Message) -> str:
        calls.append(message)
        raise notify.SendError("Notify could not be reached", retry=True)

    monkeypatch.setattr(notify, "send", down)
    appointment = book(case, specialist, django_capture_on_commit_callbacks)
    confirmation = appointment.reminders.get(kind="confirmation")
    assert (confirmation.status, confirmation.attempts) == ("waiting", 1)
    assert confirmation.send_at == timezone.now() + reminders.RETRY_AFTER
    monkeypatch.setattr(notify, "send", lambda message: "notify-id-1")
    with time_machine.travel(timezone.now() + reminders.RETRY_AFTER, tick=False):
        send_due_reminders()
    confirmation.refresh_from_db()
    assert (confirmation.status, confirmation.attempts) == ("sent", 2)

    def unclear(message: notify.Message) -> str:
        calls.append(message)
        raise notify.SendError("Notify did not answer in time", retry=False)

    monkeypatch.setattr(notify, "send", unclear)
    with time_machine.travel(at(MONDAY - datetime.timedelta(days=1), 12, 0), tick=False):
        send_due_reminders()
        send_due_reminders()
    day_before = appointment.reminders.get(kind="day_before")
    assert (day_before.status, day_before.attempts) == ("failed", 1)
    assert len(calls) == 2  # one try each: the unclear one is not tried again


def test_the_template_is_the_persons_language_where_one_exists(settings: object) -> None:
    settings.NOTIFY_TEMPLATES = {  # type: ignore[attr-defined]
        "sms_morning": "english-id",
        "sms_morning_polish": "polish-id",
    }
    message = notify.Message(
        channel="sms",
        to="07700900123",
        kind="morning",
        language=notify.fold_language(" Polish"),
        personalisation={},
        reference="reminder-1",
    )
    assert notify.template_id(message) == "polish-id"
    urdu = notify.Message(**{**message.__dict__, "language": "urdu"})
    assert notify.template_id(urdu) == "english-id"
    email = notify.Message(**{**message.__dict__, "channel": "email"})
    with pytest.raises(notify.SendError, match="No Notify template is set for email_morning"):
        notify.template_id(email)


@time_machine.travel(FRIDAY_BEFORE, tick=False)
def test_delivery_receipts_are_kept_and_a_failed_reminder_shows_on_the_case(
    case: Case,
    specialist: User,
    signed_in: Callable[..., Client],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    agree(case, specialist)
    appointment = book(case, specialist, django_capture_on_commit_callbacks)
    confirmation = appointment.reminders.get(kind="confirmation")
    url = reverse("caseload:notify-delivery-receipt")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = {"id": confirmation.notify_id, "status": "permanent-failure", "to": "07700900123"}
    response = Client().post(url, json.dumps(body), content_type="application/json", headers=auth)
    assert response.json() == {"matched": True}
    confirmation.refresh_from_db()
    assert confirmation.status == "failed"
    page = signed_in(specialist).get(reverse("caseload:case-detail", args=[case.pk]))
    assert "reminder of the" in page.content.decode()
    assert "check it with the person" in page.content.decode()
    unknown = {"id": "not-ours", "status": "delivered"}
    response = Client().post(
        url, json.dumps(unknown), content_type="application/json", headers=auth
    )
    assert response.json() == {"matched": False}


@time_machine.travel(FRIDAY_BEFORE, tick=False)
def test_cancelling_stops_its_reminders(
    case: Case, specialist: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    agree(case, specialist)
    appointment = book(case, specialist, django_capture_on_commit_callbacks)
    appointment_cancel(appointment=appointment, cancelled_by="client", by=specialist)
    with time_machine.travel(at(MONDAY, 8, 0), tick=False):
        send_due_reminders()
    assert len(notify.outbox) == 1
    assert appointment.reminders.get(kind="morning").reason == "The appointment was cancelled."


@time_machine.travel(FRIDAY_BEFORE, tick=False)
def test_the_worker_records_consent_on_the_case_and_another_specialist_gets_404(
    case: Case,
    specialist: User,
    other_specialist: User,
    signed_in: Callable[..., Client],
) -> None:
    url = reverse("caseload:case-reminders", args=[case.pk])
    assert signed_in(other_specialist).get(url).status_code == 404
    assert signed_in(other_specialist).post(url, {"consent": "yes"}).status_code == 404
    client = signed_in(specialist)
    missing = client.post(url, {"consent": "yes"})
    assert "Choose how they want their reminders" in missing.content.decode()
    assert not Reminder.objects.exists()
    response = client.post(url, {"consent": "yes", "channel": "sms"})
    assert response.status_code == 302
    page = client.get(reverse("caseload:case-detail", args=[case.pk])).content.decode()
    assert "by text message" in page


@time_machine.travel(FRIDAY_BEFORE, tick=False)
def test_agreeing_later_schedules_the_booked_appointments_without_a_confirmation(
    case: Case, specialist: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    appointment = book(case, specialist, django_capture_on_commit_callbacks)
    agree(case, specialist)
    assert set(appointment.reminders.values_list("kind", flat=True)) == {"day_before", "morning"}


def at_saltley_library(case: Case, starts_at: datetime.time) -> Appointment:
    """A community appointment on Monday (made directly: booking would refuse it)."""
    end = (datetime.datetime.combine(MONDAY, starts_at) + datetime.timedelta(minutes=30)).time()
    return Appointment.objects.create(
        case=case,
        worker=case.worker,
        date=MONDAY,
        starts_at=starts_at,
        ends_at=end,
        place="community",
        venue="Saltley Library",
        by=case.worker,
    )


@time_machine.travel(datetime.datetime(2026, 12, 7, 13, 5), tick=False)
def test_a_community_appointment_within_the_hour_with_no_risk_assessment_is_flagged_once(
    case: Case, specialist: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    appointment = at_saltley_library(case, datetime.time(14, 0))
    later = at_saltley_library(case, datetime.time(16, 0))
    with django_capture_on_commit_callbacks(execute=True):
        assert flag_without_risk_assessment() == 1
        assert flag_without_risk_assessment() == 0
    appointment.refresh_from_db()
    later.refresh_from_db()
    assert appointment.risk_flagged_at is not None and later.risk_flagged_at is None
    task = Task.objects.get(case=case, kind="risk_assessment")
    assert task.due_date == MONDAY and "14:00" in task.title
    [email] = mail.outbox
    assert email.to == [specialist.email]
    assert case.referral.reference in email.body and "at 14:00 today" in email.body
    assert f"/appointments/{appointment.pk}/" in email.body
    assert case.referral.last_name not in email.body


@time_machine.travel(datetime.datetime(2026, 12, 7, 13, 5), tick=False)
def test_a_community_appointment_with_a_risk_assessment_in_force_is_not_flagged(
    case: Case, specialist: User
) -> None:
    RiskAssessment.objects.create(
        case=case,
        date=MONDAY - datetime.timedelta(days=5),
        risks_to_client="-",
        risks_from_client="-",
        lone_working_plan="-",
        safe_meeting_places="Saltley Library",
        review_date=MONDAY,
        by=specialist,
    )
    at_saltley_library(case, datetime.time(13, 30))
    assert flag_without_risk_assessment() == 0
    assert not Task.objects.filter(kind="risk_assessment").exists()
