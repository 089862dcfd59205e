"""Every context's Router, mounted under /api/v1/. Add a line when a context gains an API."""

from __future__ import annotations

from ninja import NinjaAPI


def register(api: NinjaAPI) -> None:
    from qms.shared.api import audit_router, notifications_router, signals_router

    api.add_router("/v1/notifications", notifications_router)
    api.add_router("/v1/signals", signals_router)
    api.add_router("/v1/audit", audit_router)
    api.add_router("/v1/documents", "qms.documents.api.router")
    # agreements/standing first: its fixed paths (/agreement-templates, /reverification-tasks)
    # must win over the main router's /{merchant_id}
    api.add_router("/v1/merchants", "qms.merchants.api_agreements.router")
    api.add_router("/v1/merchants", "qms.merchants.api.router")
    api.add_router("/v1/catalog", "qms.catalog.api.router")
    # the rule book first: /rules must not be taken for a listing id
    api.add_router("/v1/listings", "qms.listings.api_rules.router")
    api.add_router("/v1/listings", "qms.listings.api.router")
