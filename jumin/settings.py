"""Django settings for jumin.

Twelve-factor: everything that differs between demo, CI and production comes from environment
variables with safe defaults (design.md "configuration"). Settings that differ by municipality
(name, 団体コード, 仮登録 on/off …) are NOT here: they live in the database (core.Municipality).
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JUMIN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("JUMIN_DEBUG", False)
SECRET_KEY = os.environ.get("JUMIN_SECRET_KEY") or "insecure-demo-key-change-me-" + str(BASE_DIR)
ALLOWED_HOSTS = [h for h in os.environ.get("JUMIN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI's JS/CSS from local static files (no CDN: no network at run time)
    "jumin.core",
    "jumin.accounts",
    "jumin.audit",
    "jumin.register",
    "jumin.search",
    "jumin.restrictions",
    "jumin.certificates",
    "jumin.seals",
    "jumin.counter",
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
]

ROOT_URLCONF = "jumin.urls"
WSGI_APPLICATION = "jumin.wsgi.application"

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
            ],
        },
    },
]

# Database: DATABASE_URL, default an SQLite file under var/ (the embedded default for `make demo`).
DEFAULT_DATABASE_URL = "sqlite:///" + str(VAR_DIR / "jumin.sqlite3")
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # BEGIN IMMEDIATE: a writer takes the write lock at the start of its transaction, so two
        # clerks never deadlock on a read→write upgrade; the second one waits (up to `timeout`).
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        # WAL + synchronous=FULL: readers never block the writer and a committed change is durable.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
    }
    # Tests use a file, like production: an in-memory database (shared cache) locks whole tables instead of
    # waiting, which would make the two-clerks concurrency test meaningless. One file per test process.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("JUMIN_SQLITE_TEST_NAME") or str(VAR_DIR / f"test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "ja"
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
try:  # WhiteNoise warns on every request when the folder is missing (before the first collectstatic)
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError:
    pass

# Certificates (issue #5, ADR 0002): "form" draws the certificate forms with jumin.certificates.form (HarfBuzz
# and pydyf, ~5x faster a page); "weasyprint" draws them from the HTML template, as every other PDF is.
CERTIFICATE_RENDERER = os.environ.get("JUMIN_CERTIFICATE_RENDERER", "form")

# Sessions: a counter terminal left alone logs out (issue #4 tightens the screens' side).
SESSION_COOKIE_AGE = int(os.environ.get("JUMIN_SESSION_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# No request body of the register API needs more than this; a 10 MB name is refused before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# 個人番号 must never reach application logs (design.md "Data that must never be lost or leaked").
DEFAULT_EXCEPTION_REPORTER_FILTER = "jumin.core.logging.SafeExceptionReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "jumin.core.logging.RedactIndividualNumberFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("JUMIN_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
