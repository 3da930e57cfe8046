from __future__ import annotations

from django.urls import path

from reporting import case_update_views, views
from reporting.fidelity import views as fidelity

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
    path("returns/<int:pk>/rebuild/", views.return_rebuild, name="return-rebuild"),
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
    path("updates/", case_update_views.case_update_list, name="case-updates"),
    path("updates/<int:pk>/", case_update_views.case_update_edit, name="case-update"),
    path(
        "updates/<int:pk>/submit/",
        case_update_views.case_update_submit,
        name="case-update-submit",
    ),
    path(
        "updates/<int:pk>/review/",
        case_update_views.case_update_review,
        name="case-update-review",
    ),
    path("signed-off/", views.opcc_return_list, name="opcc-returns"),
    path("fidelity/", fidelity.fidelity_list, name="fidelity-list"),
    path("fidelity/new/", fidelity.fidelity_new, name="fidelity-new"),
    path("fidelity/<int:pk>/", fidelity.fidelity_detail, name="fidelity-detail"),
]
