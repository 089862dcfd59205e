"""The audit trail console: filter, page through and export what was done, by whom, when.

Staff with ``audit.view`` see every row; merchant users with ``audit.view_own`` see the rows
of their organisations. Page, CSV and API all read through ``audit_events_for``.
"""

from __future__ import annotations

import csv
import json
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .audit_selectors import AuditFilters, audit_events_for, can_export, export_rows
from .errors import PermissionDenied, ValidationFailed
from .models import AuditEvent
from .pagination import MAX_LIMIT, paginate

PAGE_SIZE = 50


class _Echo:
    """A file-like object whose ``write`` returns the line: csv.writer into a stream."""

    def write(self, value: str) -> str:
        return value


def _pretty(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


def _row(event: AuditEvent) -> dict[str, Any]:
    return {"e": event, "before": _pretty(event.before), "after": _pretty(event.after)}


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    error = ""
    filters = AuditFilters()
    try:
        filters = AuditFilters.from_params(request.GET)
        qs = audit_events_for(request.user, filters)
        limit = int(request.GET.get("limit") or PAGE_SIZE)
        events, next_cursor = paginate(
            qs,
            cursor=request.GET.get("cursor") or None,
            limit=max(1, min(limit, MAX_LIMIT)),
            order=("-at", "-id"),
        )
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except (ValidationFailed, ValueError) as exc:
        events, next_cursor = [], None
        error = getattr(exc, "message", str(exc))
    params = filters.as_params()
    return render(
        request,
        "audit/list.html",
        {
            "rows": [_row(e) for e in events],
            "filters": filters,
            "query": urlencode(params),
            "next_cursor": next_cursor,
            "can_export": can_export(request.user),
            "error": error,
        },
        status=422 if error else 200,
    )


@login_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The rows matching the page's filters as CSV (UTF-8 with BOM for spreadsheets)."""
    try:
        filters = AuditFilters.from_params(request.GET)
        rows = export_rows(request.user, filters)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except ValidationFailed as exc:
        return HttpResponse(exc.message, status=422, content_type="text/plain; charset=utf-8")
    writer = csv.writer(_Echo())

    def stream() -> Any:
        yield "\ufeff"
        for row in rows:
            yield writer.writerow(row)

    name = f"audit-{timezone.now():%Y%m%d-%H%M%S}.csv"
    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
