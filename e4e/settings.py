"""Settings for E4E Case, read from the environment (see .env.example and the README).

The defaults are the embedded ones: an SQLite file and Celery running tasks eagerly.
Production sets DEBUG off, SECRET_KEY, DATABASE_URL and REDIS_URL.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
import structlog
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from core.logging import redact_secrets

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
_env_file = env.str("E4E_ENV_FILE", default=str(BASE_DIR / ".env"))
if Path(_env_file).is_file():
    env.read_env(_env_file)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the service will not start without one: "
            "set SECRET_KEY in the environment (50 or more random characters), "
            "or set DEBUG=true for a local demo."
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105

# Key for the evaluators' stable pseudonyms; different from SECRET_KEY in production.
PSEUDONYM_KEY = env.str("E4E_PSEUDONYM_KEY", default=SECRET_KEY + "-pseudonym")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "guardian",
    "simple_history",
    "django_htmx",
    "health_check",
    "rest_framework",
    "drf_spectacular",
    "core.apps.CoreConfig",
    "referrals",
    "caseload",
    "enterprise_fund",
    "reporting",
    "evaluation",
    "legacy_import",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django_structlog.middlewares.RequestMiddleware",
    "core.middleware.SavedWriteSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.AnonymousBodyLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.NoStoreMiddleware",
    "core.api_tokens.ApiTokenMiddleware",
    "core.access.AccessPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "e4e.urls"
WSGI_APPLICATION = "e4e.wsgi.application"

# The evaluators' read-only API (evaluation/api.py): the same signed-in, second-factor
# session as the pages, JSON only (no browsable pages), GET only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "E4E Case evaluation API",
    "DESCRIPTION": "Read-only, pseudonymised records and figures for the service's evaluators.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

# Form fields render as GOV.UK Frontend components: `{{ form.field.as_field_group }}` picks
# the partial in templates/includes/ for the field's widget (see core/forms_renderer.py).
# It loads templates through TEMPLATES, so "django.forms" is installed for Django's widgets.
FORM_RENDERER = "core.forms_renderer.GovukFormRenderer"

# Database: an SQLite file by default; DATABASE_URL switches to PostgreSQL 15+.
SQLITE_PATH = env.str("E4E_SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3"))
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so the services' locking code is safe here too.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }
else:
    # The return's aggregate queries cost enough to trigger PostgreSQL's JIT, whose compile
    # time is most of their run time (at 20,000 clients: dashboard 30 s -> 14 s before the
    # figures were stored). Off for every connection the app opens; nothing here gains.
    # Connections are kept for a minute (checked before reuse) instead of one per request.
    # The search's close spellings (referrals/search.py) are names whose pg_trgm word
    # similarity is 0.5 or more (its default, 0.6, misses Jonson for Johnson).
    DATABASES["default"]["OPTIONS"] = {
        "options": "-c jit=off -c pg_trgm.word_similarity_threshold=0.5",
        **DATABASES["default"].get("OPTIONS", {}),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# How many connections one computation of the return may use at once on PostgreSQL, its
# sections side by side in one snapshot (reporting/figures/together.py); 1 runs them in
# turn. Each computation opens this many connections beside the caller's.
RETURN_CONNECTIONS = env.int("RETURN_CONNECTIONS", default=2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The contacts' covering index (caseload.Contact) includes columns only PostgreSQL can use;
# SQLite builds it as a plain index on the date, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Cache: local memory by default; REDIS_URL switches the cache (and the broker) to Redis.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "e4e",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# People and sign-in
AUTH_USER_MODEL = "e4e.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"
# Invitation and password links last three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60

E4E_REQUIRE_2FA = env.bool("E4E_REQUIRE_2FA", default=True)
# Closed cases are anonymised this many years after closure (retention schedule).
E4E_RETENTION_YEARS = env.int("E4E_RETENTION_YEARS", default=6)
# Enterprise fund awards above this many pence need two different managers' approval.
E4E_FUND_SECOND_APPROVAL_PENCE = env.int("E4E_FUND_SECOND_APPROVAL_PENCE", default=100_000)
OTP_TOTP_ISSUER = "E4E Case"

# django-axes: 10 failures for the same email from the same address locks for the cool-off.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=env.int("E4E_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Behind reverse proxies, set E4E_PROXY_COUNT to how many are in front of the app: the
# client's address is then the one the proxies appended to X-Forwarded-For (core/client.py).
E4E_PROXY_COUNT = env.int("E4E_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.client.client_ip"
# One count per email whatever its spelling (trimmed, case-folded) and client address.
AXES_USERNAME_CALLABLE = "core.client.lockout_username"

# Sessions: 30 minutes idle (saved on every request), 12 hours in all (SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
# Messages (the banner after a save) travel in a signed cookie, never in the session, so a
# session that cannot be saved after a committed create does not lose them
# (core.middleware.SavedWriteSessionMiddleware).
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env.bool("E4E_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# HTTP hardening
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("E4E_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("E4E_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("E4E_HSTS_PRELOAD", default=not DEBUG)
if env.bool("E4E_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}

# Email: printed to the console unless EMAIL_URL is set (e.g. smtp+tls://user:pass@host:587).
_email = env.email_url("EMAIL_URL", default="consolemail://")
_email_options = {
    option: _email[key]
    for key, option in [
        ("EMAIL_HOST", "host"),
        ("EMAIL_PORT", "port"),
        ("EMAIL_HOST_USER", "username"),
        ("EMAIL_HOST_PASSWORD", "password"),
        ("EMAIL_USE_TLS", "use_tls"),
        ("EMAIL_USE_SSL", "use_ssl"),
    ]
    if _email.get(key) not in (None, "")
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": _email_options if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="E4E Case <no-reply@e4e.invalid>")
# Absolute links in emails (invitations) start with this.
SITE_URL = env.str("E4E_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Appointment reminders to the people supported (core.notify): printed to the console unless
# NOTIFY_BACKEND=notify, which sends through GOV.UK Notify with this API key and these template
# ids ("sms_confirmation=<id>,sms_day_before=<id>,..."; see the README). Notify's callbacks
# (delivery receipts, replies such as STOP) must send NOTIFY_CALLBACK_TOKEN as their bearer token.
NOTIFY_BACKEND = env.str("NOTIFY_BACKEND", default="console")
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_TEMPLATES = env.dict("NOTIFY_TEMPLATES", default={})
NOTIFY_CALLBACK_TOKEN = env.str("NOTIFY_CALLBACK_TOKEN", default="")
NOTIFY_TIMEOUT = env.float("NOTIFY_TIMEOUT", default=10.0)

# Internationalisation
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files: compiled GOV.UK Frontend and MOJ Frontend are committed under static/.
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_ROOT = env.str("E4E_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Celery: eager when no broker is configured, so the embedded default needs no services.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 512_000  # kB
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE

# Logging: structured JSON lines to stdout; no personal data in events (user ids only).
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processor": structlog.processors.JSONRenderer(),
            "foreign_pre_chain": [
                structlog.processors.TimeStamper(fmt="iso", utc=True),
                structlog.stdlib.add_logger_name,
                structlog.stdlib.add_log_level,
                redact_secrets,
            ],
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
DJANGO_STRUCTLOG_CELERY_ENABLED = False
ADMINS: list[tuple[str, str]] = []

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row

from core.logging import configure_structlog  # noqa: E402

configure_structlog()
