from __future__ import annotations

from django.urls import path

from caseload import home_views, intake_views
from caseload.views import (
    appointments,
    assessments,
    cases,
    contacts,
    cover,
    employers,
    outcomes,
    plans,
    records,
    reminders,
    tasks,
)

app_name = "caseload"

urlpatterns = [
    path("", home_views.home_specialist, name="home"),
    path("team/", home_views.home_manager, name="team"),
    path("team/diary/", appointments.team_diary, name="team-diary"),
    path("team/cover/", cover.cover_list, name="covers"),
    path("team/cover/new/<int:pk>/", cover.cover_new, name="cover-new"),
    path("team/cover/<int:pk>/", cover.cover_detail, name="cover-detail"),
    path("team/cover/<int:pk>/end/", cover.cover_end, name="cover-end"),
    path("accept-referral/<int:pk>/", intake_views.referral_accept, name="referral-accept"),
    path("waiting-list/", intake_views.referral_waiting_list, name="waiting-list"),
    path("<int:pk>/", cases.case_detail, name="case-detail"),
    path("<int:pk>/initial-assessment/", assessments.case_assess, name="case-assess"),
    path("<int:pk>/contacts/new/", contacts.contact_new, name="contact-new"),
    path("<int:pk>/appointments/new/", appointments.appointment_new, name="appointment-new"),
    path("appointments/<int:pk>/", appointments.appointment_detail, name="appointment-detail"),
    path(
        "appointments/<int:pk>/attended/",
        appointments.appointment_attended,
        name="appointment-attended",
    ),
    path(
        "appointments/<int:pk>/missed/", appointments.appointment_missed, name="appointment-missed"
    ),
    path(
        "appointments/<int:pk>/cancel/", appointments.appointment_cancel, name="appointment-cancel"
    ),
    path("<int:pk>/reminders/", reminders.case_reminders, name="case-reminders"),
    path(
        "reminders/notify/delivery/",
        reminders.notify_delivery_receipt,
        name="notify-delivery-receipt",
    ),
    path("reminders/notify/received/", reminders.notify_received_text, name="notify-received"),
    path("diary/", appointments.diary, name="diary"),
    path("diary/calendar/", appointments.calendar_feed_page, name="calendar-feed"),
    path("calendar.ics", appointments.calendar_feed_ics, name="calendar-feed-ics"),
    path("<int:pk>/risk-assessments/new/", assessments.risk_assessment_new, name="risk-new"),
    path("<int:pk>/outcomes/new/", outcomes.outcome_new, name="outcome-new"),
    path("<int:pk>/records/<slug:kind>/new/", records.record_new, name="record-new"),
    path("<int:pk>/profile/", plans.vocational_profile_edit, name="profile-edit"),
    path("<int:pk>/action-plan/new/", plans.goal_edit, name="goal-new"),
    path("<int:pk>/action-plan/<int:goal_pk>/", plans.goal_edit, name="goal-edit"),
    path("<int:pk>/history/", cases.case_history, name="case-history"),
    path("contacts/<int:pk>/note/", contacts.contact_note_edit, name="contact-note"),
    path("outcomes/<int:pk>/end/", outcomes.outcome_end, name="outcome-end"),
    path("complaints/<int:pk>/", records.complaint_edit, name="complaint-edit"),
    path("records/<slug:kind>/<int:pk>/", records.record_detail, name="record-detail"),
    path("records/<slug:kind>/<int:pk>/correct/", records.record_edit, name="record-edit"),
    path("disclosures/<int:pk>/report/", records.disclosure_report, name="disclosure-report"),
    path(
        "disclosures/<int:pk>/report.pdf",
        records.disclosure_report_pdf,
        name="disclosure-report-pdf",
    ),
    path("<int:pk>/close/", cases.case_close, name="case-close"),
    path("<int:pk>/reopen/", cases.case_reopen, name="case-reopen"),
    path("<int:pk>/reassign/", cases.case_reassign, name="case-reassign"),
    path("tasks/<int:pk>/done/", tasks.task_done, name="task-done"),
    path("admin-time/new/", contacts.admin_time_new, name="admin-time-new"),
    path("employers/", employers.employer_list, name="employers"),
    path("employers/new/", employers.employer_new, name="employer-new"),
    path(
        "employers/<int:pk>/contacts/new/",
        employers.employer_contact_new,
        name="employer-contact-new",
    ),
]
