"""Project-wide pytest fixtures: people in every role, API clients with tokens, the browser."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
pytest_plugins = ["qms.testing.fixtures", "qms.testing.browser"]


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _no_random_quality_samples(monkeypatch: pytest.MonkeyPatch) -> None:
    """5 % of auto-approved listings are drawn for a quality re-review from the system's
    random source; in tests nothing is drawn unless a test says so (it patches the draw
    itself, or uses ``services_routing.seeded_sampling``), so task counts are exact."""
    from qms.listings import services_routing

    monkeypatch.setattr(services_routing.SAMPLE_DRAW, "random", lambda: 0.99)
