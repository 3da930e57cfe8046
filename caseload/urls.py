from __future__ import annotations

from django.urls import path

from caseload import home_views, intake_views, views

app_name = "caseload"

urlpatterns = [
    path("", home_views.home_specialist, name="home"),
    path("team/", home_views.home_manager, name="team"),
    path("accept-referral/<int:pk>/", intake_views.referral_accept, name="referral-accept"),
    path("waiting-list/", intake_views.referral_waiting_list, name="waiting-list"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/initial-assessment/", views.case_assess, name="case-assess"),
    path("<int:pk>/contacts/new/", views.contact_new, name="contact-new"),
    path("<int:pk>/risk-assessments/new/", views.risk_assessment_new, name="risk-new"),
    path("<int:pk>/outcomes/new/", views.outcome_new, name="outcome-new"),
    path("<int:pk>/records/<slug:kind>/new/", views.record_new, name="record-new"),
    path("<int:pk>/profile/", views.vocational_profile_edit, name="profile-edit"),
    path("<int:pk>/action-plan/new/", views.goal_edit, name="goal-new"),
    path("<int:pk>/action-plan/<int:goal_pk>/", views.goal_edit, name="goal-edit"),
    path("<int:pk>/history/", views.case_history, name="case-history"),
    path("contacts/<int:pk>/note/", views.contact_note_edit, name="contact-note"),
    path("outcomes/<int:pk>/end/", views.outcome_end, name="outcome-end"),
    path("complaints/<int:pk>/", views.complaint_edit, name="complaint-edit"),
    path("<int:pk>/close/", views.case_close, name="case-close"),
    path("<int:pk>/reopen/", views.case_reopen, name="case-reopen"),
    path("<int:pk>/reassign/", views.case_reassign, name="case-reassign"),
    path("tasks/<int:pk>/done/", views.task_done, name="task-done"),
    path("admin-time/new/", views.admin_time_new, name="admin-time-new"),
    path("fidelity/", views.fidelity_list, name="fidelity-list"),
    path("fidelity/new/", views.fidelity_new, name="fidelity-new"),
    path("employers/", views.employer_list, name="employers"),
    path("employers/new/", views.employer_new, name="employer-new"),
    path(
        "employers/<int:pk>/contacts/new/", views.employer_contact_new, name="employer-contact-new"
    ),
]
