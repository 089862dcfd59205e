"""Production: refuses to start without a real secret, serves only over HTTPS."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("QMS_SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("QMS_SECRET_KEY must be set to a long random value in production.")
if not os.environ.get("QMS_ALLOWED_HOSTS"):
    raise ImproperlyConfigured("QMS_ALLOWED_HOSTS must list the host names qms is served on.")

SECURE_SSL_REDIRECT = env_bool("QMS_SSL_REDIRECT", True)  # noqa: F405
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("QMS_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
