"""The notification inbox page (any logged-in user) with htmx mark-read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import notifications
from .errors import NotFound, ValidationFailed
from .pagination import paginate

PAGE_SIZE = 25
CHANGED_EVENT = "notifications-changed"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user_id = int(request.user.pk or 0)  # login_required: always set
    unread_only = request.GET.get("show") == "unread"
    qs = notifications.inbox(user_id=user_id, unread_only=unread_only)
    error = ""
    try:
        items, next_cursor = paginate(
            qs,
            cursor=request.GET.get("cursor") or None,
            limit=PAGE_SIZE,
            order=("-created_at", "-id"),
        )
    except ValidationFailed as exc:
        items, next_cursor, error = [], None, exc.message
    return render(
        request,
        "notifications/inbox.html",
        {
            "items": items,
            "next_cursor": next_cursor,
            "unread_only": unread_only,
            "unread": notifications.unread_count(user_id),
            "error": error,
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    try:
        row = notifications.mark_read(actor=request.user, notification_id=notification_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if _is_htmx(request):
        response = render(request, "notifications/_item.html", {"n": row})
        response["HX-Trigger"] = CHANGED_EVENT
        return response
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    notifications.mark_all_read(actor=request.user)
    return redirect("notifications:inbox")
