"""Settings for benchmark processes: the base settings without debug (no query log)."""

from config.settings.base import *  # noqa: F403

DEBUG = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"handlers": [], "level": "WARNING"},
}
