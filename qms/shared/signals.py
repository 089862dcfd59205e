"""Quality signals: the entry of the closed loop.

Any context that observes a possible quality problem emits a signal: what it is about
(``subject_type``/``subject_id``), whose it is (``organisation_id``), what was seen (``kind``,
``severity``, ``evidence``) and who saw it (``source``). Analytics aggregates signals into
metrics, alerts and cases later. Emitting is idempotent on ``dedupe_key``: emit from a task
that may run twice, or for an observation that may be re-imported, without double counting.

    register_signal_kind("aftersales.return_quality_defect",
                         description="A return was accepted with reason 'quality defect'")
    emit_signal(subject_type="catalog.sku", subject_id=sku.pk, organisation_id=org_id,
                kind="aftersales.return_quality_defect", severity="medium",
                evidence={"rma_id": rma.pk, "reason": "broken seal"}, source="aftersales",
                dedupe_key=f"rma:{rma.pk}:quality_defect")

A new signal publishes ``signals.emitted`` (signal_id, kind, severity, organisation_id) in the
emitter's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .access import ensure_any
from .audit import _jsonable
from .domain.severity import Severity
from .errors import ValidationFailed
from .events import publish
from .models import QualitySignal

PERM_VIEW_ALL = "signals.view"
PERM_VIEW_OWN = "signals.view_own"

_kinds: dict[str, str] = {}


def register_signal_kind(kind: str, *, description: str) -> None:
    """Declare a signal kind (``<context>.<what>``) so a typo fails loudly at emit time."""
    if not kind or len(kind) > 100 or "." not in kind:
        raise ValueError("A signal kind is '<context>.<what>', at most 100 characters.")
    existing = _kinds.get(kind)
    if existing is not None and existing != description:
        raise ValueError(f"Signal kind {kind!r} is already registered with another description.")
    _kinds[kind] = description


def signal_kinds() -> dict[str, str]:
    """Every registered kind and its description."""
    return dict(sorted(_kinds.items()))


@transaction.atomic
def emit_signal(
    *,
    subject_type: str,
    subject_id: str | int,
    organisation_id: int | None,
    kind: str,
    severity: Severity | str,
    evidence: Mapping[str, Any],
    source: str,
    dedupe_key: str,
    occurred_at: dt.datetime | None = None,
) -> QualitySignal:
    """Record a signal, or return the one already recorded under ``dedupe_key`` unchanged."""
    if kind not in _kinds:
        raise ValidationFailed(
            f"Unknown signal kind {kind!r}; register it first.",
            code="signal_kind_unknown",
            kind=kind,
        )
    try:
        level = Severity(severity)
    except ValueError:
        raise ValidationFailed(
            f"Unknown severity {severity!r}.",
            code="signal_severity_invalid",
            allowed=[s.value for s in Severity],
        ) from None
    if not dedupe_key or len(dedupe_key) > 200:
        raise ValidationFailed(
            "dedupe_key must be 1 to 200 characters.", code="signal_dedupe_key_invalid"
        )
    if not subject_type or not str(subject_id) or not source:
        raise ValidationFailed(
            "A signal needs subject_type, subject_id and source.", code="signal_incomplete"
        )
    existing = QualitySignal.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            signal = QualitySignal.objects.create(
                subject_type=subject_type[:100],
                subject_id=str(subject_id)[:64],
                organisation_id=organisation_id,
                kind=kind,
                severity=level.value,
                evidence=_jsonable(dict(evidence)),
                source=source[:100],
                occurred_at=occurred_at or timezone.now(),
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        existing = QualitySignal.objects.filter(dedupe_key=dedupe_key).first()
        if existing is None:
            raise
        return existing
    publish(
        "signals.emitted",
        signal_id=signal.pk,
        kind=kind,
        severity=level.value,
        organisation_id=organisation_id,
    )
    return signal


def _clean(value: str | None) -> str | None:
    """A text filter without NUL characters (PostgreSQL refuses them in queries)."""
    return None if value is None else value.replace("\x00", "")


def signals_for(
    actor: Any,
    *,
    organisation_id: int | None = None,
    kind: str | None = None,
    min_severity: Severity | str | None = None,
    subject_type: str | None = None,
    subject_id: str | None = None,
    source: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[QualitySignal]:
    """The signals ``actor`` may see, filtered. Platform staff (``signals.view``) see all;
    merchant users (``signals.view_own``) only their organisations'. Anyone else: 403."""
    access = ensure_any(actor, PERM_VIEW_ALL, PERM_VIEW_OWN)
    kind, subject_type, subject_id, source = (
        _clean(v) for v in (kind, subject_type, subject_id, source)
    )
    qs = QualitySignal.objects.all()
    if PERM_VIEW_ALL not in access.permissions:
        qs = qs.filter(organisation_id__in=sorted(access.merchant_org_ids))
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    if kind:
        qs = qs.filter(kind=kind)
    if min_severity:
        try:
            floor = Severity(min_severity)
        except ValueError:
            raise ValidationFailed(
                f"Unknown severity {min_severity!r}.", code="signal_severity_invalid"
            ) from None
        qs = qs.filter(severity__in=[s.value for s in Severity.at_least(floor)])
    if subject_type:
        qs = qs.filter(subject_type=subject_type)
    if subject_id:
        qs = qs.filter(subject_id=subject_id)
    if source:
        qs = qs.filter(source=source)
    if since is not None:
        qs = qs.filter(occurred_at__gte=since)
    if until is not None:
        qs = qs.filter(occurred_at__lt=until)
    return qs.order_by("-occurred_at", "-id")
