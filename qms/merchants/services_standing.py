"""Writes for merchant standing: restrictions (merchant-wide or per category), suspension,
reinstatement and termination. Re-verification: ``services_reverification.py``.

Each change locks the merchant row, writes a ``StandingChange`` history row and an audit row in
the same transaction, notifies the merchant's users after commit and publishes
``merchants.standing_changed`` when the standing itself moved (and
``merchants.category_restriction_changed`` for a category). ``actor=None`` is the system
(deadlines, document events); a person needs ``merchants.change_standing``.
Restricting and lifting are idempotent: restricting twice for the same cause, or lifting what is
not in force, changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from qms.accounts.permissions import ensure_can
from qms.accounts.selectors import user_ids_in_organisation
from qms.shared.audit import record_event
from qms.shared.errors import IllegalTransition, NotFound, ValidationFailed
from qms.shared.events import publish
from qms.shared.notifications import notify

from .domain.standing import (
    RESTRICTABLE,
    STANDING_LABELS,
    Reason,
    Standing,
    StandingAction,
    next_standing,
    reason_label,
    reason_text_required,
    reinstate_action,
    target_action,
)
from .models import Merchant, MerchantCategory, StandingChange, StandingRestriction

A = StandingAction
Evidence = dict[str, Any] | None


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.QMS_BUSINESS_TIME_ZONE)


def business_today() -> dt.date:
    return timezone.localdate(timezone=_tz())


def end_of_business_day(day: dt.date) -> dt.datetime:
    """Midnight after ``day`` in the business time zone: a deadline "by ``day``" is due then."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=_tz())


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _lock(actor: Any, merchant_id: int, perm: str = "merchants.change_standing") -> Merchant:
    if actor is not None:
        ensure_can(actor, perm)
    merchant = Merchant.objects.select_for_update().filter(pk=merchant_id).first()
    if merchant is None:
        raise NotFound("No such merchant.", code="merchant_not_found")
    return merchant


def _reason(actor: Any, code: str, text: str, action: StandingAction) -> Reason:
    try:
        reason = Reason(code)
    except ValueError:
        raise ValidationFailed(
            f"Unknown reason code {code!r}.",
            code="unknown_reason_code",
            allowed=[r.value for r in Reason],
        ) from None
    needs_text = reason_text_required(reason=reason, action=action)
    if actor is not None and needs_text and not text.strip():
        raise ValidationFailed("Explain the decision in the text.", code="reason_text_required")
    return reason


def _in_force(merchant_id: int) -> bool:
    return StandingRestriction.objects.filter(
        merchant_id=merchant_id, lifted_at__isnull=True
    ).exists()


def _after_restrictions(current: str, *, in_force: bool) -> str:
    if current == Standing.ACTIVE and in_force:
        return next_standing(current, A.RESTRICT).value
    if current == Standing.RESTRICTED and not in_force:
        return next_standing(current, A.LIFT).value
    return current


def _sync_category(merchant_id: int, category_id: int) -> MerchantCategory | None:
    """Make the MerchantCategory row show the earliest restriction in force on it, or none."""
    mc = (
        MerchantCategory.objects.select_for_update()
        .filter(merchant_id=merchant_id, category_id=category_id)
        .first()
    )
    if mc is None:
        return None
    first = StandingRestriction.objects.filter(
        merchant_id=merchant_id, category_id=category_id, lifted_at__isnull=True
    ).first()
    if first is None:
        mc.status, mc.restricted_reason_code = "active", ""
        mc.restricted_since, mc.restricted_by_document_type = None, ""
    else:
        mc.status, mc.restricted_reason_code = "restricted", first.reason_code
        mc.restricted_since = first.created_at
        mc.restricted_by_document_type = first.document_type_code
    mc.save(
        update_fields=[
            "status",
            "restricted_reason_code",
            "restricted_since",
            "restricted_by_document_type",
        ]
    )
    return mc


def _record(
    *,
    actor: Any,
    merchant: Merchant,
    action: str,
    new: str,
    reason: Reason,
    reason_text: str,
    category_id: int | None = None,
    evidence: Evidence = None,
) -> StandingChange:
    """Write the new standing (if it moved), the history row, the audit row; notify; publish."""
    old, now = merchant.standing, timezone.now()
    if new != old:
        merchant.standing, merchant.standing_changed_at, merchant.updated_at = new, now, now
        merchant.save(update_fields=["standing", "standing_changed_at", "updated_at"])
    change = StandingChange.objects.create(
        merchant=merchant,
        category_id=category_id,
        action=action,
        from_standing=old,
        to_standing=new,
        reason_code=reason.value,
        reason_text=reason_text,
        actor=_person(actor),
        at=now,
        evidence=evidence or {},
    )
    record_event(
        actor=actor,
        obj=merchant,
        action=f"merchant.{action}",
        reason=reason_text,
        organisation_id=merchant.organisation_id,
        before={"standing": old},
        after={
            "standing": new,
            "reason_code": reason.value,
            "category_id": category_id,
            "change_id": change.pk,
        },
        detail={"evidence": evidence or {}},
    )
    _notify_merchant(merchant, change)
    if category_id is not None:
        status = MerchantCategory.objects.filter(
            merchant_id=merchant.pk, category_id=category_id
        ).values_list("status", flat=True)
        publish(
            "merchants.category_restriction_changed",
            merchant_id=merchant.pk,
            category_id=category_id,
            status=status.first() or "",
            reason_code=reason.value,
        )
    if new != old:
        publish("merchants.standing_changed", merchant_id=merchant.pk, old=old, new=new)
    return change


def _notify_merchant(merchant: Merchant, change: StandingChange) -> None:
    context: dict[str, Any] = {}
    kind = "merchants.standing_changed"
    if change.category_id is not None:
        kind = (
            "merchants.category_restricted"
            if change.action == "restrict_category"
            else "merchants.category_restriction_lifted"
        )
        cat = change.category
        assert cat is not None
        context = {"category_en": cat.name_en, "category_zh": cat.name_zh or cat.name_en}
    new = Standing(change.to_standing)
    context.update(
        {
            "merchant": merchant.legal_name,
            "standing_en": STANDING_LABELS[new][0],
            "standing_zh": STANDING_LABELS[new][1],
            "reason_en": reason_label(change.reason_code, "en"),
            "reason_zh": reason_label(change.reason_code, "zh"),
            "reason_text": change.reason_text,
        }
    )
    notify(
        kind=kind,
        user_ids=user_ids_in_organisation(organisation_id=merchant.organisation_id),
        context=context,
        dedupe_key=f"merchants.standing:{change.pk}",
        link="/portal/",
    )


def _check_restrictable(merchant: Merchant) -> None:
    if merchant.standing not in RESTRICTABLE:
        raise IllegalTransition(state=merchant.standing, action="restrict")


# --- restrictions ------------------------------------------------------------------------


@transaction.atomic
def restrict_category(
    *,
    actor: Any,
    merchant_id: int,
    category_id: int,
    reason_code: str,
    reason_text: str = "",
    document_type_code: str = "",
    evidence: Evidence = None,
) -> StandingRestriction:
    """Restrict one category of the merchant. The same cause twice is a no-op."""
    merchant = _lock(actor, merchant_id)
    reason = _reason(actor, reason_code, reason_text, A.RESTRICT)
    _check_restrictable(merchant)
    if not MerchantCategory.objects.filter(
        merchant_id=merchant.pk, category_id=category_id
    ).exists():
        raise NotFound(
            "The merchant does not sell in this category.", code="merchant_category_not_found"
        )
    existing = StandingRestriction.objects.filter(
        merchant_id=merchant.pk,
        category_id=category_id,
        reason_code=reason.value,
        document_type_code=document_type_code,
        lifted_at__isnull=True,
    ).first()
    if existing is not None:
        return existing
    restriction = StandingRestriction.objects.create(
        merchant=merchant,
        category_id=category_id,
        reason_code=reason.value,
        document_type_code=document_type_code,
        reason_text=reason_text,
        created_by=_person(actor),
    )
    _sync_category(merchant.pk, category_id)
    if document_type_code:
        evidence = {**(evidence or {}), "document_type_code": document_type_code}
    _record(
        actor=actor,
        merchant=merchant,
        action="restrict_category",
        new=_after_restrictions(merchant.standing, in_force=True),
        reason=reason,
        reason_text=reason_text,
        category_id=category_id,
        evidence=evidence,
    )
    return restriction


@transaction.atomic
def restrict_merchant(
    *,
    actor: Any,
    merchant_id: int,
    reason_code: str,
    reason_text: str = "",
    evidence: Evidence = None,
) -> StandingRestriction:
    """Restrict the whole merchant (it may sell nothing). The same cause twice is a no-op."""
    merchant = _lock(actor, merchant_id)
    reason = _reason(actor, reason_code, reason_text, A.RESTRICT)
    _check_restrictable(merchant)
    existing = StandingRestriction.objects.filter(
        merchant_id=merchant.pk,
        category__isnull=True,
        reason_code=reason.value,
        document_type_code="",
        lifted_at__isnull=True,
    ).first()
    if existing is not None:
        return existing
    restriction = StandingRestriction.objects.create(
        merchant=merchant,
        reason_code=reason.value,
        reason_text=reason_text,
        created_by=_person(actor),
    )
    _record(
        actor=actor,
        merchant=merchant,
        action="restrict",
        new=_after_restrictions(merchant.standing, in_force=True),
        reason=reason,
        reason_text=reason_text,
        evidence=evidence,
    )
    return restriction


def _lift(
    *,
    actor: Any,
    merchant: Merchant,
    rows: list[StandingRestriction],
    reason: Reason,
    reason_text: str,
    category_id: int | None,
    evidence: Evidence,
) -> int:
    if not rows:
        return 0
    now = timezone.now()
    for row in rows:
        row.lifted_at, row.lifted_by = now, _person(actor)
        row.lift_reason_code, row.lift_reason_text = reason.value, reason_text
    StandingRestriction.objects.bulk_update(
        rows, ["lifted_at", "lifted_by", "lift_reason_code", "lift_reason_text"]
    )
    for cat_id in sorted({r.category_id for r in rows if r.category_id is not None}):
        _sync_category(merchant.pk, cat_id)
    evidence = {**(evidence or {}), "lifted": sorted(r.reason_code for r in rows)}
    _record(
        actor=actor,
        merchant=merchant,
        action="lift_category" if category_id is not None else "lift",
        new=_after_restrictions(merchant.standing, in_force=_in_force(merchant.pk)),
        reason=reason,
        reason_text=reason_text,
        category_id=category_id,
        evidence=evidence,
    )
    return len(rows)


def _open(merchant_id: int, only: Iterable[str] | None) -> QuerySet[StandingRestriction]:
    qs = StandingRestriction.objects.select_for_update().filter(
        merchant_id=merchant_id, lifted_at__isnull=True
    )
    return qs.filter(reason_code__in=list(only)) if only is not None else qs


@transaction.atomic
def lift_category_restriction(
    *,
    actor: Any,
    merchant_id: int,
    category_id: int,
    reason_code: str,
    reason_text: str = "",
    only_reason_codes: Iterable[str] | None = None,
    evidence: Evidence = None,
) -> int:
    """Lift the restrictions in force on one category (all, or only those with the given
    causes); how many were lifted. Nothing in force is a no-op (0)."""
    merchant = _lock(actor, merchant_id)
    reason = _reason(actor, reason_code, reason_text, A.LIFT)
    rows = list(_open(merchant.pk, only_reason_codes).filter(category_id=category_id))
    return _lift(
        actor=actor,
        merchant=merchant,
        rows=rows,
        reason=reason,
        reason_text=reason_text,
        category_id=category_id,
        evidence=evidence,
    )


@transaction.atomic
def lift_merchant_restriction(
    *,
    actor: Any,
    merchant_id: int,
    reason_code: str,
    reason_text: str = "",
    only_reason_codes: Iterable[str] | None = None,
    include_categories: bool = False,
    evidence: Evidence = None,
) -> int:
    """Lift merchant-wide restrictions (and, with ``include_categories``, every category
    restriction too); how many were lifted."""
    merchant = _lock(actor, merchant_id)
    reason = _reason(actor, reason_code, reason_text, A.LIFT)
    qs = _open(merchant.pk, only_reason_codes)
    rows = list(qs if include_categories else qs.filter(category__isnull=True))
    return _lift(
        actor=actor,
        merchant=merchant,
        rows=rows,
        reason=reason,
        reason_text=reason_text,
        category_id=None,
        evidence=evidence,
    )


# --- suspension, reinstatement, termination ----------------------------------------------


@transaction.atomic
def record_activation(*, merchant_id: int) -> StandingChange | None:
    """History row for pending -> active, which onboarding performs (its audit row names the
    approver). Called from the ``merchants.standing_changed`` subscription; idempotent."""
    merchant = _lock(None, merchant_id)
    if (
        merchant.standing != Standing.ACTIVE
        or StandingChange.objects.filter(merchant=merchant, action="activate").exists()
    ):
        return None
    return StandingChange.objects.create(
        merchant=merchant,
        action="activate",
        from_standing=Standing.PENDING.value,
        to_standing=Standing.ACTIVE.value,
        reason_code=Reason.APPLICATION_APPROVED.value,
        at=merchant.standing_changed_at or timezone.now(),
    )


def _move(
    *,
    actor: Any,
    merchant_id: int,
    action: StandingAction | None,
    reason_code: str,
    reason_text: str,
    evidence: Evidence,
) -> Merchant:
    merchant = _lock(actor, merchant_id)
    if action is None:  # reinstate: where to depends on what is still in force
        action = reinstate_action(restrictions_in_force=_in_force(merchant.pk))
    reason = _reason(actor, reason_code, reason_text, action)
    new = next_standing(merchant.standing, action).value
    _record(
        actor=actor,
        merchant=merchant,
        action=action.value.split("_")[0],
        new=new,
        reason=reason,
        reason_text=reason_text,
        evidence=evidence,
    )
    return merchant


@transaction.atomic
def suspend(
    *, actor: Any, merchant_id: int, reason_code: str, reason_text: str, evidence: Evidence = None
) -> Merchant:
    """active/restricted -> suspended: nothing may be sold until reinstated."""
    return _move(
        actor=actor,
        merchant_id=merchant_id,
        action=A.SUSPEND,
        reason_code=reason_code,
        reason_text=reason_text,
        evidence=evidence,
    )


@transaction.atomic
def reinstate(
    *,
    actor: Any,
    merchant_id: int,
    reason_code: str,
    reason_text: str = "",
    evidence: Evidence = None,
) -> Merchant:
    """suspended -> active, or -> restricted while restrictions are still in force."""
    return _move(
        actor=actor,
        merchant_id=merchant_id,
        action=None,
        reason_code=reason_code,
        reason_text=reason_text,
        evidence=evidence,
    )


@transaction.atomic
def terminate(
    *, actor: Any, merchant_id: int, reason_code: str, reason_text: str, evidence: Evidence = None
) -> Merchant:
    """Any live standing -> terminated, for good (re-verification stops)."""
    return _move(
        actor=actor,
        merchant_id=merchant_id,
        action=A.TERMINATE,
        reason_code=reason_code,
        reason_text=reason_text,
        evidence=evidence,
    )


@transaction.atomic
def change_standing(
    *,
    actor: Any,
    merchant_id: int,
    to: str,
    reason_code: str,
    reason_text: str = "",
    evidence: Evidence = None,
) -> Merchant:
    """Move the merchant to ``to`` (the console form): ``restricted`` adds a merchant-wide
    restriction, ``active`` lifts every restriction (or reinstates a suspended merchant),
    ``suspended``, ``terminated``."""
    merchant = _lock(actor, merchant_id)
    try:
        target = Standing(to)
    except ValueError:
        raise ValidationFailed(f"Unknown standing {to!r}.", code="unknown_standing") from None
    action = target_action(merchant.standing, target, restrictions_in_force=_in_force(merchant.pk))
    kw: dict[str, Any] = {
        "actor": actor,
        "merchant_id": merchant_id,
        "reason_code": reason_code,
        "reason_text": reason_text,
        "evidence": evidence,
    }
    if action is A.RESTRICT:
        restrict_merchant(**kw)
    elif action is A.LIFT:
        lift_merchant_restriction(**kw, include_categories=True)
    elif action is A.SUSPEND:
        suspend(**kw)
    elif action in (A.REINSTATE, A.REINSTATE_RESTRICTED):
        reinstate(**kw)
    elif action is A.TERMINATE:
        terminate(**kw)
    else:  # activation belongs to onboarding (approve_application)
        raise IllegalTransition(state=merchant.standing, action=action.value)
    merchant.refresh_from_db()
    return merchant
