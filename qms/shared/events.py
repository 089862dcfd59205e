"""Domain events between contexts, without import cycles.

A lower context publishes a named event (``documents.expired``); a higher one subscribes in
its ``AppConfig.ready``. Handlers run synchronously inside the publisher's transaction, so the
reaction (restricting a category) commits or rolls back with the cause (the expiry). Anything
slow or external (mail) belongs in a task queued with ``transaction.on_commit`` by the handler.
Every event name is listed in ``EVENTS`` so a typo fails loudly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

EVENTS: dict[str, str] = {
    "documents.verified": (
        "a qualification document was approved (document_id, organisation_id, type_code)"
    ),
    "documents.rejected": (
        "a qualification document was rejected (document_id, organisation_id, type_code)"
    ),
    "documents.expiring": (
        "a document reached a warning point (document_id, organisation_id, type_code, days_left)"
    ),
    "documents.expired": (
        "a qualification document expired (document_id, organisation_id, type_code)"
    ),
    "merchants.standing_changed": "a merchant's standing changed (merchant_id, old, new)",
    "merchants.application_decided": (
        "an application was approved or rejected (application_id, merchant_id, state)"
    ),
    "merchants.agreement_signed": (
        "a merchant signed a quality agreement (merchant_id, template_id)"
    ),
    "merchants.category_restriction_changed": (
        "a merchant's category was restricted or its restriction lifted (merchant_id, "
        "category_id, status, reason_code)"
    ),
    "listings.version_rejected": (
        "a listing version was rejected (listing_id, version_id, organisation_id, rules)"
    ),
    "listings.listing_withdrawn": (
        "a live listing was withdrawn (listing_id, organisation_id, reason)"
    ),
    "listings.listing_taken_down": (
        "the platform took a live listing down (listing_id, version_id, organisation_id, "
        "reason_codes, evidence)"
    ),
    "signals.emitted": "a quality signal was recorded (signal_id, kind, severity, organisation_id)",
}

Handler = Callable[..., None]
_handlers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(event: str, handler: Handler) -> None:
    if event not in EVENTS:
        raise KeyError(f"Unknown event {event!r}; add it to qms.shared.events.EVENTS.")
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def publish(event: str, **payload: Any) -> None:
    if event not in EVENTS:
        raise KeyError(f"Unknown event {event!r}; add it to qms.shared.events.EVENTS.")
    for handler in list(_handlers[event]):
        handler(**payload)


def subscribers(event: str) -> list[Handler]:
    return list(_handlers[event])
