"""Helpers shared by the catalog services."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from qms.accounts.permissions import ActorProfile, ensure_can, profile

from ..domain.constants import DOCUMENT_TYPE_CODES, MARKETS, RISK_LEVELS
from ..errors import ErrorCode, invalid, not_found
from ..models import Product


def now() -> Any:
    return timezone.now()


def ensure_manage(actor: Any) -> ActorProfile:
    """Platform data (categories, brands, authorisations) needs ``catalog.manage``."""
    return ensure_can(actor, "catalog.manage")


def ensure_product_write(actor: Any, merchant_org_id: int) -> ActorProfile:
    """Platform managers may write any merchant's products; a merchant only its own."""
    p = profile(actor)
    if "catalog.manage" in p.permissions:
        return p
    return ensure_can(actor, "catalog.edit_own", merchant_org_id=merchant_org_id)


def clean_markets(markets: Iterable[str], *, required: bool = True) -> list[str]:
    out: list[str] = []
    for raw in markets:
        market = str(raw).strip().upper()
        if market not in MARKETS:
            raise invalid(
                ErrorCode.MARKET_INVALID,
                f"Unknown market {raw!r}; use one of {', '.join(MARKETS)}.",
                market=str(raw),
            )
        if market not in out:
            out.append(market)
    if required and not out:
        raise invalid(ErrorCode.MARKET_INVALID, "Name at least one market.")
    return sorted(out)


def clean_market(market: str) -> str:
    return clean_markets([market])[0]


def clean_risk(risk_level: str) -> str:
    if risk_level not in RISK_LEVELS:
        raise invalid(
            ErrorCode.RISK_LEVEL_INVALID,
            f"Risk level must be one of {', '.join(RISK_LEVELS)}.",
            risk_level=risk_level,
        )
    return risk_level


def clean_document_type(code: str) -> str:
    if code not in DOCUMENT_TYPE_CODES:
        raise invalid(
            ErrorCode.DOCUMENT_TYPE_INVALID,
            f"Unknown document type {code!r}.",
            document_type_code=code,
        )
    return code


def clean_deposit(amount: Any) -> Decimal:
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise invalid(ErrorCode.DEPOSIT_INVALID, "The deposit must be an amount.") from None
    if value < 0 or value >= Decimal("1e12"):
        raise invalid(ErrorCode.DEPOSIT_INVALID, "The deposit must be zero or more.")
    return value


def clean_name(value: str, label: str = "name") -> str:
    value = (value or "").strip()
    if not value:
        raise invalid(ErrorCode.NAME_REQUIRED, f"A {label} is required.", field=label)
    return value


def organisation(org_id: int | None, *, kind: str | None = None) -> Any:
    """The ``accounts.Organisation`` with this id (through our own foreign key, so catalog
    does not reach into accounts' models), or None for None. ``kind`` checks its kind
    (``organisation_not_merchant`` / ``organisation_not_supplier``)."""
    if org_id is None:
        return None
    model = Product._meta.get_field("merchant_org").related_model
    org = model._default_manager.filter(pk=org_id).first()
    if org is None:
        raise not_found(ErrorCode.ORGANISATION_NOT_FOUND, "Organisation", organisation_id=org_id)
    if kind is not None and getattr(org, "kind", None) != kind:
        raise invalid(
            f"organisation_not_{kind}",
            f"Organisation #{org_id} is not a {kind}.",
            organisation_id=org_id,
        )
    return org
