"""Project-wide pytest fixtures: people in every role, API clients with tokens, the browser."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
pytest_plugins = ["qms.testing.fixtures", "qms.testing.browser"]
