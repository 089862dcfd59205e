"""Settings for a developer's machine and `make demo`: debug pages on, everything local."""

from .base import *  # noqa: F403

DEBUG = True
