from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from reporting import api, evaluation_views, views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("returns/", views.return_list, name="return-list"),
    path("returns/start/", views.return_start, name="return-start"),
    path("returns/<int:pk>/", views.return_detail, name="return-detail"),
    path("returns/<int:pk>/status/", views.return_status, name="return-status"),
    path("returns/<int:pk>/narrative/", views.return_narrative, name="return-narrative"),
    path("returns/<int:pk>/sign-off/", views.return_sign_off, name="return-sign-off"),
    path("returns/<int:pk>/correction/", views.return_correction, name="return-correction"),
    path(
        "returns/<int:pk>/download/pdf/",
        views.return_download,
        {"kind": "pdf"},
        name="return-pdf",
    ),
    path(
        "returns/<int:pk>/download/csv/",
        views.return_download,
        {"kind": "csv"},
        name="return-csv",
    ),
    path("jobs/<int:pk>/retry/", views.job_retry, name="job-retry"),
    path("signed-off/", views.opcc_return_list, name="opcc-returns"),
    path("imports/", views.import_list, name="import-list"),
    path("imports/new/", views.import_upload, name="import-upload"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    # The evaluators: pseudonymised records, the extract, live figures and the API.
    path("evaluation/records/", evaluation_views.records, name="evaluation-records"),
    path(
        "evaluation/records/<str:pseudonym>/",
        evaluation_views.record,
        name="evaluation-record",
    ),
    path("evaluation/extract.csv", evaluation_views.extract, name="evaluation-extract"),
    path("evaluation/figures/", evaluation_views.figures, name="evaluation-figures"),
    path("evaluation/data/", evaluation_views.data_and_api, name="evaluation-data"),
    path("api/v1/records/", api.RecordList.as_view(), name="api-records"),
    path("api/v1/records/<str:pseudonym>/", api.RecordDetail.as_view(), name="api-record"),
    path("api/v1/figures/", api.Figures.as_view(), name="api-figures"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
