"""Django settings for the eduplan platform.

Everything has a working default so that `eduplan demo` needs no environment: a SQLite file
next to the current directory, Simplified Chinese, assets served by the app itself (bureaus
run on intranets with no internet). Production overrides come from environment variables.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

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
# A demo or intranet install has no secret to configure; production must set one.
SECRET_KEY = os.environ.get("EDUPLAN_SECRET_KEY", "eduplan-insecure-demo-key-set-EDUPLAN_SECRET_KEY")
ALLOWED_HOSTS = os.environ.get("EDUPLAN_ALLOWED_HOSTS", "*").split(",")
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
    "eduplan.dashboard",
    "eduplan.reports",
    "eduplan.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
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
CSRF_COOKIE_HTTPONLY = False  # the progress form's fetch of nothing needs it; forms use the token field
X_FRAME_OPTIONS = "DENY"

# Upload limits: a plan source or one evidence file; `eduplan serve` caps a request's body too.
EDUPLAN_MAX_UPLOAD_BYTES = env_int("EDUPLAN_MAX_UPLOAD_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Login throttling (django-axes): lock a username from one address after repeated failures.
AXES_FAILURE_LIMIT = env_int("EDUPLAN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Figures and lists are cached per process until the next audited change (eduplan/caching.py);
# EDUPLAN_CACHE=off computes every request afresh (benchmarks of the uncached cost).
CACHES = {"default": {
    "BACKEND": "django.core.cache.backends.dummy.DummyCache" if os.environ.get("EDUPLAN_CACHE") == "off"
    else "django.core.cache.backends.locmem.LocMemCache",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}}

# A fixed "today" (YYYY-MM-DD) for demos, tests and benchmarks; unset means the real date.
EDUPLAN_TODAY = os.environ.get("EDUPLAN_TODAY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": os.environ.get("EDUPLAN_LOG_LEVEL", "WARNING")}},
}
