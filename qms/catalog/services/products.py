"""Writes to products and SKUs. A merchant writes only its own; ``catalog.manage`` any."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from qms.shared.audit import record_event, snapshot

from ..domain.constants import BrandStatus
from ..domain.gtin import validate_gtin
from ..errors import ErrorCode, conflict, invalid, not_found
from ..models import Brand, Category, Product, Sku
from ..selectors.products import products_visible_to, skus_visible_to
from ._common import clean_markets, clean_name, ensure_product_write, now, organisation

PRODUCT_FIELDS = [
    "merchant_org",
    "supplier_org",
    "category",
    "brand",
    "name",
    "name_en",
    "description",
    "markets",
]
SKU_FIELDS = ["product", "sku_code", "gtin", "name", "attributes", "is_active"]
PRODUCT_EDITABLE = {
    "supplier_org_id",
    "category_id",
    "brand_id",
    "name",
    "name_en",
    "description",
    "markets",
}
SKU_EDITABLE = {"sku_code", "gtin", "name", "attributes", "is_active"}


def _category(category_id: int) -> Category:
    category = Category.objects.filter(pk=category_id).first()
    if category is None:
        raise not_found(ErrorCode.CATEGORY_NOT_FOUND, "Category", category_id=category_id)
    if not category.is_active:
        raise invalid(
            ErrorCode.CATEGORY_INACTIVE,
            "This category is closed for new products.",
            category_id=category_id,
        )
    return category


def _brand(brand_id: int | None) -> Brand | None:
    if brand_id is None:
        return None
    brand = Brand.objects.filter(pk=brand_id).first()
    if brand is None:
        raise not_found(ErrorCode.BRAND_NOT_FOUND, "Brand", brand_id=brand_id)
    if brand.status != BrandStatus.ACTIVE.value:
        raise invalid(ErrorCode.BRAND_SUSPENDED, "This brand is suspended.", brand_id=brand_id)
    return brand


def clean_gtin(raw: str) -> tuple[str, str | None]:
    """``(gtin as entered without blanks, gtin14)``; ``("", None)`` for no GTIN.
    Raises ``ValidationFailed`` with code ``invalid_gtin``."""
    if not (raw or "").strip():
        return "", None
    check = validate_gtin(raw)
    if not check.ok:
        raise invalid(ErrorCode.INVALID_GTIN, f"Invalid GTIN: {check.reason}", gtin=check.value)
    return check.value, check.gtin14


def _lock_product(actor: Any, product_id: int) -> Product:
    product = (
        products_visible_to(actor=actor)
        .select_for_update(of=("self",))
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise not_found(ErrorCode.PRODUCT_NOT_FOUND, "Product", product_id=product_id)
    ensure_product_write(actor, product.merchant_org_id)
    return product


@transaction.atomic
def create_product(
    *,
    actor: Any,
    merchant_org_id: int,
    category_id: int,
    name: str,
    markets: list[str],
    name_en: str = "",
    description: str = "",
    brand_id: int | None = None,
    supplier_org_id: int | None = None,
) -> Product:
    ensure_product_write(actor, merchant_org_id)
    merchant = organisation(merchant_org_id, kind="merchant")
    product = Product.objects.create(
        merchant_org=merchant,
        supplier_org=organisation(supplier_org_id, kind="supplier"),
        category=_category(category_id),
        brand=_brand(brand_id),
        name=clean_name(name, "product name"),
        name_en=name_en.strip(),
        description=description.strip(),
        markets=clean_markets(markets),
    )
    record_event(
        actor=actor,
        obj=product,
        action="catalog.product.create",
        after=snapshot(product, PRODUCT_FIELDS),
        organisation_id=merchant.pk,
    )
    return product


@transaction.atomic
def update_product(*, actor: Any, product_id: int, **changes: Any) -> Product:
    """Change any of supplier_org_id, category_id, brand_id, name, name_en, description,
    markets. The owning merchant does not change."""
    if set(changes) - PRODUCT_EDITABLE:
        raise invalid(
            ErrorCode.FIELD_NOT_EDITABLE,
            "These fields cannot be changed: " + ", ".join(sorted(set(changes) - PRODUCT_EDITABLE)),
        )
    product = _lock_product(actor, product_id)
    fields = sorted(f.removesuffix("_id") for f in changes)
    before = snapshot(product, fields)
    cleaners = {
        "supplier_org_id": lambda v: organisation(v, kind="supplier") and v,
        "category_id": lambda v: _category(v).pk,
        "brand_id": lambda v: _brand(v) and v,
        "name": lambda v: clean_name(v, "product name"),
        "name_en": lambda v: (v or "").strip(),
        "description": lambda v: (v or "").strip(),
        "markets": clean_markets,
    }
    for key, value in changes.items():
        setattr(product, key, cleaners[key](value))
    product.updated_at = now()
    product.save(update_fields=[*changes, "updated_at"])
    record_event(
        actor=actor,
        obj=product,
        action="catalog.product.update",
        before=before,
        after=snapshot(product, fields),
        organisation_id=product.merchant_org_id,
    )
    return product


@transaction.atomic
def delete_product(*, actor: Any, product_id: int) -> None:
    """Delete a product and its SKUs; refused (``product_in_use``) when others refer to it."""
    product = _lock_product(actor, product_id)
    before = snapshot(product, PRODUCT_FIELDS)
    before["sku_codes"] = list(product.skus.values_list("sku_code", flat=True))
    record_event(
        actor=actor,
        obj=product,
        action="catalog.product.delete",
        before=before,
        organisation_id=product.merchant_org_id,
    )
    try:
        with transaction.atomic():
            product.delete()
    except ProtectedError:
        raise conflict(ErrorCode.PRODUCT_IN_USE, "Other records refer to this product.") from None


def _save_sku(sku: Sku, fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():
            if fields is None:
                sku.save(force_insert=True)
            else:
                sku.save(update_fields=fields)
    except IntegrityError:
        if (
            sku.gtin14
            and Sku.objects.filter(merchant_org_id=sku.merchant_org_id, gtin14=sku.gtin14)
            .exclude(pk=sku.pk)
            .exists()
        ):
            raise conflict(
                ErrorCode.GTIN_TAKEN, "Another of your SKUs has this GTIN.", gtin=sku.gtin
            ) from None
        raise conflict(
            ErrorCode.SKU_CODE_TAKEN, "Another of your SKUs has this code.", sku_code=sku.sku_code
        ) from None


@transaction.atomic
def create_sku(
    *,
    actor: Any,
    product_id: int,
    sku_code: str,
    gtin: str = "",
    name: str = "",
    attributes: dict[str, str] | None = None,
) -> Sku:
    """A new SKU. The GTIN (8/12/13/14 digits) must pass its check digit (``invalid_gtin``)
    and be unique among the merchant's SKUs (``gtin_taken``)."""
    product = _lock_product(actor, product_id)
    gtin_value, gtin14 = clean_gtin(gtin)
    sku = Sku(
        product=product,
        merchant_org_id=product.merchant_org_id,
        sku_code=clean_name(sku_code, "SKU code"),
        gtin=gtin_value,
        gtin14=gtin14,
        name=name.strip(),
        attributes=_clean_attributes(attributes),
    )
    _save_sku(sku)
    record_event(
        actor=actor,
        obj=sku,
        action="catalog.sku.create",
        after=snapshot(sku, SKU_FIELDS),
        organisation_id=product.merchant_org_id,
    )
    return sku


def _clean_attributes(attributes: dict[str, Any] | None) -> dict[str, str]:
    if attributes is None:
        return {}
    if not isinstance(attributes, dict):
        raise invalid(ErrorCode.FIELD_NOT_EDITABLE, "Attributes are key/value pairs.")
    return {str(k).strip(): str(v) for k, v in attributes.items() if str(k).strip()}


@transaction.atomic
def update_sku(*, actor: Any, sku_id: int, **changes: Any) -> Sku:
    """Change any of sku_code, gtin, name, attributes, is_active."""
    if set(changes) - SKU_EDITABLE:
        raise invalid(
            ErrorCode.FIELD_NOT_EDITABLE,
            "These fields cannot be changed: " + ", ".join(sorted(set(changes) - SKU_EDITABLE)),
        )
    sku = skus_visible_to(actor=actor).select_for_update(of=("self",)).filter(pk=sku_id).first()
    if sku is None:
        raise not_found(ErrorCode.SKU_NOT_FOUND, "SKU", sku_id=sku_id)
    ensure_product_write(actor, sku.merchant_org_id)
    before = snapshot(sku, sorted(changes))
    update = set(changes)
    for key, value in changes.items():
        if key == "gtin":
            sku.gtin, sku.gtin14 = clean_gtin(value)
            update.add("gtin14")
        elif key == "sku_code":
            sku.sku_code = clean_name(value, "SKU code")
        elif key == "attributes":
            sku.attributes = _clean_attributes(value)
        elif key == "name":
            sku.name = (value or "").strip()
        else:
            sku.is_active = bool(value)
    sku.updated_at = now()
    _save_sku(sku, [*sorted(update), "updated_at"])
    record_event(
        actor=actor,
        obj=sku,
        action="catalog.sku.update",
        before=before,
        after=snapshot(sku, sorted(changes)),
        organisation_id=sku.merchant_org_id,
    )
    return sku


@transaction.atomic
def delete_sku(*, actor: Any, sku_id: int) -> None:
    sku = skus_visible_to(actor=actor).select_for_update(of=("self",)).filter(pk=sku_id).first()
    if sku is None:
        raise not_found(ErrorCode.SKU_NOT_FOUND, "SKU", sku_id=sku_id)
    ensure_product_write(actor, sku.merchant_org_id)
    record_event(
        actor=actor,
        obj=sku,
        action="catalog.sku.delete",
        before=snapshot(sku, SKU_FIELDS),
        organisation_id=sku.merchant_org_id,
    )
    try:
        with transaction.atomic():
            sku.delete()
    except ProtectedError:
        raise conflict(ErrorCode.PRODUCT_IN_USE, "Other records refer to this SKU.") from None
