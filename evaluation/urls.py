"""The evaluators' URLs. They stay under /reporting/ (where the API's clients know them)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from evaluation import api, views

app_name = "evaluation"

urlpatterns = [
    path("evaluation/", views.home_evaluator, name="home"),
    # The evaluators: pseudonymised records, the extract, live figures and the API.
    path("evaluation/records/", views.records, name="records"),
    path(
        "evaluation/records/<str:pseudonym>/",
        views.record,
        name="record",
    ),
    path("evaluation/extract.csv", views.extract, name="extract"),
    path("evaluation/figures/", views.figures, name="figures"),
    path("evaluation/data/", views.data_and_api, name="data"),
    path("api/v1/records/", api.RecordList.as_view(), name="api-records"),
    path("api/v1/records/<str:pseudonym>/", api.RecordDetail.as_view(), name="api-record"),
    path("api/v1/figures/", api.Figures.as_view(), name="api-figures"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
