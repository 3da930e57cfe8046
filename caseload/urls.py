from __future__ import annotations

from django.urls import path

from caseload import views

app_name = "caseload"

urlpatterns = [
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/initial-assessment/", views.case_assess, name="case-assess"),
]
