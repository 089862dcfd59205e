"""The audit trail: ``record_event`` is called by services inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from .context import current_client_ip, current_request_id
from .models import AuditEvent


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "value"):  # enums
        return _jsonable(value.value)
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as JSON-ready values: use for ``before`` and ``after``."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _jsonable(getattr(obj, attname))
    return out


def _actor_label(actor: Any) -> str:
    if actor is None:
        return "system"
    label = getattr(actor, "audit_label", None)
    if callable(label):
        return str(label())
    return str(getattr(actor, "username", actor))


def record_event(
    *,
    actor: Any,
    obj: models.Model | None = None,
    action: str,
    object_type: str | None = None,
    object_id: str | int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
    organisation_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row. Must run inside the caller's transaction (it checks)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must be called inside the transaction of the change.")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id if object_id is not None else obj.pk
    if object_type is None or object_id is None:
        raise ValueError("record_event needs obj, or object_type and object_id.")
    after_data = dict(_jsonable(after) or {}) if after is not None or detail else None
    if detail:
        assert after_data is not None
        after_data.update(_jsonable(detail))
    return AuditEvent.objects.create(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor)[:200],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=(str(obj) if obj is not None else "")[:300],
        organisation_id=organisation_id,
        before=_jsonable(before) if before is not None else None,
        after=after_data,
        reason=reason,
        request_id=current_request_id(),
        ip=current_client_ip() or None,
    )


def purge_expired_audit_events(*, now: dt.datetime | None = None) -> int:
    """Delete audit rows older than ``QMS_AUDIT_RETENTION_DAYS``. The only delete allowed."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.QMS_AUDIT_RETENTION_DAYS)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SET LOCAL qms.audit_purge = 'on'")
        deleted = AuditEvent.objects.filter(at__lt=cutoff)._raw_delete(AuditEvent.objects.db)
    return int(deleted)
