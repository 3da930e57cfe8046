from __future__ import annotations

from django.urls import URLPattern

app_name = "enterprise_fund"

urlpatterns: list[URLPattern] = []
