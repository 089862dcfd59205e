"""qms settings. Every value that differs between machines comes from the environment.

- ``DATABASE_URL``: PostgreSQL in production (``postgres://user@host:5432/qms``); unset means
  the embedded SQLite file ``var/qms.sqlite3``.
- ``REDIS_URL``: when set, background tasks go to RQ on Redis and the cache to Redis;
  otherwise tasks are stored in the database and run by ``qms db_worker``.
- ``QMS_STORAGE``: ``local`` (default, ``var/media``) or ``s3`` (``AWS_*`` variables).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("QMS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("QMS_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("QMS_DEBUG", False)
ALLOWED_HOSTS = env_list("QMS_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("QMS_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "qms.shared",
    "qms.accounts",
    "qms.catalog",
    "qms.merchants",
    "qms.documents",
    "qms.listings",
    "qms.generate",
    "qms.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "qms.shared.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "qms.web.middleware.DomainErrorPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "qms.shared.middleware.IdempotencyMiddleware",
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
                "qms.web.context.navigation",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("QMS_SQLITE_PATH", str(VAR_DIR / "qms.sqlite3")),
            "OPTIONS": {
                # WAL lets the web server and the task worker share the file.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "qms" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# The platform's business time zone: deadlines and "days before expiry" are counted here.
QMS_BUSINESS_TIME_ZONE = os.environ.get("QMS_BUSINESS_TIME_ZONE", "Asia/Shanghai")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "qms" / "web" / "static_build"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

QMS_STORAGE = os.environ.get("QMS_STORAGE", "local")
if QMS_STORAGE == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", "qms"),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded qualification documents: the largest file accepted, in bytes.
QMS_MAX_UPLOAD_BYTES = int(os.environ.get("QMS_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = QMS_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

EMAIL_BACKEND = os.environ.get(
    "QMS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("QMS_FROM_EMAIL", "qms@marketplace.example")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Audit rows older than this are purged by `qms purge_audit` (PRC E-Commerce Law Art. 31: 3 years).
QMS_AUDIT_RETENTION_DAYS = int(os.environ.get("QMS_AUDIT_RETENTION_DAYS", str(3 * 365)))
# The public address of the site: notification e-mails link to QMS_SITE_URL + the page path.
QMS_SITE_URL = os.environ.get("QMS_SITE_URL", "http://127.0.0.1:8000")
# Navigation entries whose URL name does not resolve are hidden; with this on, the test
# suite fails on them instead (set it once every context's pages exist).
QMS_STRICT_NAV = env_bool("QMS_STRICT_NAV", False)
# Login throttling: this many failures per account or per address within the window lock it out.
QMS_LOGIN_MAX_FAILURES = int(os.environ.get("QMS_LOGIN_MAX_FAILURES", "5"))
QMS_LOGIN_WINDOW_SECONDS = int(os.environ.get("QMS_LOGIN_WINDOW_SECONDS", "900"))
# How often (at most) a process looks for listing rule changes made in the console.
QMS_LISTING_RULES_SYNC_SECONDS = float(os.environ.get("QMS_LISTING_RULES_SYNC_SECONDS", "2"))
# API tokens live this long unless the creator says otherwise.
QMS_TOKEN_DEFAULT_DAYS = int(os.environ.get("QMS_TOKEN_DEFAULT_DAYS", "90"))
# Idempotency keys are remembered this long.
QMS_IDEMPOTENCY_TTL_HOURS = int(os.environ.get("QMS_IDEMPOTENCY_TTL_HOURS", "24"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("QMS_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
