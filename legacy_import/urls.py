"""The upload page of the legacy import, under /reporting/imports/ as before."""

from __future__ import annotations

from django.urls import path

from legacy_import import views

app_name = "legacy_import"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", views.import_upload, name="upload"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/confirm/", views.import_confirm, name="confirm"),
]
