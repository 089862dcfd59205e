"""Every context's Router, mounted under /api/v1/. Add a line when a context gains an API."""

from __future__ import annotations

from ninja import NinjaAPI


def register(api: NinjaAPI) -> None:
    pass
