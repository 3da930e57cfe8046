from __future__ import annotations

from django.urls import path

from enterprise_fund import views

app_name = "enterprise_fund"

urlpatterns = [
    path("", views.fund_page, name="fund"),
    path("set-up/", views.fund_create, name="fund-create"),
    path("total/", views.fund_adjust, name="fund-adjust"),
    path("applications/", views.application_list, name="applications"),
    path("cases/<int:pk>/", views.case_applications, name="case-applications"),
    path("cases/<int:pk>/new/", views.application_new, name="application-new"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path("applications/<int:pk>/attach/", views.attachment_new, name="attachment-new"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application-submit"),
    path("applications/<int:pk>/assess/", views.application_assess, name="application-assess"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application-decide"),
    path("applications/<int:pk>/payments/new/", views.payment_new, name="payment-new"),
    path("applications/<int:pk>/business-start/", views.business_start, name="business-start"),
    path("applications/<int:pk>/income/new/", views.income_new, name="income-new"),
    path("applications/<int:pk>/business-stop/", views.business_stop, name="business-stop"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
]
