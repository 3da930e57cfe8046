from __future__ import annotations

from django.urls import path

from enterprise_fund.views import (
    applications,
    assessments,
    attachments,
    decisions,
    follow_up,
    funds,
    payments,
)

app_name = "enterprise_fund"

urlpatterns = [
    path("", funds.fund_page, name="fund"),
    path("set-up/", funds.fund_create, name="fund-create"),
    path("total/", funds.fund_adjust, name="fund-adjust"),
    path("applications/", applications.application_list, name="applications"),
    path("cases/<int:pk>/", applications.case_applications, name="case-applications"),
    path("cases/<int:pk>/new/", applications.application_new, name="application-new"),
    path("applications/<int:pk>/", applications.application_detail, name="application-detail"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="application-edit"),
    path("applications/<int:pk>/attach/", attachments.attachment_new, name="attachment-new"),
    path(
        "applications/<int:pk>/submit/", applications.application_submit, name="application-submit"
    ),
    path(
        "applications/<int:pk>/assess/", assessments.application_assess, name="application-assess"
    ),
    path("applications/<int:pk>/decide/", decisions.application_decide, name="application-decide"),
    path("applications/<int:pk>/payments/new/", payments.payment_new, name="payment-new"),
    path("applications/<int:pk>/business-start/", follow_up.business_start, name="business-start"),
    path("applications/<int:pk>/income/new/", follow_up.income_new, name="income-new"),
    path("applications/<int:pk>/business-stop/", follow_up.business_stop, name="business-stop"),
    path("attachments/<int:pk>/", attachments.attachment_download, name="attachment-download"),
]
