"""Reading products and SKUs: a merchant sees only its own; platform readers see all."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from qms.accounts.permissions import ensure_can

from ..domain.constants import CATEGORY_CODE_SEPARATOR
from ..errors import ErrorCode, not_found
from ..models import Product, Sku


def products_visible_to(*, actor: Any) -> QuerySet[Product]:
    p = ensure_can(actor, "catalog.view")
    qs = Product.objects.select_related("category", "brand", "merchant_org", "supplier_org")
    if p.is_platform:
        return qs
    return qs.filter(merchant_org_id__in=p.merchant_org_ids)


def list_products(
    *,
    actor: Any,
    q: str = "",
    category_code: str = "",
    brand_id: int | None = None,
    merchant_org_id: int | None = None,
    market: str = "",
) -> QuerySet[Product]:
    """Visible products, filtered. ``category_code`` includes sub-categories."""
    qs = products_visible_to(actor=actor).annotate(sku_count=Count("skus"))
    if q:
        sku_match = Q(sku_code__iexact=q) | Q(gtin=q)
        if q.isdigit() and len(q) <= 14:  # a GTIN in any of its lengths
            sku_match |= Q(gtin14=q.zfill(14))
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(name_en__icontains=q)
            | Q(pk__in=Sku.objects.filter(sku_match).values("product_id"))
        )
    if category_code:
        qs = qs.filter(
            Q(category__code=category_code)
            | Q(category__code__startswith=category_code + CATEGORY_CODE_SEPARATOR)
        )
    if brand_id is not None:
        qs = qs.filter(brand_id=brand_id)
    if merchant_org_id is not None:
        qs = qs.filter(merchant_org_id=merchant_org_id)
    if market:  # markets is a JSON list of codes; text match works on every database
        qs = qs.filter(markets__icontains=f'"{market}"')
    return qs


def get_product(*, actor: Any, product_id: int) -> Product:
    try:
        return products_visible_to(actor=actor).get(pk=product_id)
    except Product.DoesNotExist:
        raise not_found(ErrorCode.PRODUCT_NOT_FOUND, "Product", product_id=product_id) from None


def skus_visible_to(*, actor: Any) -> QuerySet[Sku]:
    p = ensure_can(actor, "catalog.view")
    qs = Sku.objects.select_related("product")
    if p.is_platform:
        return qs
    return qs.filter(merchant_org_id__in=p.merchant_org_ids)


def skus_of_product(*, actor: Any, product_id: int) -> QuerySet[Sku]:
    product = get_product(actor=actor, product_id=product_id)
    return Sku.objects.filter(product_id=product.pk)


def get_sku(*, actor: Any, sku_id: int) -> Sku:
    try:
        return skus_visible_to(actor=actor).get(pk=sku_id)
    except Sku.DoesNotExist:
        raise not_found(ErrorCode.SKU_NOT_FOUND, "SKU", sku_id=sku_id) from None


def sku_by_gtin(*, merchant_org_id: int, gtin14: str) -> Sku | None:
    """The merchant's SKU with this GTIN (normalised to 14 digits), if any."""
    return Sku.objects.filter(merchant_org_id=merchant_org_id, gtin14=gtin14).first()


def product_counts_by_category(*, merchant_org_id: int) -> dict[int, int]:
    rows = (
        Product.objects.filter(merchant_org_id=merchant_org_id)
        .values("category_id")
        .annotate(n=Count("id"))
    )
    return {r["category_id"]: r["n"] for r in rows}
