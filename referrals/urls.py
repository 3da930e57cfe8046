from __future__ import annotations

from django.urls import path

from referrals import partner_views, search_views, views

app_name = "referrals"

#: Under /search/ as the "search" namespace (e4e/urls.py): it finds cases as well as
#: referrals.
search_patterns = [
    path("", search_views.people_search, name="people"),
]

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_new, name="new"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/status/", views.referral_set_status, name="set-status"),
    path("<int:pk>/reject/", views.referral_reject, name="reject"),
    path("<int:pk>/withdraw/", views.referral_withdraw, name="withdraw"),
    path("<int:pk>/waiting-list/", views.referral_waiting_list_add, name="waiting-list-add"),
    path("partner-links/", partner_views.link_list, name="links"),
    path("partner-links/new/", partner_views.link_new, name="link-new"),
    path("partner-links/<int:pk>/", partner_views.link_created, name="link-created"),
    path("partner-links/<int:pk>/revoke/", partner_views.link_revoke, name="link-revoke"),
    # The public form: the partner link's secret is the only way in.
    path("refer/<str:token>/", partner_views.partner_form, name="partner-form"),
    path("refer/<str:token>/sent/", partner_views.partner_sent, name="partner-sent"),
]
