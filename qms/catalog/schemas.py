"""API schemas of the catalog: ``XIn`` for bodies, ``XOut`` for responses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema


class RequirementOut(Schema):
    market: str
    document_type_code: str
    mandatory: bool
    note: str = ""
    category_code: str = ""  # where it is stated (the category itself or an ancestor)


class CategoryOut(Schema):
    id: int
    code: str
    parent_id: int | None
    name_en: str
    name_zh: str
    risk_level: str
    deposit_amount: Decimal
    currency: str
    is_active: bool
    sort_order: int


class CategoryDetailOut(CategoryOut):
    parent_code: str | None = None
    own_requirements: list[RequirementOut]
    requirements: dict[str, list[RequirementOut]]  # market -> effective requirements


class CategoryTreeOut(CategoryOut):
    children: list[CategoryTreeOut] = []
    requirements: dict[str, list[RequirementOut]] = {}


class CategoryIn(Schema):
    code: str
    name_en: str
    name_zh: str
    risk_level: str
    deposit_amount: Decimal | None = None
    currency: str = "CNY"
    sort_order: int = 0
    is_active: bool = True


class CategoryPatchIn(Schema):
    name_en: str | None = None
    name_zh: str | None = None
    risk_level: str | None = None
    deposit_amount: Decimal | None = None
    currency: str | None = None
    sort_order: int | None = None
    is_active: bool | None = None


class RequirementIn(Schema):
    market: str
    document_type_code: str
    mandatory: bool = True
    note: str = ""


class RequirementRowOut(RequirementOut):
    id: int
    category_id: int


class RequiredDocumentsOut(Schema):
    category_id: int
    market: str
    document_type_codes: list[str]


class BrandOut(Schema):
    id: int
    name: str
    name_zh: str
    owner_name: str
    owner_org_id: int | None
    trademark_no: str
    trademark_country: str
    status: str


class BrandIn(Schema):
    name: str
    owner_name: str
    name_zh: str = ""
    trademark_no: str = ""
    trademark_country: str = ""
    owner_org_id: int | None = None


class BrandPatchIn(Schema):
    name: str | None = None
    name_zh: str | None = None
    owner_name: str | None = None
    owner_org_id: int | None = None
    trademark_no: str | None = None
    trademark_country: str | None = None


class ReasonIn(Schema):
    reason: str


class AuthorisationOut(Schema):
    id: int
    brand_id: int
    parent_id: int | None
    grantor_org_id: int | None
    grantor_name: str
    grantee_org_id: int
    markets: list[str]
    valid_from: dt.date
    valid_to: dt.date | None
    document_id: int | None
    status: str
    revoked_at: dt.datetime | None
    revoked_reason: str


class AuthorisationIn(Schema):
    brand_id: int
    grantee_org_id: int
    markets: list[str]
    valid_from: dt.date
    valid_to: dt.date | None = None
    parent_id: int | None = None
    grantor_org_id: int | None = None
    grantor_name: str = ""
    document_id: int | None = None


class ChainLinkOut(Schema):
    authorisation: AuthorisationOut
    valid: bool
    failure: str | None


class ChainOut(Schema):
    valid: bool
    links: list[ChainLinkOut]


class AuthorisationCheckOut(Schema):
    ok: bool
    organisation_id: int
    brand_id: int
    market: str
    on: dt.date
    failure: str | None = None
    message: str = ""
    failing_link_id: int | None = None
    chain: list[AuthorisationOut] = []


class ProductOut(Schema):
    id: int
    merchant_org_id: int
    supplier_org_id: int | None
    category_id: int
    category_code: str
    brand_id: int | None
    name: str
    name_en: str
    description: str
    markets: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_category_code(obj: Any) -> str:
        return obj.category.code


class ProductIn(Schema):
    category_id: int
    name: str
    markets: list[str]
    merchant_org_id: int | None = None
    name_en: str = ""
    description: str = ""
    brand_id: int | None = None
    supplier_org_id: int | None = None


class ProductPatchIn(Schema):
    category_id: int | None = None
    name: str | None = None
    markets: list[str] | None = None
    name_en: str | None = None
    description: str | None = None
    brand_id: int | None = None
    supplier_org_id: int | None = None


class SkuOut(Schema):
    id: int
    product_id: int
    merchant_org_id: int
    sku_code: str
    gtin: str
    gtin14: str | None
    name: str
    attributes: dict[str, Any]
    is_active: bool
    created_at: dt.datetime


class SkuIn(Schema):
    sku_code: str
    gtin: str = ""
    name: str = ""
    attributes: dict[str, str] = {}


class SkuPatchIn(Schema):
    sku_code: str | None = None
    gtin: str | None = None
    name: str | None = None
    attributes: dict[str, str] | None = None
    is_active: bool | None = None


CategoryTreeOut.model_rebuild()
