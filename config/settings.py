"""PortLab settings: everything comes from the environment, with defaults for the embedded demo."""

import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """The variable's value; set but empty counts as unset (as in a copied .env.example)."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(env(name, str(default)))


def env_path(name: str, default: Path) -> Path:
    return Path(env(name, str(default)))


def secret_key() -> str:
    """PORTLAB_SECRET_KEY, or the first line of the file PORTLAB_SECRET_KEY_FILE names (how
    `make run` passes the random key it generated once), or the demo key."""
    if env("PORTLAB_SECRET_KEY"):
        return env("PORTLAB_SECRET_KEY")
    key_file = env("PORTLAB_SECRET_KEY_FILE")
    if key_file:
        return Path(key_file).read_text(encoding="utf-8").strip()
    return DEMO_SECRET_KEY


DEBUG = env_bool("PORTLAB_DEBUG", False)
# Demo mode: the embedded demo on a developer's machine, over plain HTTP. Outside debug and demo
# mode, the servers (config/wsgi.py, config/asgi.py) refuse to start with the demo key.
DEMO = env_bool("PORTLAB_DEMO", False)
DEMO_SECRET_KEY = "portlab-insecure-demo-key-change-me"
SECRET_KEY = secret_key()
# Tests add Django's "testserver" themselves (setup_test_environment).
ALLOWED_HOSTS = env_list("PORTLAB_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("PORTLAB_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "portlab.core",
    "portlab.audit",
    "portlab.workdays",
    "portlab.jobs",
    "portlab.files",
    "portlab.accounts",
    "portlab.network",
    "portlab.intake",
    "portlab.testing",
    "portlab.quality",
    "portlab.reports",
    "portlab.transfers",
    "portlab.risk",
    "portlab.instruments",
    "portlab.boards",
    "portlab.portal",
    "portlab.demo",
    "portlab.backup",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Sees every answer under /api/ after the layers below: HTML error pages become JSON.
    "portlab.core.middleware.JsonApiErrorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check reads the body: a request declaring more than its route allows is
    # refused from its Content-Length (after LocaleMiddleware, so in the user's language).
    "portlab.core.uploads.DeclaredSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portlab.accounts.middleware.RouteGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portlab.core.middleware.ApplicationErrorMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

# The instrument agents' addresses run through these only (portlab/core/machine_routes.py):
# no sessions, CSRF, user, messages, pages or login to throttle for a machine with a token.
PORTLAB_MACHINE_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portlab.core.middleware.JsonApiErrorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portlab.core.uploads.DeclaredSizeLimitMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portlab.accounts.context.roles",
                "csp.context_processors.nonce",
            ],
        },
    },
]


def database_config(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE transactions take the write lock at BEGIN, so two writers queue
        # instead of failing with "database is locked" half-way through.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # Tests use a real file (not shared-cache memory) so that concurrent writers
        # behave as in production; one file per test process.
        test_file = Path(tempfile.gettempdir()) / f"portlab-test-{os.getpid()}.db"
        config["TEST"] = {"NAME": str(test_file)}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # Django's cursors bind on the client and never prepare; the few statements run through
        # a server-binding cursor (the agent heartbeat) are prepared at their first run on each
        # connection. Off behind a pooler that cannot keep prepared statements.
        prepared = env_bool("PORTLAB_DB_PREPARED_STATEMENTS", True)
        config["OPTIONS"] = {"prepare_threshold": 0 if prepared else None}
    return config


DATABASES = {
    "default": database_config(env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'portlab.sqlite3'}"))
}
# A PostgreSQL streaming replica for the boards and network views (portlab.core.replica).
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = database_config(env("DATABASE_REPLICA_URL"))
    DATABASES["replica"]["OPTIONS"] = {"connect_timeout": 2}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["portlab.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "portlab" / "locale"]
TIME_ZONE = env("PORTLAB_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_path("PORTLAB_STATIC_ROOT", BASE_DIR / "staticfiles")
# Uploaded files kept on disk (calibration certificates).
MEDIA_URL = "media/"
MEDIA_ROOT = env_path("PORTLAB_MEDIA_ROOT", BASE_DIR / "var" / "media")
# Where uploads larger than 2.5 MB are spooled while a request is read (None: the system's).
FILE_UPLOAD_TEMP_DIR = env("PORTLAB_UPLOAD_TEMP_DIR") or None
WHITENOISE_USE_FINDERS = True

# Raw data files (instrument exports, attachments, job inputs), content-addressed: a
# directory by default, any S3-compatible bucket when PORTLAB_S3_BUCKET is set (django-storages).
FILE_STORE_DIR = Path(env("PORTLAB_FILE_STORE", str(BASE_DIR / "var" / "files")))
RAWFILE_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage",
                   "OPTIONS": {"location": str(FILE_STORE_DIR)}}
if env("PORTLAB_S3_BUCKET"):
    RAWFILE_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": env("PORTLAB_S3_BUCKET"), "endpoint_url": env("PORTLAB_S3_ENDPOINT") or None,
        "file_overwrite": False}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "rawfiles": RAWFILE_STORAGE,
}

# Long work runs as queued jobs (portlab worker): in the database by default, so nothing but
# SQLite is needed; on Redis (RQ) when REDIS_URL is set, for several workers on several machines.
REDIS_URL = env("REDIS_URL")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if REDIS_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # RQ stops a job after DEFAULT_TIMEOUT s; long jobs (national data, training) run for up to
    # an hour, and the run record's heartbeat, not RQ, decides when a worker has died.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
    INSTALLED_APPS.append("django_rq")

# Without a mail server the notifications go to an outbox folder, one file per batch sent.
EMAIL_BACKEND = env("PORTLAB_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env("PORTLAB_OUTBOX", str(BASE_DIR / "var" / "outbox"))
DEFAULT_FROM_EMAIL = env("PORTLAB_FROM_EMAIL", "portlab@localhost")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HTTPS: on in production; off for debug, the demo and the test suite, which speak plain HTTP.
HTTPS = env_bool("PORTLAB_HTTPS", not (DEBUG or DEMO))
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("PORTLAB_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("PORTLAB_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("PORTLAB_HSTS_PRELOAD", True)
if env_bool("PORTLAB_BEHIND_TLS_PROXY"):
    # Only behind a proxy that terminates TLS and always sets this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp): scripts and <style> elements from our own static files
# or carrying the page's nonce; style attributes (chart bars, calendar slots) stay allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("PORTLAB_LOG_LEVEL", "WARNING")},
}

LANGUAGE_NAMES = {code: name for code, name in LANGUAGES}
SITE_TITLE = _("PortLab")

# Signed reports (portlab.reports): keys live in PEM files here, never in the database.
PORTLAB_KEYS_DIR = env_path("PORTLAB_KEYS_DIR", BASE_DIR / "var" / "keys")
# Files PortLab can rebuild at will (the cut report fonts).
PORTLAB_CACHE_DIR = env_path("PORTLAB_CACHE_DIR", BASE_DIR / "var" / "cache")
# SHA-256 of the root certificate (hex); when set, a trust list with another root is refused.
PORTLAB_ROOT_FINGERPRINT = env("PORTLAB_ROOT_FINGERPRINT")
# The public address printed in report QR codes: <URL in upper case>/V/<Base32 payload>
PORTLAB_PUBLIC_URL = env("PORTLAB_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Trained risk models.
PORTLAB_MODELS_DIR = env_path("PORTLAB_MODELS_DIR", BASE_DIR / "var" / "models")
# Requests per minute and client IP on the public verification endpoints (0 disables).
PORTLAB_VERIFY_RATE_LIMIT = env_int("PORTLAB_VERIFY_RATE_LIMIT", 30)
# Days of 5-minute telemetry samples kept (daily partitions on PostgreSQL); hourly roll-ups stay.
PORTLAB_TELEMETRY_DAYS = env_int("PORTLAB_TELEMETRY_DAYS", 7)


def cache_config(redis_url: str) -> dict:
    """Rate limits count here, shared by every worker process: Redis when REDIS_URL is set, else
    a table of the database (created by `portlab migrate`)."""
    if redis_url:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    return {"BACKEND": "portlab.core.cache.AtomicDatabaseCache", "LOCATION": "portlab_cache"}


CACHES = {"default": cache_config(env("REDIS_URL"))}
# Requests per address and window, by bucket (see portlab/core/ratelimit.py for the defaults).
PORTLAB_RATE_LIMITS: dict[str, tuple[int, int]] = {}

# Login throttling: django-axes locks an account for 15 minutes after 5 failed passwords; the
# login page also refuses an address after 100 failures in 15 minutes (an office behind one NAT
# stays well under it).
AUTHENTICATION_BACKENDS = [
    "portlab.core.login_throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for "ip_address" among the lockout parameters, but axes applies one failure
# limit to all of them: 5 failures per address would lock out a whole office behind one NAT.
# The address is limited instead by the login page (ThrottledLoginView, 100 failures / 15 min).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_FAILURE_LIMIT = env_int("PORTLAB_LOGIN_ACCOUNT_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("PORTLAB_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portlab.core.login_throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "portlab.accounts.views.login_locked_out"

# API tokens: lifetime when created without one, and the longest allowed (days).
PORTLAB_API_TOKEN_DAYS = env_int("PORTLAB_API_TOKEN_DAYS", 90)
PORTLAB_API_TOKEN_MAX_DAYS = env_int("PORTLAB_API_TOKEN_MAX_DAYS", 365)

# Largest request body, refused from its Content-Length before it is read: by path pattern, else
# PORTLAB_MAX_UPLOAD_BYTES. Public verification takes a 10 MB PDF plus the multipart envelope.
PORTLAB_MAX_UPLOAD_BYTES = env_int("PORTLAB_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
PORTLAB_UPLOAD_LIMITS = [(r"/(api/v1/)?verify", 10 * 1024 * 1024 + 64 * 1024)]
