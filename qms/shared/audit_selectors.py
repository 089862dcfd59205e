"""Reading the audit trail: one filter shape and one scoped selector for page, CSV and API.

Platform users holding ``audit.view`` see every row. Merchant users holding
``audit.view_own`` see only rows whose ``organisation_id`` is one of their organisations.
Anyone else gets ``PermissionDenied``. Dates are calendar days in the business time zone;
``date_to`` is inclusive.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from .access import ActorAccess, ensure_any
from .audit import record_event
from .errors import DomainError, ValidationFailed
from .models import AuditEvent

PERM_VIEW_ALL = "audit.view"
PERM_VIEW_OWN = "audit.view_own"
PERM_EXPORT_ALL = "audit.export"
PERM_EXPORT_OWN = "audit.export_own"

MAX_ID_DIGITS = 18  # keeps ids inside a 64-bit integer column

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "at",
    "actor_id",
    "actor",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "organisation_id",
    "reason",
    "before",
    "after",
    "request_id",
    "ip",
)


@dataclass(frozen=True)
class AuditFilters:
    """The filters of the audit console, CSV export and API (all optional).

    ``actor``: a user id, or part of the actor's label (user name). ``action``: a prefix
    (``documents.`` or ``documents.verify``). ``object_type``/``object_id``: exact.
    ``q``: free text in the object's name, the reason, the action, the actor or the request id.
    """

    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    organisation_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValidationFailed(
                "The end date is before the start date.", code="audit_date_range_invalid"
            )

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> AuditFilters:
        """Parse query parameters (strings); bad values raise ``ValidationFailed``."""

        def text(name: str, limit: int = 200) -> str:
            return str(params.get(name) or "").replace("\x00", "").strip()[:limit]

        def day(name: str) -> dt.date | None:
            raw = text(name, 10)
            if not raw:
                return None
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                raise ValidationFailed(
                    f"{name} must be a date (YYYY-MM-DD).", code="audit_date_invalid", field=name
                ) from None

        org_raw = text("organisation_id", 20)
        if org_raw and not (org_raw.isdigit() and len(org_raw) <= MAX_ID_DIGITS):
            raise ValidationFailed(
                "organisation_id must be a number.", code="audit_organisation_invalid"
            )
        return cls(
            actor=text("actor"),
            action=text("action", 100),
            object_type=text("object_type", 100),
            object_id=text("object_id", 64),
            organisation_id=int(org_raw) if org_raw else None,
            date_from=day("date_from"),
            date_to=day("date_to"),
            q=text("q"),
        )

    def as_params(self) -> dict[str, str]:
        """The non-empty filters as query parameters (to build export and next-page links)."""
        out: dict[str, str] = {}
        for key, value in asdict(self).items():
            if value in (None, ""):
                continue
            out[key] = value.isoformat() if isinstance(value, dt.date) else str(value)
        return out


def _day_start(day: dt.date) -> dt.datetime:
    tz = zoneinfo.ZoneInfo(settings.QMS_BUSINESS_TIME_ZONE)
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def _scope(actor: Any, *perms: str) -> tuple[ActorAccess, bool]:
    access = ensure_any(actor, *perms)
    return access, PERM_VIEW_ALL in access.permissions


def audit_events_for(actor: Any, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    """The audit rows ``actor`` may read, filtered, newest first. The one scoping rule."""
    access, sees_all = _scope(actor, PERM_VIEW_ALL, PERM_VIEW_OWN)
    f = filters or AuditFilters()
    qs = AuditEvent.objects.all()
    if not sees_all:
        qs = qs.filter(organisation_id__in=sorted(access.merchant_org_ids))
    if f.actor:
        qs = (
            qs.filter(actor_id=int(f.actor))
            if f.actor.isdigit() and len(f.actor) <= MAX_ID_DIGITS
            else qs.filter(actor_label__icontains=f.actor)
        )
    if f.action:
        qs = qs.filter(action__startswith=f.action)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type.lower())
    if f.object_id:
        qs = qs.filter(object_id=f.object_id)
    if f.organisation_id is not None:
        qs = qs.filter(organisation_id=f.organisation_id)
    if f.date_from:
        qs = qs.filter(at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(at__lt=_day_start(f.date_to + dt.timedelta(days=1)))
    if f.q:
        qs = qs.filter(
            Q(object_repr__icontains=f.q)
            | Q(reason__icontains=f.q)
            | Q(action__icontains=f.q)
            | Q(actor_label__icontains=f.q)
            | Q(request_id=f.q)
            | Q(object_id=f.q)
        )
    return qs.order_by("-at", "-id")


def can_export(actor: Any) -> bool:
    """Whether the actor may download the CSV (``audit.export`` or ``audit.export_own``)."""
    try:
        ensure_any(actor, PERM_EXPORT_ALL, PERM_EXPORT_OWN)
    except DomainError:
        return False
    return True


def export_rows(actor: Any, filters: AuditFilters) -> Iterator[list[str]]:
    """The CSV header and rows the actor may export (same scoping as the page), streamed.

    The export itself is recorded in the audit trail (action ``audit.export``) before the
    first row is produced, so a download cannot leave no trace.
    """
    ensure_any(actor, PERM_EXPORT_ALL, PERM_EXPORT_OWN)
    qs = audit_events_for(actor, filters)
    with transaction.atomic():
        record_event(
            actor=actor,
            action="audit.export",
            object_type="shared.auditevent",
            object_id="export",
            detail={"filters": filters.as_params()},
        )
    return _stream(qs)


def csv_safe(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a leading = + - @ gets a quote."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _stream(qs: QuerySet[AuditEvent]) -> Iterator[list[str]]:
    yield list(CSV_COLUMNS)
    for e in qs.iterator(chunk_size=2000):
        yield [
            str(e.pk),
            e.at.isoformat(),
            str(e.actor_id or ""),
            csv_safe(e.actor_label),
            csv_safe(e.action),
            csv_safe(e.object_type),
            csv_safe(e.object_id),
            csv_safe(e.object_repr),
            "" if e.organisation_id is None else str(e.organisation_id),
            csv_safe(e.reason),
            "" if e.before is None else json.dumps(e.before, ensure_ascii=False, sort_keys=True),
            "" if e.after is None else json.dumps(e.after, ensure_ascii=False, sort_keys=True),
            e.request_id,
            e.ip or "",
        ]
