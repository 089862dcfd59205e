"""Fixtures of the documents tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from qms.shared import events
from qms.shared.tests.samples import media_root  # noqa: F401  (a fixture)

from .factories import make_merchant


@pytest.fixture
def merchant(db: Any) -> tuple[Any, Any]:
    """(organisation, owner user) of a fresh merchant."""
    return make_merchant()


@pytest.fixture
def other_merchant(db: Any) -> tuple[Any, Any]:
    return make_merchant(name="Other shop")


@pytest.fixture
def captured() -> Iterator[Callable[[str], list[dict]]]:
    """``captured("documents.expired")`` -> the list the event's payloads are appended to."""
    added: list[tuple[str, Callable[..., None]]] = []

    def _capture(name: str) -> list[dict]:
        seen: list[dict] = []

        def handler(**payload: Any) -> None:
            seen.append(payload)

        events.subscribe(name, handler)
        added.append((name, handler))
        return seen

    yield _capture
    for name, handler in added:
        events._handlers[name].remove(handler)
