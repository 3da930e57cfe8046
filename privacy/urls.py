"""The privacy pages: the data-protection request log, and a person's subject access
download and erasure (linked from their referral page)."""

from __future__ import annotations

from django.urls import path

from privacy import views

app_name = "privacy"

data_request_patterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/stop-clock/", views.request_pause, name="pause"),
    path("<int:pk>/restart-clock/", views.request_resume, name="resume"),
    path("<int:pk>/extend/", views.request_extend, name="extend"),
    path("<int:pk>/close/", views.request_close, name="close"),
]

urlpatterns = [
    path("referrals/<int:pk>/erase/", views.referral_erase, name="erase"),
    path(
        "referrals/<int:pk>/subject-access.zip",
        views.referral_subject_access,
        name="subject-access",
    ),
]
