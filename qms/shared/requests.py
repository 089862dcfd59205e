"""Small helpers every context's API handlers share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def request_actor(request: HttpRequest) -> Any:
    """The user the API's authentication put on the request (token or session)."""
    return request.auth  # type: ignore[attr-defined]
