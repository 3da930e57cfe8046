"""The core's URLs: home pages by role, signing in, the account, user administration."""

from __future__ import annotations

from django.urls import path

from core.views import accounts, api_tokens, home, users

core_patterns = [
    path("", home.home, name="home"),
    path("home/opcc/", home.home_opcc, name="home-opcc"),
    path("health/", home.health, name="health"),
    path("favicon.ico", home.favicon, name="favicon"),
]

account_patterns = [
    path("sign-in/", accounts.sign_in, name="sign-in"),
    path("sign-out/", accounts.sign_out, name="sign-out"),
    path("sign-in/code/", accounts.verify, name="verify"),
    path("sign-in/set-up-2fa/", accounts.enrol, name="enrol"),
    path("sign-in/set-up-2fa/qr.svg", accounts.enrol_qr, name="enrol-qr"),
    path("sign-in/backup-codes/", accounts.backup_codes_new, name="backup-codes-new"),
    path("set-password/<uidb64>/<token>/", accounts.set_password, name="set-password"),
    path("forgotten-password/", accounts.password_reset, name="password-reset"),
    path("forgotten-password/sent/", accounts.password_reset_sent, name="password-reset-sent"),
    path("account/", accounts.account, name="account"),
    path("account/password/", accounts.password_change, name="password-change"),
    path(
        "account/backup-codes/",
        accounts.backup_codes_regenerate,
        name="backup-codes-regenerate",
    ),
    path("account/api-tokens/", api_tokens.api_tokens, name="api-tokens"),
    path(
        "account/api-tokens/<int:pk>/revoke/",
        api_tokens.api_token_revoke_view,
        name="api-token-revoke",
    ),
]

user_patterns = [
    path("", users.user_list, name="list"),
    path("invite/", users.user_invite, name="invite"),
    path("<int:pk>/", users.user_detail, name="detail"),
    path("<int:pk>/edit/", users.user_edit, name="edit"),
    path("<int:pk>/deactivate/", users.user_deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", users.user_reactivate, name="reactivate"),
    path("<int:pk>/end-sessions/", users.user_end_sessions, name="end-sessions"),
    path("<int:pk>/resend-invitation/", users.user_resend_invitation, name="resend-invitation"),
    path("<int:pk>/reset-2fa/", users.user_reset_second_factor, name="reset-2fa"),
]
