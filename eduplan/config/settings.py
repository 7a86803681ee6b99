"""Django settings for the eduplan platform.

Everything has a working default so that `eduplan demo` needs no environment: a SQLite file
next to the current directory, Simplified Chinese, assets served by the app itself (bureaus
run on intranets with no internet). Production overrides come from environment variables.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from eduplan.errors import Errors
from eduplan.security.secret import load_or_create_secret_key

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    try:
        return default if value is None else int(value)
    except ValueError as err:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from err


DATA_DIR = Path(os.environ.get("EDUPLAN_DATA_DIR", Path.cwd() / "eduplan-data")).resolve()

DEBUG = env_bool("EDUPLAN_DEBUG", False)
# An explicit key wins; otherwise each install makes its own on first run and keeps it in the
# data folder, so nothing runs with a key published in the source. Several servers sharing one
# database must share EDUPLAN_SECRET_KEY instead.
SECRET_KEY = os.environ.get("EDUPLAN_SECRET_KEY") or load_or_create_secret_key(DATA_DIR)

# Loopback names are always allowed: `eduplan serve` checks itself through 127.0.0.1, and a
# browser on the server itself may use them. Other names must be listed: the Host header is
# not to be trusted otherwise (`eduplan serve` lists the machine's own names by default).
LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"]


def allowed_hosts() -> list[str]:
    configured = [h.strip() for h in os.environ.get("EDUPLAN_ALLOWED_HOSTS", "").split(",") if h.strip()]
    if "*" in configured and not DEBUG:
        raise ImproperlyConfigured(Errors.E440.render())
    return [*LOOPBACK_HOSTS, *(h for h in configured if h not in LOOPBACK_HOSTS)]


def site_url() -> str:
    """EDUPLAN_SITE_URL, the address people use (``https://plan.jyj.local``): password-reset links."""
    value = os.environ.get("EDUPLAN_SITE_URL", "").strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    try:
        port = parts.port
    except ValueError:  # not a number, or out of range
        port = -1
    if (parts.scheme not in ("http", "https") or not parts.hostname or port == -1
            or parts.path or parts.query or parts.fragment or parts.username):
        raise ImproperlyConfigured(Errors.E443.render(value=value))
    return value


ALLOWED_HOSTS = allowed_hosts()
EDUPLAN_SITE_URL = site_url()
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("EDUPLAN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "eduplan.orgs",
    "eduplan.audit",
    "eduplan.tracking",
    "eduplan.indicators",
    "eduplan.dashboard",
    "eduplan.reports",
    "eduplan.balance",
    "eduplan.supervision",
    "eduplan.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "eduplan.security.middleware.IdleSessionMiddleware",
    "eduplan.security.middleware.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend; the user comes with its membership (one query less per request).
    # Sessions signed in while this was ModelBackend itself end: their users sign in once more.
    "eduplan.orgs.backends.MemberBackend",
]

ROOT_URLCONF = "eduplan.config.urls"
WSGI_APPLICATION = "eduplan.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "eduplan.orgs.context.current_role",
                "eduplan.supervision.context.inbox",
            ],
        },
    },
]


def database_config() -> dict:
    """SQLite file by default; EDUPLAN_DATABASE_URL (postgres://…) for a server."""
    url = os.environ.get("EDUPLAN_DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    path = Path(os.environ.get("EDUPLAN_DB", DATA_DIR / "eduplan.sqlite3"))
    return {
        # Django's SQLite backend with a gate that hands writers the file one after the other.
        "ENGINE": "eduplan.config.sqlite",
        "NAME": str(path),
        # Kept open by each server thread: opening and closing the file (with its pragmas) on
        # every request was a twentieth of the server's time under load.
        "CONN_MAX_AGE": None,
        # WAL lets readers go on while one writer commits; IMMEDIATE avoids lock upgrades
        # failing half-way through a transaction under concurrent writers.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]  # the UI speaks Simplified Chinese whatever the browser asks for
TIME_ZONE = os.environ.get("EDUPLAN_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # eduplan/static is not an app's static folder
STATIC_ROOT = os.environ.get("EDUPLAN_STATIC_ROOT") or None  # only for `collectstatic` behind a web server
# Served by WhiteNoise straight from the installed package: no collectstatic step, no CDN.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(os.environ.get("EDUPLAN_MEDIA_ROOT", DATA_DIR / "media"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
# Idle timeout: a session ends this long after its last use (IdleSessionMiddleware slides it
# forward at most every EDUPLAN_SESSION_REFRESH_SECONDS, to spare a database write per request).
SESSION_COOKIE_AGE = env_int("EDUPLAN_SESSION_IDLE_MINUTES", 120) * 60
EDUPLAN_SESSION_REFRESH_SECONDS = min(300, SESSION_COOKIE_AGE // 10)
CSRF_COOKIE_HTTPONLY = False  # the progress form's fetch of nothing needs it; forms use the token field
X_FRAME_OPTIONS = "DENY"

# HTTPS: waitress speaks plain HTTP, so HTTPS means a reverse proxy that ends TLS and passes
# X-Forwarded-Proto (which it must set itself, never pass on from the client). Many intranets run
# plain HTTP, where secure-only cookies would never be sent: the choice follows EDUPLAN_HTTPS,
# by default whether EDUPLAN_SITE_URL starts with https://.
EDUPLAN_HTTPS = env_bool("EDUPLAN_HTTPS", EDUPLAN_SITE_URL.startswith("https://"))
SILENCED_SYSTEM_CHECKS = [
    # No SECURE_SSL_REDIRECT: the proxy redirects http to https; the app only ever sees HTTP
    # from it (and `eduplan serve` checks itself over HTTP on loopback).
    "security.W008",
]
if EDUPLAN_HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("EDUPLAN_HSTS_SECONDS", 30 * 24 * 3600)
    SILENCED_SYSTEM_CHECKS += [
        "security.W005",  # other hosts under an intranet domain may still be plain HTTP
        "security.W021",  # browsers' preload lists are for public domains
    ]
else:
    # Plain HTTP: HSTS and secure-only cookies do not apply (the cookies would never be sent).
    SILENCED_SYSTEM_CHECKS += ["security.W004", "security.W012", "security.W016"]

# Upload limits: a plan source or one evidence file; `eduplan serve` caps a request's body too.
EDUPLAN_MAX_UPLOAD_BYTES = env_int("EDUPLAN_MAX_UPLOAD_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Login throttling (django-axes): lock a username from one address after repeated failures,
# and an address after many failures across usernames (eduplan/security/lockout.py).
AXES_FAILURE_LIMIT = env_int("EDUPLAN_LOGIN_FAILURE_LIMIT", 5)
EDUPLAN_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("EDUPLAN_LOGIN_ADDRESS_FAILURE_LIMIT", 50)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "eduplan.security.lockout.AddressLimitHandler"
# The client's address behind a reverse proxy: only from a header named here, set by the proxy
# (eduplan/security/client_ip.py); EDUPLAN_TRUSTED_PROXY_COUNT proxies append to it.
AXES_CLIENT_IP_CALLABLE = "eduplan.security.client_ip.client_ip"
EDUPLAN_TRUSTED_PROXY_HEADER = os.environ.get("EDUPLAN_TRUSTED_PROXY_HEADER", "").strip()
if EDUPLAN_TRUSTED_PROXY_HEADER and not re.fullmatch(r"[A-Za-z0-9-]+", EDUPLAN_TRUSTED_PROXY_HEADER):
    raise ImproperlyConfigured(Errors.E444.render(value=EDUPLAN_TRUSTED_PROXY_HEADER))
EDUPLAN_TRUSTED_PROXY_COUNT = max(1, env_int("EDUPLAN_TRUSTED_PROXY_COUNT", 1))

# Password-reset requests per hour, from one address and for one e-mail address.
EDUPLAN_PASSWORD_RESET_PER_ADDRESS = env_int("EDUPLAN_PASSWORD_RESET_PER_ADDRESS", 10)
EDUPLAN_PASSWORD_RESET_PER_EMAIL = env_int("EDUPLAN_PASSWORD_RESET_PER_EMAIL", 3)

# API tokens expire this many days after they are issued.
EDUPLAN_API_TOKEN_DAYS = env_int("EDUPLAN_API_TOKEN_DAYS", 30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Figures and lists are cached per process until the next audited change (eduplan/caching.py),
# table rows once per content (eduplan/fragments.py). For benchmarks of the uncached cost:
# EDUPLAN_CACHE=off computes every request afresh, EDUPLAN_CACHE=rows keeps only the rows.
_CACHE_MODE = os.environ.get("EDUPLAN_CACHE", "on")
CACHES = {"default": {
    "BACKEND": "django.core.cache.backends.dummy.DummyCache" if _CACHE_MODE in ("off", "rows")
    else "django.core.cache.backends.locmem.LocMemCache",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}, "ratelimit": {  # counters of eduplan/security/reset.py: kept whatever EDUPLAN_CACHE says
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "ratelimit",
}}
EDUPLAN_ROW_MEMO = _CACHE_MODE != "off"
# Several server processes (`eduplan serve --workers N`) must share the throttles' counters.
if int(os.environ.get("EDUPLAN_WORKERS", "1") or 1) > 1:
    CACHES["ratelimit"] = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                           "LOCATION": str(DATA_DIR / "ratelimit")}

# A fixed "today" (YYYY-MM-DD) for demos, tests and benchmarks; unset means the real date.
EDUPLAN_TODAY = os.environ.get("EDUPLAN_TODAY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": os.environ.get("EDUPLAN_LOG_LEVEL", "WARNING")}},
}
