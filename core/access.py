"""The access policy: every URL name has one rule, enforced for every request.

The rules themselves are in each app's `access_policy.py` (a `RULES` dict), found the way
Django finds `admin.py`: every installed app is asked for one. This module holds the machinery:
`Rule`, the middleware that applies the rule of the URL being requested (failing
closed when a URL has none), and the second-factor gate.

Object-level checks ("the object must be the user's own") are done by each app's
access helper (`get_case_for(user, pk)` and so on); `Rule.own_object` records that
the URL needs one, so the tests can hold every such view to the not-mine-404 walk.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any
from urllib.parse import urlencode

import structlog
from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.module_loading import module_has_submodule
from django_otp import user_has_device

from core.models import Role

logger = structlog.get_logger("e4e.access")

#: Roles that only ever read: anything but GET or HEAD is refused to them, except on the
#: pages about signing in and their own account.
READ_ONLY_ROLES = frozenset({Role.EVALUATOR})
SAFE_METHODS = frozenset({"GET", "HEAD"})
#: Roles that see no person's record (OPCC: figures; evaluators: pseudonymised records only).
AGGREGATE_ONLY_ROLES = frozenset({Role.OPCC, Role.EVALUATOR})


@dataclass(frozen=True)
class Rule:
    """Who may request a URL.

    `public`: anyone, signed in or not. `before_second_factor`: any user who has signed
    in with a password, before the second factor (the 2FA pages themselves).
    Otherwise the user must be signed in, past the second factor, and hold one of `roles`.
    """

    roles: frozenset[str] = field(default_factory=frozenset)
    public: bool = False
    before_second_factor: bool = False
    own_object: bool = False
    client_scoped: bool = False
    #: About the user's own account (password, codes, API tokens): open to read-only roles.
    own_account: bool = False

    def allows_role(self, role: str) -> bool:
        return self.public or self.before_second_factor or role in self.roles


PUBLIC = Rule(public=True)
SIGN_IN_STEP = Rule(roles=frozenset(Role.values), before_second_factor=True)
ANY_ROLE = Rule(roles=frozenset(Role.values))
OWN_ACCOUNT = Rule(roles=frozenset(Role.values), own_account=True)


def allow(
    *roles: Role, own_object: bool = False, client_scoped: bool = False, own_account: bool = False
) -> Rule:
    return Rule(
        roles=frozenset(roles),
        own_object=own_object,
        client_scoped=client_scoped,
        own_account=own_account,
    )


@functools.cache
def policy() -> dict[str, Rule]:
    """Every URL name -> its rule: the `RULES` of each installed app's `access_policy.py`.

    A URL name given a rule by two apps is a configuration error, not a silent override."""
    merged: dict[str, Rule] = {}
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "access_policy"):
            continue
        rules: dict[str, Rule] = import_module(f"{config.name}.access_policy").RULES
        twice = sorted(merged.keys() & rules.keys())
        if twice:
            raise ImproperlyConfigured(f"{config.name} gives a second access rule to {twice}")
        merged.update(rules)
    return merged


def rule_for(view_name: str | None) -> Rule | None:
    if view_name is None:
        return None
    return policy().get(view_name)


def may(user: object, view_name: str) -> bool:
    """Whether the user's role may request the URL: for showing only the actions they may
    take. The middleware still enforces the rule when the URL is requested."""
    rule = rule_for(view_name)
    role = getattr(user, "role", None)
    return rule is not None and role is not None and rule.allows_role(role)


def second_factor_redirect(
    request: HttpRequest, next_url: str | None = None
) -> HttpResponse | None:
    """Where a signed-in user must go before anything else, or None when they may go on.

    `next_url` is where to go afterwards: the requested page unless given.
    """
    user = request.user
    # OTPMiddleware adds is_verified(); a user just signed in by login() has not passed it.
    is_verified = getattr(user, "is_verified", None)
    if callable(is_verified) and is_verified():
        return None
    if has_confirmed_device(request):
        target = "accounts:verify"
    elif settings.E4E_REQUIRE_2FA:
        target = "accounts:enrol"
    else:
        return None
    return HttpResponseRedirect(with_next(reverse(target), next_url or request.get_full_path()))


def has_confirmed_device(request: HttpRequest) -> bool:
    """Whether the signed-in user has a confirmed second factor, asked of the database once
    a request: the middleware and the navigation both ask (two queries each, one per kind of
    device). Kept for the user who asked, so a sign-in during the request asks again."""
    user = request.user
    known: dict[object, bool] = request.__dict__.setdefault("_e4e_confirmed_device", {})
    if user.pk not in known:
        known[user.pk] = user_has_device(user, confirmed=True)
    return known[user.pk]


def with_next(url: str, next_url: str | None) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def security_event(
    request: HttpRequest, event: str, *, level: str = "warning", **details: Any
) -> None:
    """Log an authorisation failure: ids only, never names or case content. At "error",
    the monitoring raises an alert."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    getattr(logger, level)(
        event,
        user_id=getattr(user, "pk", None),
        role=getattr(user, "role", None),
        url_name=getattr(match, "view_name", None),
        method=request.method,
        **details,
    )


class AccessPolicyMiddleware:
    """Applies the URL's rule before its view runs. No rule means no access."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Iterable[Any],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        rule = rule_for(match.view_name if match else None)
        if rule is None:
            security_event(request, "access.no_rule")
            raise PermissionDenied("This page has no access rule.")
        if rule.public:
            return None
        user = request.user
        if not user.is_authenticated:
            return self._sign_in_redirect(request)
        if rule.before_second_factor:
            return None
        gate = second_factor_redirect(request)
        if gate is not None:
            return gate
        if user.role not in rule.roles:
            if rule.client_scoped and user.role in AGGREGATE_ONLY_ROLES:
                # AL-5: someone who never sees a person's record asked for one: alert.
                security_event(request, "access.client_record_refused", level="error")
            else:
                security_event(request, "access.role_refused")
            raise PermissionDenied
        if (
            user.role in READ_ONLY_ROLES
            and request.method not in SAFE_METHODS
            and not rule.own_account
        ):
            security_event(request, "access.read_only_refused")
            raise PermissionDenied("This role can only read.")
        return None

    @staticmethod
    def _sign_in_redirect(request: HttpRequest) -> HttpResponse:
        login_url = reverse(settings.LOGIN_URL)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # The browser still holds a session that the server no longer knows: it expired.
            login_url += "?expired=1"
        return redirect_to_login(request.get_full_path(), login_url)
