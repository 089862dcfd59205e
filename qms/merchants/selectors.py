"""Reads for merchants, shops, contacts, suppliers and trader data, scoped by actor.

A merchant user sees only its own organisation's merchant; another merchant's is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q, QuerySet

from qms.accounts.permissions import profile
from qms.shared.errors import NotFound
from qms.shared.models import AuditEvent

from .domain.onboarding import Action
from .models import (
    Application,
    ApplicationStatusChange,
    Contact,
    Merchant,
    MerchantSupplier,
    Shop,
    Supplier,
    TraderInfo,
)
from .selectors_onboarding import applications_for

# Other parts of this context add their dashboard numbers here (e.g. agreements unsigned).
DASHBOARD_CONTRIBUTORS: list[Callable[..., dict[str, int]]] = []


def merchants_for(*, actor: Any) -> QuerySet[Merchant]:
    p = profile(actor)
    qs = Merchant.objects.select_related("organisation")
    if p.is_platform and "merchants.view" in p.permissions:
        return qs
    if p.is_merchant and "merchants.view_own" in p.permissions:
        return qs.filter(organisation_id__in=p.merchant_org_ids)
    return qs.none()


def get_merchant(*, actor: Any, merchant_id: int) -> Merchant:
    merchant = merchants_for(actor=actor).filter(pk=merchant_id).first()
    if merchant is None:
        raise NotFound("No such merchant.", code="merchant_not_found")
    return merchant


def merchant_of_user(*, actor: Any) -> Merchant | None:
    """The merchant a merchant user acts for (its first merchant organisation)."""
    p = profile(actor)
    if not p.is_merchant:
        return None
    return merchants_for(actor=actor).order_by("id").first()


def search_merchants(
    *,
    actor: Any,
    q: str = "",
    standing: str = "",
    category: str = "",
    risk: str = "",
    market: str = "",
) -> QuerySet[Merchant]:
    """The console list: ``q`` matches legal names, merchant code or registration number;
    ``category`` is a category code (its subtree included)."""
    qs = merchants_for(actor=actor)
    if q.strip():
        term = q.strip()
        qs = qs.filter(
            Q(legal_name__icontains=term)
            | Q(legal_name_en__icontains=term)
            | Q(code__iexact=term)
            | Q(registration_number__iexact=term.upper())
            | Q(organisation__name__icontains=term)
        )
    if standing:
        qs = qs.filter(standing=standing)
    if risk:
        qs = qs.filter(risk_level=risk)
    if market:
        qs = qs.filter(markets__icontains=f'"{market.upper()}"')
    if category:
        qs = qs.filter(
            Q(categories__category__code=category)
            | Q(categories__category__code__startswith=category + "/")
        ).distinct()
    return qs


def shops_for(*, actor: Any, merchant_id: int) -> QuerySet[Shop]:
    return get_merchant(actor=actor, merchant_id=merchant_id).shops.order_by("name", "id")


def get_shop(*, actor: Any, shop_id: int) -> Shop:
    shop = Shop.objects.filter(pk=shop_id, merchant__in=merchants_for(actor=actor)).first()
    if shop is None:
        raise NotFound("No such shop.", code="shop_not_found")
    return shop


def contacts_for(*, actor: Any, merchant_id: int) -> QuerySet[Contact]:
    return get_merchant(actor=actor, merchant_id=merchant_id).contacts.order_by("kind")


def supplier_links_for(*, actor: Any, merchant_id: int) -> QuerySet[MerchantSupplier]:
    merchant = get_merchant(actor=actor, merchant_id=merchant_id)
    return merchant.supplier_links.select_related("supplier").order_by("-since", "-id")


def suppliers_for(*, actor: Any) -> QuerySet[Supplier]:
    """All suppliers for staff; for a merchant, those linked to it."""
    p = profile(actor)
    if p.is_platform and "merchants.view" in p.permissions:
        return Supplier.objects.all()
    return Supplier.objects.filter(
        merchant_links__merchant__in=merchants_for(actor=actor)
    ).distinct()


def trader_info_for(*, actor: Any, merchant_id: int) -> TraderInfo:
    merchant = get_merchant(actor=actor, merchant_id=merchant_id)
    info = TraderInfo.objects.filter(merchant=merchant).first()
    if info is None:
        raise NotFound(
            "The merchant has not given trader information.", code="trader_info_not_found"
        )
    return info


def merchant_timeline(*, actor: Any, merchant_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """Application status changes and audit rows of the merchant's organisation, newest first."""
    merchant = get_merchant(actor=actor, merchant_id=merchant_id)
    items: list[dict[str, Any]] = []
    changes = (
        ApplicationStatusChange.objects.filter(application__merchant=merchant)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    for c in changes:
        items.append(
            {
                "at": c.at,
                "kind": "status",
                "actor": str(c.actor) if c.actor else "system",
                "action": c.action,
                "from_state": c.from_state,
                "to_state": c.to_state,
                "reason": c.reason,
                "object": f"A{c.application_id}",
            }
        )
    # the status-change rows already tell the application's moves; skip their audit twins
    moves = [f"application.{a.value}" for a in Action]
    audits = (
        AuditEvent.objects.filter(organisation_id=merchant.organisation_id)
        .exclude(object_type="merchants.application", action__in=moves)
        .order_by("-at", "-id")[:limit]
    )
    for a in audits:
        items.append(
            {
                "at": a.at,
                "kind": "audit",
                "actor": a.actor_label,
                "action": a.action,
                "from_state": "",
                "to_state": "",
                "reason": a.reason,
                "object": f"{a.object_type}#{a.object_id}",
            }
        )
    items.sort(key=lambda i: i["at"], reverse=True)
    return items[:limit]


def dashboard_counts(*, actor: Any) -> dict[str, Any]:
    """Work-queue numbers for the staff dashboard (empty for those who may not review)."""
    p = profile(actor)
    if not (p.is_platform and "merchants.view" in p.permissions):
        return {}
    by_state = dict(
        Application.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    counts: dict[str, Any] = {
        "applications_to_review": by_state.get("submitted", 0) + by_state.get("in_review", 0),
        "awaiting_second_approval": by_state.get("awaiting_second_approval", 0),
        "info_requested": by_state.get("info_requested", 0),
        "applications_by_state": by_state,
    }
    for contributor in DASHBOARD_CONTRIBUTORS:
        counts.update(contributor(actor=actor))
    return counts


__all__ = [
    "DASHBOARD_CONTRIBUTORS",
    "applications_for",
    "contacts_for",
    "dashboard_counts",
    "get_merchant",
    "get_shop",
    "merchant_of_user",
    "merchant_timeline",
    "merchants_for",
    "search_merchants",
    "shops_for",
    "supplier_links_for",
    "suppliers_for",
    "trader_info_for",
]
