"""Cursor (keyset) pagination for API lists: stable under inserts, O(limit) per page.

A cursor is an opaque, URL-safe token encoding the sort key of the last row returned.
Lists are ordered by one field plus ``id`` as tie-breaker, e.g. ``("-created_at", "-id")``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, Q, QuerySet
from ninja import Schema

from .errors import ValidationFailed

T = TypeVar("T")
M = TypeVar("M", bound=Model)

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class Page(Schema, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def _encode(values: list[Any]) -> str:
    raw = json.dumps(
        [v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v for v in values], default=str
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            "The cursor is not valid; start again without one.", code="invalid_cursor"
        ) from exc
    if not isinstance(values, list) or len(values) != 2:
        raise ValidationFailed(
            "The cursor is not valid; start again without one.", code="invalid_cursor"
        )
    return values


def paginate(
    queryset: QuerySet[M],
    *,
    cursor: str | None,
    limit: int | None,
    order: tuple[str, str] = ("-id", "-id"),
) -> tuple[list[M], str | None]:
    """One page of ``queryset`` after ``cursor``, and the cursor for the next page (or None)."""
    size = DEFAULT_LIMIT if limit is None else limit
    if size < 1 or size > MAX_LIMIT:
        raise ValidationFailed(
            f"limit must be between 1 and {MAX_LIMIT}.", code="invalid_limit", limit=size
        )
    primary, tiebreak = order
    desc = primary.startswith("-")
    field = primary.lstrip("-")
    tie_field = tiebreak.lstrip("-")
    qs = queryset.order_by(*((primary, tiebreak) if field != tie_field else (primary,)))
    if cursor:
        value, last_id = _decode(cursor)
        if not isinstance(last_id, int) or isinstance(last_id, bool):
            raise ValidationFailed(
                "The cursor is not valid; start again without one.", code="invalid_cursor"
            )
        if field == tie_field:
            qs = qs.filter(**{f"{field}__{'lt' if desc else 'gt'}": last_id})
        else:
            op = "lt" if desc else "gt"
            field_obj = queryset.model._meta.get_field(field)
            try:
                if value is not None and hasattr(field_obj, "to_python"):
                    value = field_obj.to_python(value)
            except DjangoValidationError as exc:
                raise ValidationFailed(
                    "The cursor is not valid; start again without one.", code="invalid_cursor"
                ) from exc
            qs = qs.filter(
                Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"{tie_field}__{op}": last_id})
            )
    rows = list(qs[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = _encode([getattr(last, field), getattr(last, tie_field)])
    return rows, next_cursor


def page_response(
    queryset: QuerySet[M], *, cursor: str | None, limit: int | None, order: tuple[str, str]
) -> dict[str, Any]:
    """One page as the API's ``Page`` body: ``{"items", "next_cursor"}``."""
    items, next_cursor = paginate(queryset, cursor=cursor, limit=limit, order=order)
    return {"items": items, "next_cursor": next_cursor}


def page_for_view(
    queryset: QuerySet[M], *, cursor: str | None, order: tuple[str, str], limit: int = 50
) -> tuple[list[M], str | None]:
    """A console page: a stale or mangled ``?cursor=`` starts again from the first page."""
    try:
        return paginate(queryset, cursor=cursor or None, limit=limit, order=order)
    except ValidationFailed:
        return paginate(queryset, cursor=None, limit=limit, order=order)
