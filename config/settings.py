"""PortLab settings: everything comes from the environment, with defaults for the embedded demo."""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("PORTLAB_DEBUG", False)
# The fallback key only serves the embedded demo; production sets PORTLAB_SECRET_KEY.
SECRET_KEY = env("PORTLAB_SECRET_KEY", "portlab-insecure-demo-key-change-me")
ALLOWED_HOSTS = env_list("PORTLAB_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("PORTLAB_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "portlab.core",
    "portlab.audit",
    "portlab.accounts",
    "portlab.network",
    "portlab.intake",
    "portlab.testing",
    "portlab.quality",
    "portlab.reports",
    "portlab.risk",
    "portlab.instruments",
    "portlab.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portlab.core.middleware.ApplicationErrorMiddleware",
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
    return config


DATABASES = {
    "default": database_config(env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'portlab.sqlite3'}"))
}
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
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = env("PORTLAB_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("PORTLAB_FROM_EMAIL", "portlab@localhost")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("PORTLAB_LOG_LEVEL", "WARNING")},
}

LANGUAGE_NAMES = {code: name for code, name in LANGUAGES}
SITE_TITLE = _("PortLab")

# Signed reports (portlab.reports): keys live in PEM files here, never in the database.
PORTLAB_KEYS_DIR = Path(env("PORTLAB_KEYS_DIR", str(BASE_DIR / "var" / "keys")))
# Files PortLab can rebuild at will (the cut report fonts).
PORTLAB_CACHE_DIR = Path(env("PORTLAB_CACHE_DIR", str(BASE_DIR / "var" / "cache")))
# SHA-256 of the root certificate (hex); when set, a trust list with another root is refused.
PORTLAB_ROOT_FINGERPRINT = env("PORTLAB_ROOT_FINGERPRINT")
# The public address printed in report QR codes: <URL in upper case>/V/<Base32 payload>
PORTLAB_PUBLIC_URL = env("PORTLAB_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Requests per minute and client IP on the public verification endpoints (0 disables).
PORTLAB_VERIFY_RATE_LIMIT = int(env("PORTLAB_VERIFY_RATE_LIMIT", "30"))
