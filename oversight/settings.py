"""Django settings: everything from the environment through the typed readers in `oversight.env`,
with development defaults so `make run` needs no environment at all."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from oversight.cases.constants import Role
from oversight.env import (
    cache_url,
    database_url,
    env_bool,
    env_int,
    env_list,
    env_mapping,
    env_str,
    lockout_parameters,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# The roles' values, for a setting that names roles (single sign-on's group mapping, below).
_ROLES = {value for value, _label in Role.choices}

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "development-only-not-secret"  # noqa: S105 - used only with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
# `make run`: the demo as a council sees it (DEBUG off) but served over plain HTTP on this
# machine's loopback only (scripts/run-env): no HTTPS redirect or HSTS, cookies over HTTP, mail to
# files, links to http://127.0.0.1:8000, and `oversight serve`'s deployment check quiet about
# exactly those. Refused with any host name that is not loopback: never a way to serve a council.
OVERSIGHT_LOOPBACK_DEMO = env_bool("OVERSIGHT_LOOPBACK_DEMO", False)
_LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "[::1]"}
if OVERSIGHT_LOOPBACK_DEMO and not set(ALLOWED_HOSTS) <= _LOOPBACK_NAMES:
    raise ImproperlyConfigured(
        "OVERSIGHT_LOOPBACK_DEMO serves plain HTTP on loopback only: ALLOWED_HOSTS may hold "
        f"only {', '.join(sorted(_LOOPBACK_NAMES))}"
    )
_LOCAL = DEBUG or OVERSIGHT_LOOPBACK_DEMO  # development defaults: files, demo domains, HTTP

_DATABASE_URL = database_url("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")


def _database(url: str) -> dj_database_url.DBConfig:
    """One database's settings from its URL (the primary's and a replica's alike)."""
    database = dj_database_url.parse(
        url,
        # PostgreSQL: a worker keeps its connection (and its prepared statements), checked
        # before each request; SQLite's file needs none.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if url.startswith("sqlite") else 600),
        conn_health_checks=True,
    )
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        return database
    options = database.setdefault("OPTIONS", {})
    # A database that does not answer should give a quick 503, not a hung request.
    options["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5)
    # No JIT: the pages run short indexed queries, and compiling one whose estimate passes
    # jit_above_cost took 300-800 ms of a request (issue 6, benchmarks/pages.py).
    options["options"] = "-c jit=off"
    # Parameters bound on the server, so that psycopg prepares a statement the connection runs
    # again and again (from its fifth run): the access query of a child page takes five times
    # longer to plan than to run (issue 6, benchmarks/pages.py).
    options["server_side_binding"] = True
    options["prepare_threshold"] = 5
    return database


DATABASES = {"default": _database(_DATABASE_URL)}
# The reports read from a PostgreSQL replica when one is named (oversight.reports.replica);
# in tests the replica is the test database itself.
if env_str("DATABASE_REPLICA_URL", ""):
    _REPLICA_URL = database_url("DATABASE_REPLICA_URL", "")
    if "sqlite" in (_REPLICA_URL.split(":")[0], _DATABASE_URL.split(":")[0]):
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL names a PostgreSQL replica of a PostgreSQL DATABASE_URL"
        )
    DATABASES["replica"] = {**_database(_REPLICA_URL), "TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["oversight.reports.replica.ReplicaRouter"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "oversight.cases",
    "oversight.cache",
    "oversight.audit",
    "oversight.web",
    "oversight.notifications",
    "oversight.meetings",
    "oversight.escalations",
    "oversight.complaints",
    "oversight.fostering",
    "oversight.interop",
    "oversight.reports",
    "oversight.api",
    "django_tasks_db",
    "axes",
    # Two-factor sign-in (oversight.web.two_factor): django-otp, its authenticator-app (TOTP)
    # and recovery-code (static) devices.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "crispy_forms",
    "crispy_forms_gds",
    # The API's docs page with its own copy of Swagger UI's assets, not a CDN's.
    "ninja",
]

# Form fields rendered by the GOV.UK Design System template pack of django-crispy-forms
# (`{{ field|as_crispy_field }}`), not by markup written out in each template.
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# The GOV.UK classes of the widgets the pack does not style itself (times, numbers, files).
CRISPY_CLASS_CONVERTERS = {
    "timeinput": "govuk-input govuk-input--width-5",
    "numberinput": "govuk-input govuk-input--width-3",
    "fileinput": "govuk-file-upload",
}

MIDDLEWARE = [
    "oversight.web.middleware.RequestIdMiddleware",
    "oversight.web.middleware.RequestSizeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "oversight.web.middleware.DataVersionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "oversight.api.middleware.ProblemsMiddleware",
    "oversight.api.middleware.CallAuditMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor sign-in: whether this session gave its code (django-otp), then holding a
    # session that owes one to the code page (oversight.web.two_factor).
    "django_otp.middleware.OTPMiddleware",
    "oversight.web.middleware.NoStoreMiddleware",
    "oversight.web.session_limits.SessionLimitsMiddleware",
    "oversight.web.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oversight.web.middleware.DatabaseUnavailableMiddleware",
    "oversight.web.access.RestrictedRecordMiddleware",
    # Last: turns a sign-in refused by the lockout (below) into the lockout page.
    "axes.middleware.AxesMiddleware",
]

if env_str("OVERSIGHT_LOGS", "stdout") not in {"stdout", "stderr"}:
    raise ImproperlyConfigured("OVERSIGHT_LOGS must be stdout or stderr")
# Logs: one JSON object a line on standard output, with the request id (`oversight.web.logs`);
# every server error with its traceback, whatever DEBUG says (Django's own default sends them to
# the console only with DEBUG on, and otherwise to admins by email).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "oversight.web.logs.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            # Standard output for the service (`oversight serve`, the worker); a one-off command
            # whose standard output is its answer (an export, a report) logs to standard error
            # (`oversight.cli` sets OVERSIGHT_LOGS=stderr for it).
            "stream": f"ext://sys.{env_str('OVERSIGHT_LOGS', 'stdout')}",
            "formatter": "json",
        }
    },
    "root": {"handlers": ["stdout"], "level": env_str("OVERSIGHT_LOG_LEVEL", "INFO")},
    # Django's own (requests refused as warnings, server errors with tracebacks) to the root's
    # handler: naming the loggers drops Django's defaults (the console only with DEBUG on, email).
    # django-axes: its start and every sign-in at INFO are noise (each try is on the audit log).
    "loggers": {
        "django": {"level": "INFO"},
        "django.server": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}

ROOT_URLCONF = "oversight.urls"
WSGI_APPLICATION = "oversight.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oversight.web.context_processors.service",
                "oversight.web.access.navigation",
                "oversight.web.views_caseload.navigation",
                "oversight.web.navigation_concerns.navigation",
                "oversight.web.views_complaints.navigation",
                "oversight.web.navigation_meetings.navigation",
                "oversight.web.navigation_reports.navigation",
                "oversight.web.views_fostering.navigation",
                "oversight.web.views_inbox.navigation",
                "oversight.web.views_policy.navigation",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 for new passwords; a PBKDF2 hash still checks and is rehashed with Argon2 at sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Lockout (django-axes, its attempts in the database every worker shares): after
# OVERSIGHT_SIGN_IN_FAILURE_LIMIT failed sign-ins, further tries are refused for
# OVERSIGHT_SIGN_IN_COOL_OFF_MINUTES, by AxesStandaloneBackend before any password is hashed.
# OVERSIGHT_SIGN_IN_LOCKOUT_BY says what is counted: each of "username" and "ip_address" on its
# own, or "username+ip_address" for the two together.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "oversight.cache.backends.RememberedUserBackend",
]
AXES_FAILURE_LIMIT = env_int("OVERSIGHT_SIGN_IN_FAILURE_LIMIT", 5)
if AXES_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured("OVERSIGHT_SIGN_IN_FAILURE_LIMIT must be at least 1")
OVERSIGHT_SIGN_IN_COOL_OFF_MINUTES = env_int("OVERSIGHT_SIGN_IN_COOL_OFF_MINUTES", 15)
if OVERSIGHT_SIGN_IN_COOL_OFF_MINUTES < 1:
    raise ImproperlyConfigured("OVERSIGHT_SIGN_IN_COOL_OFF_MINUTES must be at least 1")
AXES_COOLOFF_TIME = timedelta(minutes=OVERSIGHT_SIGN_IN_COOL_OFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = lockout_parameters(
    "OVERSIGHT_SIGN_IN_LOCKOUT_BY", ["username", "ip_address"]
)
# A refused try does not restart the cool-off, so "try again in N minutes" stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "oversight.web.views.sign_in_locked"
# How many proxies stand in front of the app servers (nginx: 1): the client's address, for the
# lockout and the audit log, is then read from X-Forwarded-For (oversight.audit.addresses). With
# 0 behind a proxy, every user has the proxy's address, and five failures lock everyone out.
OVERSIGHT_TRUSTED_PROXIES = env_int("OVERSIGHT_TRUSTED_PROXIES", 0)
if OVERSIGHT_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("OVERSIGHT_TRUSTED_PROXIES must not be negative")
AXES_CLIENT_IP_CALLABLE = "oversight.audit.addresses.request_address"
AXES_USERNAME_FORM_FIELD = "username"
# Who signed in is on the audit log (oversight.audit.signals); axes keeps only its counts.
AXES_DISABLE_ACCESS_LOG = True
# A session ends after OVERSIGHT_SESSION_IDLE_MINUTES without a request and
# OVERSIGHT_SESSION_MAX_HOURS after signing in (oversight.web.session_limits); the cookie and the
# stored session last no longer than the second.
OVERSIGHT_SESSION_IDLE_MINUTES = env_int("OVERSIGHT_SESSION_IDLE_MINUTES", 30)
if OVERSIGHT_SESSION_IDLE_MINUTES < 1:
    raise ImproperlyConfigured("OVERSIGHT_SESSION_IDLE_MINUTES must be at least 1")
OVERSIGHT_SESSION_MAX_HOURS = env_int("OVERSIGHT_SESSION_MAX_HOURS", 8)
if OVERSIGHT_SESSION_MAX_HOURS < 1:
    raise ImproperlyConfigured("OVERSIGHT_SESSION_MAX_HOURS must be at least 1")
SESSION_COOKIE_AGE = OVERSIGHT_SESSION_MAX_HOURS * 3600
# Calls to the JSON API per caller (a token or a signed-in person), as "N/s", "N/m" or "N/h";
# beyond it, 429 with Retry-After (django-ninja's throttle, counted in the default cache).
OVERSIGHT_API_RATE = env_str("OVERSIGHT_API_RATE", "600/m")
# --- Two-factor sign-in (django-otp; oversight.web.two_factor) ---
# Administrators always give a code from an authenticator app after their password; with
# OVERSIGHT_TWO_FACTOR_FOR_EVERYONE on, everyone does (each sets it up at their next sign-in).
OVERSIGHT_TWO_FACTOR_FOR_EVERYONE = env_bool("OVERSIGHT_TWO_FACTOR_FOR_EVERYONE", False)
# The name the authenticator app shows beside the code.
OTP_TOTP_ISSUER = env_str("OVERSIGHT_COUNCIL_NAME", "Demo Borough Council") + " Oversight"
# --- end of two-factor sign-in ---

# --- Single sign-on with the council's identity provider (OpenID Connect; oversight.web.sso) ---
# On when OVERSIGHT_OIDC_CLIENT_ID is set; then the issuer, its endpoints (Entra ID:
# https://login.microsoftonline.com/TENANT/v2.0/.well-known/openid-configuration lists them) and
# the client's secret are required. The groups claim decides the roles its mapping names
# (OVERSIGHT_OIDC_GROUP_ROLES: GROUP=ROLE pairs; a role no group maps to is never given by
# sign-on, administrator included); the person is the staff record whose email (else username)
# the provider asserts, and a new staff record is made only with OVERSIGHT_OIDC_CREATE_STAFF and
# at least one mapped role.
_OIDC_CLIENT_ID = env_str("OVERSIGHT_OIDC_CLIENT_ID", "")
OVERSIGHT_SSO = bool(_OIDC_CLIENT_ID)
OVERSIGHT_SSO_BACKEND = "oversight.web.sso.CouncilSignOn"
OVERSIGHT_OIDC_ISSUER = env_str("OVERSIGHT_OIDC_ISSUER", "")
OIDC_RP_CLIENT_ID = _OIDC_CLIENT_ID
OIDC_RP_CLIENT_SECRET = env_str("OVERSIGHT_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OVERSIGHT_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OVERSIGHT_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OVERSIGHT_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OVERSIGHT_OIDC_JWKS_ENDPOINT", "")
if OVERSIGHT_SSO:
    _missing = [
        name
        for name, value in [
            ("OVERSIGHT_OIDC_ISSUER", OVERSIGHT_OIDC_ISSUER),
            ("OVERSIGHT_OIDC_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET),
            ("OVERSIGHT_OIDC_AUTHORIZATION_ENDPOINT", OIDC_OP_AUTHORIZATION_ENDPOINT),
            ("OVERSIGHT_OIDC_TOKEN_ENDPOINT", OIDC_OP_TOKEN_ENDPOINT),
            ("OVERSIGHT_OIDC_USERINFO_ENDPOINT", OIDC_OP_USER_ENDPOINT),
            ("OVERSIGHT_OIDC_JWKS_ENDPOINT", OIDC_OP_JWKS_ENDPOINT),
        ]
        if not value
    ]
    if _missing:
        raise ImproperlyConfigured(
            f"Single sign-on (OVERSIGHT_OIDC_CLIENT_ID) also needs {', '.join(_missing)}"
        )
OIDC_RP_SIGN_ALGO = env_str("OVERSIGHT_OIDC_SIGN_ALGORITHM", "RS256")
OIDC_RP_SCOPES = env_str("OVERSIGHT_OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
# The ID token kept in the session, the hint the provider's end-session endpoint is given when
# signing out ends the session there too (oversight.web.sso.provider_sign_out_url).
OIDC_STORE_ID_TOKEN = True
OIDC_OP_LOGOUT_URL_METHOD = "oversight.web.sso.provider_sign_out_url"
OIDC_TIMEOUT = env_int("OVERSIGHT_OIDC_TIMEOUT", 10)
LOGIN_REDIRECT_URL_FAILURE = "/sign-in/refused/"
OVERSIGHT_OIDC_GROUPS_CLAIM = env_str("OVERSIGHT_OIDC_GROUPS_CLAIM", "groups")
OVERSIGHT_OIDC_USERNAME_CLAIM = env_str("OVERSIGHT_OIDC_USERNAME_CLAIM", "preferred_username")
OVERSIGHT_OIDC_GROUP_ROLES = env_mapping("OVERSIGHT_OIDC_GROUP_ROLES", set(_ROLES))
OVERSIGHT_OIDC_CREATE_STAFF = env_bool("OVERSIGHT_OIDC_CREATE_STAFF", False)
AUTHENTICATION_BACKENDS += [OVERSIGHT_SSO_BACKEND]
# --- end of single sign-on ---
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "caseload"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Documents attached to meeting records (Django's storage API; FileSystemStorage by default).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The version of the case data that every process shares, under which each process remembers
# what the busiest pages need (oversight.cache; issue 6, performance). Sessions are in the
# database, read through a cache every process shares (a per-process one would keep a signed-out
# session alive in the other workers). On one host, files every process of the host shares; on
# several (OVERSIGHT_HOSTS > 1), CACHE_URL: a Redis server every host shares, through Django's own
# backend (the `redis` package; nothing of django-redis's extras is needed), and the system check
# `oversight.cache.E001` refuses to start without it.
OVERSIGHT_HOSTS = env_int("OVERSIGHT_HOSTS", 1)
if OVERSIGHT_HOSTS < 1:
    raise ImproperlyConfigured(f"OVERSIGHT_HOSTS must be at least 1, not {OVERSIGHT_HOSTS}")
# At most this many bytes (estimated) of what each process remembers (oversight.cache.data_version).
OVERSIGHT_REMEMBER_BYTES = env_int("OVERSIGHT_REMEMBER_BYTES", 64 * 1024 * 1024)
if OVERSIGHT_REMEMBER_BYTES < 0:
    raise ImproperlyConfigured("OVERSIGHT_REMEMBER_BYTES must not be negative")
CACHE_URL = cache_url("CACHE_URL")
_SHARED_CACHE: dict[str, object] = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": CACHE_URL,
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "page_versions": (
        {**_SHARED_CACHE, "KEY_PREFIX": "page_versions", "TIMEOUT": None}
        if CACHE_URL
        else {
            "BACKEND": "oversight.cache.file_cache.FileCache",
            "LOCATION": env_str(
                "OVERSIGHT_PAGE_VERSIONS_DIR", str(BASE_DIR / "var" / "page-versions")
            ),
            "TIMEOUT": None,
            # A version per child: not culled at Django's default of 300 files (a culled version
            # is made afresh, so culling costs rebuilds, never a stale page).
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    ),
    "sessions": (
        {**_SHARED_CACHE, "KEY_PREFIX": "sessions"}
        if CACHE_URL
        else {
            "BACKEND": "oversight.cache.file_cache.FileCache",
            "LOCATION": env_str("OVERSIGHT_SESSIONS_DIR", str(BASE_DIR / "var" / "sessions")),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    ),
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"

# Email (Django 6.1's MAILERS): with DEBUG on, to files under var/mail unless EMAIL_BACKEND names
# another backend; with DEBUG off, SMTP. A development-only backend named with DEBUG off is refused
# by `manage check --deploy` (mail.E001), which `oversight serve` runs before it starts.
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if _LOCAL
    else "django.core.mail.backends.smtp.EmailBackend",
)
if EMAIL_BACKEND_PATH.endswith("filebased.EmailBackend"):
    _mail_options: dict[str, object] = {"file_path": str(BASE_DIR / "var" / "mail")}
elif EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        # A mail server that does not answer fails the attempt (and it is retried), not the worker.
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    }
else:
    _mail_options = {}
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "oversight@council.invalid")
# What leaves the building (oversight.notifications.rules): staff are emailed at their staff
# record's address; an address typed in (a partner agency's contact) only at these domains and
# their subdomains (none by default with DEBUG off). Messages carry a link to the record at
# OVERSIGHT_BASE_URL, never the case's content.
OVERSIGHT_EMAIL_DOMAINS = env_list(
    "OVERSIGHT_EMAIL_DOMAINS",
    ["council.invalid", "police.invalid", "health.invalid"] if _LOCAL else [],
)
# Called with each break-glass opening, in its transaction, after the IRO team managers are
# emailed (oversight.notifications.break_glass): dotted paths of functions taking the grant.
OVERSIGHT_BREAK_GLASS_HOOKS = env_list("OVERSIGHT_BREAK_GLASS_HOOKS", [])
OVERSIGHT_BASE_URL = env_str("OVERSIGHT_BASE_URL", "http://127.0.0.1:8000" if _LOCAL else "")
if not OVERSIGHT_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "OVERSIGHT_BASE_URL must be the address people open Oversight at, such as "
        f"https://oversight.council.gov.uk, not {OVERSIGHT_BASE_URL!r}"
    )

SESSION_COOKIE_HTTPONLY = True
# Cookies only over HTTPS, unless told otherwise: `make run` serves plain HTTP on loopback.
OVERSIGHT_SECURE_COOKIES = env_bool("OVERSIGHT_SECURE_COOKIES", not _LOCAL)
SESSION_COOKIE_SECURE = OVERSIGHT_SECURE_COOKIES
CSRF_COOKIE_SECURE = OVERSIGHT_SECURE_COOKIES
X_FRAME_OPTIONS = "DENY"
# HTTPS only in production: plain HTTP is redirected (but /healthz, which a load balancer asks
# over HTTP on the private network), and browsers are told to use HTTPS for a year (HSTS) on the
# host and its subdomains. Behind a proxy that ends TLS (OVERSIGHT_TRUSTED_PROXIES > 0), the proxy
# says a request came over HTTPS with `X-Forwarded-Proto: https`, and must overwrite any such
# header the client sent (the guide's nginx does).
SECURE_SSL_REDIRECT = not _LOCAL
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("OVERSIGHT_HSTS_SECONDS", 0 if _LOCAL else 365 * 24 * 3600)
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured("OVERSIGHT_HSTS_SECONDS must not be negative")
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("OVERSIGHT_HSTS_INCLUDE_SUBDOMAINS", True)
if OVERSIGHT_TRUSTED_PROXIES > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Submitting a domain to the browsers' HSTS preload list is the council's decision for its whole
# domain, not the app's: Django's reminder of it (security.W021) is not a fault of Oversight.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# The reports' covering indexes (`cases.Obligation`) include columns PostgreSQL reads from the
# index alone; SQLite, the embedded default, keeps the same index without them (models.W040).
SILENCED_SYSTEM_CHECKS += ["models.W040"]
if OVERSIGHT_LOOPBACK_DEMO:  # plain HTTP and mail to files, on loopback only (above)
    SILENCED_SYSTEM_CHECKS += [
        "security.W004", "security.W008", "security.W012", "security.W016", "mail.E001",
    ]  # fmt: skip
# A strict Content-Security-Policy (Django's own): scripts, styles, fonts and images from the app
# itself only (nothing inline, no CDN), no plugins, no framing, forms posted only to the app (and,
# with single sign-on, on to the identity provider: `sign_on_csp`).
SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}


def sign_on_csp(csp: dict[str, list[str]], issuer: str) -> dict[str, list[str]]:
    """`csp` with the identity provider's origin also allowed as where a form may end up:
    "Sign out" and "Sign out everywhere" post to Oversight, which sends the browser on to the
    provider's end-session endpoint, and a browser holds that redirect to `form-action` (it would
    stay on the page, signed out of Oversight only)."""
    parts = urlsplit(issuer)
    return {**csp, "form-action": [*csp["form-action"], f"{parts.scheme}://{parts.netloc}"]}


if OVERSIGHT_SSO:
    SECURE_CSP = sign_on_csp(SECURE_CSP, OVERSIGHT_OIDC_ISSUER)

OVERSIGHT_SERVICE_NAME = "Oversight"
OVERSIGHT_COUNCIL_NAME = env_str("OVERSIGHT_COUNCIL_NAME", "Demo Borough Council")
OVERSIGHT_DEMO_PASSWORD = env_str("OVERSIGHT_DEMO_PASSWORD", "oversight-demo")

OVERSIGHT_POLICY = env_str("OVERSIGHT_POLICY", "england")
OVERSIGHT_POLICY_DIRS = env_list("OVERSIGHT_POLICY_DIRS", [])

# Whether My caseload and the child page are remembered whole under the data version
# (oversight.cache.page_cache); off, they are built on every request, while who is signed in and
# the access decision are still remembered. `benchmarks/pages.py` compares the two.
OVERSIGHT_WHOLE_PAGE_CACHE = env_bool("OVERSIGHT_WHOLE_PAGE_CACHE", True)

# Imports (oversight.interop): an uploaded file larger than this is refused; an upload larger
# than OVERSIGHT_IMPORT_BACKGROUND_BYTES (all its files) is checked and imported by the
# background worker, the page showing how far it has got. Uploads wait in the default storage
# (MEDIA_ROOT/imports/), which several web hosts must share.
OVERSIGHT_IMPORT_MAX_BYTES = env_int("OVERSIGHT_IMPORT_MAX_BYTES", 200 * 1024 * 1024)
# The largest request body, refused (413) before it is read: the largest upload and its form.
OVERSIGHT_REQUEST_MAX_BYTES = env_int(
    "OVERSIGHT_REQUEST_MAX_BYTES", OVERSIGHT_IMPORT_MAX_BYTES + 1024 * 1024
)
OVERSIGHT_IMPORT_BACKGROUND_BYTES = env_int("OVERSIGHT_IMPORT_BACKGROUND_BYTES", 5 * 1024 * 1024)
# An upload nobody has touched for this long (checked and never confirmed) is removed, audited, by
# `oversight discard_uploads` (daily, beside `oversight nightly`).
OVERSIGHT_IMPORT_ABANDONED_HOURS = env_int("OVERSIGHT_IMPORT_ABANDONED_HOURS", 24)
if OVERSIGHT_IMPORT_ABANDONED_HOURS < 1:
    raise ImproperlyConfigured("OVERSIGHT_IMPORT_ABANDONED_HOURS must be at least 1")

# Background work: Django's tasks API on the database (django-tasks-db), run by
# `oversight manage db_worker`; see README "Notifications".
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Notifications (oversight.notifications): the outbox's delivery backend and retry policy.
# The council's virus scanner, asked about every uploaded file (`oversight.uploads.scanning`):
# a function's dotted path ("oversight.uploads.scanning.clamd" for ClamAV), or empty for none.
OVERSIGHT_UPLOAD_SCANNER = env_str("OVERSIGHT_UPLOAD_SCANNER", "")
OVERSIGHT_CLAMD_SOCKET = env_str("OVERSIGHT_CLAMD_SOCKET", "/run/clamav/clamd.ctl")
OVERSIGHT_CLAMD_TIMEOUT = env_int("OVERSIGHT_CLAMD_TIMEOUT", 30)

OVERSIGHT_NOTIFY_BACKEND = env_str("OVERSIGHT_NOTIFY_BACKEND", "smtp")
if OVERSIGHT_NOTIFY_BACKEND not in {"smtp", "notify"}:
    raise ImproperlyConfigured(
        f"OVERSIGHT_NOTIFY_BACKEND must be smtp or notify, not {OVERSIGHT_NOTIFY_BACKEND!r}"
    )
OVERSIGHT_NOTIFY_MAX_ATTEMPTS = env_int("OVERSIGHT_NOTIFY_MAX_ATTEMPTS", 10)
OVERSIGHT_NOTIFY_RETRY_SECONDS = env_int("OVERSIGHT_NOTIFY_RETRY_SECONDS", 60)
OVERSIGHT_NOTIFY_RETRY_MAX_SECONDS = env_int("OVERSIGHT_NOTIFY_RETRY_MAX_SECONDS", 3600)
OVERSIGHT_NOTIFY_LEASE_SECONDS = env_int("OVERSIGHT_NOTIFY_LEASE_SECONDS", 300)
# The background worker writes its heartbeat this often; a worker silent for
# OVERSIGHT_WORKER_STALE_SECONDS is presumed dead (its RUNNING task rows are reclaimed, and
# /healthz says 503 while messages wait for it).
OVERSIGHT_WORKER_HEARTBEAT_SECONDS = env_int("OVERSIGHT_WORKER_HEARTBEAT_SECONDS", 15)
OVERSIGHT_WORKER_STALE_SECONDS = env_int("OVERSIGHT_WORKER_STALE_SECONDS", 120)
# /healthz says 503 when a message has waited longer than this to be sent.
OVERSIGHT_HEALTH_OUTBOX_MAX_SECONDS = env_int("OVERSIGHT_HEALTH_OUTBOX_MAX_SECONDS", 900)
OVERSIGHT_NOTIFY_TEMPLATE_ID = env_str("OVERSIGHT_NOTIFY_TEMPLATE_ID", "")
# Webhooks (optional): a signed POST to this address when an obligation becomes overdue or an
# escalation changes stage, from the outbox with the emails' retries
# (oversight.notifications.webhooks); unset, none are sent. The secret signs each one.
OVERSIGHT_WEBHOOK_URL = env_str("OVERSIGHT_WEBHOOK_URL", "")
OVERSIGHT_WEBHOOK_SECRET = env_str("OVERSIGHT_WEBHOOK_SECRET", "")
OVERSIGHT_WEBHOOK_TIMEOUT_SECONDS = env_int("OVERSIGHT_WEBHOOK_TIMEOUT_SECONDS", 10)
if OVERSIGHT_WEBHOOK_URL and not OVERSIGHT_WEBHOOK_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        f"OVERSIGHT_WEBHOOK_URL must be an http(s) address, not {OVERSIGHT_WEBHOOK_URL!r}"
    )
if OVERSIGHT_WEBHOOK_URL and len(OVERSIGHT_WEBHOOK_SECRET) < 32:
    raise ImproperlyConfigured(
        "OVERSIGHT_WEBHOOK_SECRET must be at least 32 characters when OVERSIGHT_WEBHOOK_URL is set"
    )
OVERSIGHT_MESSAGE_ID_DOMAIN = env_str("OVERSIGHT_MESSAGE_ID_DOMAIN", "oversight.invalid")
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", "")
NOTIFY_BASE_URL = env_str("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
