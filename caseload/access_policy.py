"""Access rules for the caseload URLs, found by core.access.policy()."""

from __future__ import annotations

from core.access import PUBLIC, Rule, allow
from core.models import Role

CASE_WORKERS = (Role.SPECIALIST, Role.MANAGER)

RULES: dict[str, Rule] = {
    # The specialist's home page (their caseload) and the manager's (the team's caseloads).
    "caseload:home": allow(Role.SPECIALIST),
    "caseload:team": allow(Role.MANAGER),
    # Cover during leave: managers give and end it; the covering worker needs no page of it.
    "caseload:covers": allow(Role.MANAGER),
    "caseload:cover-new": allow(Role.MANAGER),
    "caseload:cover-detail": allow(Role.MANAGER),
    "caseload:cover-end": allow(Role.MANAGER),
    # Screening's last steps: accepting a referral to a worker with a place; the waiting list.
    "caseload:referral-accept": allow(Role.MANAGER, client_scoped=True),
    "caseload:waiting-list": allow(Role.MANAGER),
    "caseload:case-detail": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:case-assess": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:contact-new": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:risk-new": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:outcome-new": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:task-done": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:record-new": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:record-detail": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:record-edit": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:disclosure-report": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:disclosure-report-pdf": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:profile-edit": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:goal-new": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:goal-edit": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:case-history": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:contact-note": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:complaint-edit": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:outcome-end": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:case-close": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:case-reopen": allow(Role.MANAGER, client_scoped=True),
    "caseload:case-reassign": allow(Role.MANAGER, client_scoped=True),
    # Appointments: booked on a case and marked by whoever may open it; the diary is the
    # signed-in worker's own.
    "caseload:appointment-new": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:appointment-detail": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:appointment-attended": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:appointment-missed": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    "caseload:appointment-cancel": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    # Reminders to the person: their consent, recorded by whoever may open the case.
    "caseload:case-reminders": allow(*CASE_WORKERS, own_object=True, client_scoped=True),
    # GOV.UK Notify calls these with no session: NOTIFY_CALLBACK_TOKEN is the key.
    "caseload:notify-delivery-receipt": PUBLIC,
    "caseload:notify-received": PUBLIC,
    "caseload:diary": allow(*CASE_WORKERS),
    "caseload:team-diary": allow(Role.MANAGER),
    "caseload:calendar-feed": allow(*CASE_WORKERS),
    # A calendar app has no session: the feed's own token (caseload.calendar_feed) is the key.
    "caseload:calendar-feed-ics": PUBLIC,
    "caseload:admin-time-new": allow(*CASE_WORKERS),
    "caseload:employers": allow(*CASE_WORKERS),
    "caseload:employer-new": allow(*CASE_WORKERS),
    "caseload:employer-contact-new": allow(*CASE_WORKERS),
}
