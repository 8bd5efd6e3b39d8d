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
# The demo's key is public (it is in this file): `jumin serve` refuses to start with it unless JUMIN_DEMO=true.
DEFAULT_SECRET_KEY = "insecure-demo-key-change-me-" + str(BASE_DIR)
SECRET_KEY = os.environ.get("JUMIN_SECRET_KEY") or DEFAULT_SECRET_KEY
DEMO = env_bool("JUMIN_DEMO", False)
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
    "jumin.addressees",
    "jumin.linkage",
    "jumin.extract",
    "jumin.stats",
    "jumin.euc",
    "jumin.counter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files get the CSP too (but not no-store: they carry no personal data).
    "jumin.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Sees the API's 401 for a bearer token (counted towards the address's login throttle; 429 once over it).
    "jumin.accounts.middleware.ApiTokenThrottleMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jumin.accounts.middleware.SessionLifetimeMiddleware",
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

# EUC reads (issue #16 item 6, docs/adr/0003-euc-read-isolation.md): on their own connection alias "euc", in a
# REPEATABLE READ READ ONLY transaction with a statement timeout, so a list never holds a lock the counter waits for
# and a runaway query is cancelled. JUMIN_EUC_DATABASE_URL may point at a read replica; by default the alias is a
# second connection to the same database (in tests a mirror of it).
EUC_DATABASE_URL = os.environ.get("JUMIN_EUC_DATABASE_URL", "")
DATABASES["euc"] = dj_database_url.parse(EUC_DATABASE_URL, conn_max_age=60, conn_health_checks=True) \
    if EUC_DATABASE_URL else {**DATABASES["default"], "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {}))}
if DATABASES["euc"]["ENGINE"] == "django.db.backends.sqlite3":
    # A reader: deferred transactions (IMMEDIATE would take the write lock) and no writes at all on this connection.
    DATABASES["euc"]["OPTIONS"].update({"transaction_mode": "DEFERRED", "timeout": 30, "init_command":
                                        "PRAGMA journal_mode=WAL; PRAGMA query_only=ON;"})
DATABASES["euc"]["TEST"] = {"MIRROR": "default"} if not EUC_DATABASE_URL else DATABASES["euc"].get("TEST", {})
# EUC output files wait here for their download (mode 0600, kept EucSettings.file_retention_days).
EUC_FILE_DIR = Path(os.environ.get("JUMIN_EUC_FILE_DIR", VAR_DIR / "euc"))
# Change notices (issue #18 item 5, jumin.linkage.notify): the NATS server and the subject/stream prefix.
JUMIN_NATS_URL = os.environ.get("JUMIN_NATS_URL", "nats://127.0.0.1:4222")
JUMIN_NATS_PREFIX = os.environ.get("JUMIN_NATS_PREFIX", "jumin")
# File linkage into an S3-compatible bucket (a 連携先's place `s3://bucket/prefix`; jumin.linkage.storage): the
# endpoint (empty: AWS); the credentials are boto3's own (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or a role).
JUMIN_S3_ENDPOINT_URL = os.environ.get("JUMIN_S3_ENDPOINT_URL", "")

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

# Sessions: a counter terminal left alone logs out (idle timeout: the cookie's age, renewed on every request),
# and no session outlives JUMIN_SESSION_MAX_SECONDS after its login however busy it is (absolute lifetime,
# issue #15: a stolen session cookie is good for one working day at most). docs/security.md.
SESSION_COOKIE_AGE = int(os.environ.get("JUMIN_SESSION_SECONDS", 30 * 60))
SESSION_MAX_SECONDS = int(os.environ.get("JUMIN_SESSION_MAX_SECONDS", 10 * 60 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False

# Login (issue #15): JUMIN_LOGIN_MAX_FAILURES wrong passwords in a row lock the user name until an administrator
# unlocks it (`jumin user unlock NAME`, or /accounts/locked/); JUMIN_LOGIN_ADDRESS_MAX_FAILURES failures from one
# client address within JUMIN_LOGIN_ADDRESS_WINDOW_SECONDS refuse that address until the window has passed.
LOGIN_MAX_FAILURES = int(os.environ.get("JUMIN_LOGIN_MAX_FAILURES", 5))
LOGIN_ADDRESS_MAX_FAILURES = int(os.environ.get("JUMIN_LOGIN_ADDRESS_MAX_FAILURES", 20))
LOGIN_ADDRESS_WINDOW_SECONDS = int(os.environ.get("JUMIN_LOGIN_ADDRESS_WINDOW_SECONDS", 15 * 60))

# Deployment behind a TLS-terminating reverse proxy (issue #15, docs/security.md). JUMIN_TLS=true: cookies only
# over HTTPS, HSTS, the proxy's X-Forwarded-Proto trusted, plain HTTP redirected (JUMIN_SSL_REDIRECT=false when
# the proxy redirects itself). JUMIN_PROXY_HOPS: how many proxies append to X-Forwarded-For (the client address
# of the login throttle is the entry that many places from the right; 0 = REMOTE_ADDR).
TLS = env_bool("JUMIN_TLS", False)
PROXY_HOPS = int(os.environ.get("JUMIN_PROXY_HOPS", 1 if TLS else 0))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"   # Django's CSRF check of HTTPS posts may need the same-origin Referer
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = []
if TLS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("JUMIN_HSTS_SECONDS", 365 * 24 * 60 * 60))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("JUMIN_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("JUMIN_HSTS_PRELOAD", False)
    SECURE_SSL_REDIRECT = env_bool("JUMIN_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]   # the proxy's health check talks plain HTTP to gunicorn
    if not SECURE_HSTS_PRELOAD:
        # The browsers' preload list is for public domains; a register on the municipality's closed network
        # (LGWAN / 庁内LAN) is not on it. Opting in is JUMIN_HSTS_PRELOAD=true.
        SILENCED_SYSTEM_CHECKS.append("security.W021")
    if not SECURE_SSL_REDIRECT:
        SILENCED_SYSTEM_CHECKS.append("security.W008")   # the proxy redirects http:// itself
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("JUMIN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Content-Security-Policy of every response (jumin.core.middleware): no inline script anywhere (htmx and every
# screen script are static files), no other origin. style-src allows inline style: the templates' style=""
# attributes and htmx's indicator style; CSS cannot run script (docs/security.md).
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
])

# No request body of the register API needs more than this; a 10 MB name is refused before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# 個人番号 and 住民票コード must never reach application logs (design.md "Data that must never be lost or leaked").
DEFAULT_EXCEPTION_REPORTER_FILTER = "jumin.core.logging.SafeExceptionReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "jumin.core.logging.RedactIndividualNumberFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("JUMIN_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
