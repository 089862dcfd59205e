"""API of the shared mechanisms: notifications, quality signals, the audit trail.

Three routers, mounted in ``config/api_routers.py`` under ``/v1/notifications``,
``/v1/signals`` and ``/v1/audit``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from . import notifications
from .audit_selectors import AuditFilters, audit_events_for
from .pagination import Page, paginate
from .requests import request_actor as _actor
from .schemas import (
    AuditEventOut,
    AuditFilterIn,
    MarkedOut,
    NotificationOut,
    SignalFilterIn,
    SignalOut,
    UnreadCountOut,
)
from .signals import signals_for

notifications_router = Router(tags=["notifications"])
signals_router = Router(tags=["signals"])
audit_router = Router(tags=["audit"])


@notifications_router.get("", response=Page[NotificationOut], summary="My notifications")
def list_notifications(
    request: HttpRequest, cursor: str | None = None, limit: int = 50, unread: bool = False
) -> dict[str, Any]:
    qs = notifications.inbox(user_id=_actor(request).pk, unread_only=unread)
    items, nxt = paginate(qs, cursor=cursor, limit=limit, order=("-created_at", "-id"))
    return {"items": items, "next_cursor": nxt}


@notifications_router.get("/unread-count", response=UnreadCountOut, summary="How many unread")
def unread_count(request: HttpRequest) -> dict[str, int]:
    return {"unread": notifications.unread_count(_actor(request).pk)}


@notifications_router.post(
    "/read-all", response=MarkedOut, summary="Mark all my notifications read"
)
def mark_all_read(request: HttpRequest) -> dict[str, int]:
    return {"marked": notifications.mark_all_read(actor=_actor(request))}


@notifications_router.post(
    "/{notification_id}/read", response=NotificationOut, summary="Mark one notification read"
)
def mark_read(request: HttpRequest, notification_id: int) -> Any:
    return notifications.mark_read(actor=_actor(request), notification_id=notification_id)


@signals_router.get(
    "",
    response=Page[SignalOut],
    summary="Quality signals (staff: all; merchants: their organisations')",
)
def list_signals(
    request: HttpRequest,
    filters: Query[SignalFilterIn],
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    qs = signals_for(_actor(request), **filters.dict())
    items, nxt = paginate(qs, cursor=cursor, limit=limit, order=("-occurred_at", "-id"))
    return {"items": items, "next_cursor": nxt}


@audit_router.get(
    "/events",
    response=Page[AuditEventOut],
    summary="Audit trail (staff: all; merchants: rows of their organisations)",
)
def list_audit_events(
    request: HttpRequest,
    filters: Query[AuditFilterIn],
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    qs = audit_events_for(_actor(request), AuditFilters.from_params(filters.dict()))
    items, nxt = paginate(qs, cursor=cursor, limit=limit, order=("-at", "-id"))
    return {"items": items, "next_cursor": nxt}
