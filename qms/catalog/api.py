"""``/api/v1/catalog``: categories, requirements, brands, authorisation chains, products, SKUs.

Parse, call a service or selector, shape. Everybody logged in reads categories and brands;
platform data is written with ``catalog.manage``; merchants write their own products/SKUs.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from qms.accounts.permissions import profile
from qms.shared.errors import ValidationFailed
from qms.shared.pagination import Page, paginate
from qms.shared.requests import request_actor as _actor

from . import selectors, services
from .api_brands import brands_router
from .schemas import (
    CategoryDetailOut,
    CategoryIn,
    CategoryOut,
    CategoryPatchIn,
    CategoryTreeOut,
    ProductIn,
    ProductOut,
    ProductPatchIn,
    RequiredDocumentsOut,
    RequirementIn,
    RequirementRowOut,
    SkuIn,
    SkuOut,
    SkuPatchIn,
)
from .services._common import clean_market

router = Router(tags=["catalog"])


def _req(r: Any) -> dict[str, Any]:
    return {
        "market": r.market,
        "document_type_code": r.document_type_code,
        "mandatory": r.mandatory,
        "note": r.note,
        "category_code": r.category_code,
    }


def _tree(node: selectors.CategoryNode) -> dict[str, Any]:
    out = CategoryOut.from_orm(node.category).dict()
    out["children"] = [_tree(child) for child in node.children]
    out["requirements"] = {m: [_req(r) for r in reqs] for m, reqs in node.requirements.items()}
    return out


def _category_detail(category: Any) -> dict[str, Any]:
    out = CategoryOut.from_orm(category).dict()
    out["parent_code"] = category.parent.code if category.parent_id else None
    out["own_requirements"] = [
        {
            "market": r.market,
            "document_type_code": r.document_type_code,
            "mandatory": r.mandatory,
            "note": r.note,
            "category_code": category.code,
        }
        for r in category.requirements.all()
    ]
    by_market: dict[str, list[dict[str, Any]]] = {}
    for r in selectors.effective_requirements_of(category_id=category.pk):
        by_market.setdefault(r.market, []).append(_req(r))
    out["requirements"] = by_market
    return out


# ---- categories ----


@router.get("/categories", response=Page[CategoryOut], summary="Categories (flat, by code)")
def list_categories(
    request: HttpRequest,
    q: str = "",
    risk_level: str = "",
    parent_code: str = "",
    include_inactive: bool = False,
    cursor: str | None = None,
    limit: int = 50,
) -> dict:
    qs = selectors.list_categories(
        actor=_actor(request),
        q=q,
        risk_level=risk_level,
        parent_code=parent_code,
        include_inactive=include_inactive,
    )
    items, nxt = paginate(qs, cursor=cursor, limit=limit, order=("code", "id"))
    return {"items": items, "next_cursor": nxt}


@router.get("/categories/tree", response=list[CategoryTreeOut], summary="The category tree")
def category_tree(
    request: HttpRequest, with_requirements: bool = False, include_inactive: bool = False
) -> list:
    roots = selectors.category_tree(
        actor=_actor(request),
        include_inactive=include_inactive,
        with_requirements=with_requirements,
    )
    return [_tree(node) for node in roots]


@router.get("/categories/lookup", response=CategoryDetailOut, summary="A category by code")
def category_by_code(request: HttpRequest, code: str) -> dict:
    return _category_detail(selectors.get_category_by_code(actor=_actor(request), code=code))


@router.get(
    "/categories/{category_id}",
    response=CategoryDetailOut,
    summary="A category with its own and inherited document requirements",
)
def get_category(request: HttpRequest, category_id: int) -> dict:
    return _category_detail(selectors.get_category(actor=_actor(request), category_id=category_id))


@router.get(
    "/categories/{category_id}/required-documents",
    response=RequiredDocumentsOut,
    summary="Mandatory document type codes for a category and market",
)
def required_documents(request: HttpRequest, category_id: int, market: str) -> dict:
    selectors.get_category(actor=_actor(request), category_id=category_id)
    market = clean_market(market)
    return {
        "category_id": category_id,
        "market": market,
        "document_type_codes": selectors.required_document_codes(
            category_id=category_id, market=market
        ),
    }


@router.post("/categories", response={201: CategoryOut}, summary="Create a category")
def create_category(request: HttpRequest, body: CategoryIn) -> Status:
    return Status(201, services.create_category(actor=_actor(request), **body.dict()))


@router.patch("/categories/{category_id}", response=CategoryOut, summary="Change a category")
def update_category(request: HttpRequest, category_id: int, body: CategoryPatchIn) -> Any:
    return services.update_category(
        actor=_actor(request), category_id=category_id, **body.dict(exclude_unset=True)
    )


@router.post(
    "/categories/{category_id}/requirements",
    response=RequirementRowOut,
    summary="State a document requirement (creates or updates)",
)
def set_requirement(request: HttpRequest, category_id: int, body: RequirementIn) -> dict:
    req = services.set_category_requirement(
        actor=_actor(request), category_id=category_id, **body.dict()
    )
    return {
        "id": req.pk,
        "category_id": req.category_id,
        "market": req.market,
        "document_type_code": req.document_type_code,
        "mandatory": req.mandatory,
        "note": req.note,
        "category_code": req.category.code,
    }


@router.delete(
    "/categories/{category_id}/requirements/{requirement_id}",
    response={204: None},
    summary="Remove a document requirement",
)
def remove_requirement(request: HttpRequest, category_id: int, requirement_id: int) -> Status:
    services.remove_category_requirement(actor=_actor(request), requirement_id=requirement_id)
    return Status(204, None)


# ---- products and SKUs ----


def _merchant_org_id(actor: Any, given: int | None) -> int:
    if given is not None:
        return given
    orgs = sorted(profile(actor).merchant_org_ids)
    if len(orgs) != 1:
        raise ValidationFailed(
            "Say which merchant organisation the product belongs to.",
            code="organisation_required",
            field="merchant_org_id",
        )
    return orgs[0]


@router.get("/products", response=Page[ProductOut], summary="Products (own ones for merchants)")
def list_products(
    request: HttpRequest,
    q: str = "",
    category: str = "",
    brand_id: int | None = None,
    merchant_org_id: int | None = None,
    market: str = "",
    cursor: str | None = None,
    limit: int = 50,
) -> dict:
    qs = selectors.list_products(
        actor=_actor(request),
        q=q,
        category_code=category,
        brand_id=brand_id,
        merchant_org_id=merchant_org_id,
        market=market,
    )
    items, nxt = paginate(qs, cursor=cursor, limit=limit, order=("-created_at", "-id"))
    return {"items": items, "next_cursor": nxt}


@router.post("/products", response={201: ProductOut}, summary="Create a product")
def create_product(request: HttpRequest, body: ProductIn) -> Status:
    data = body.dict()
    data["merchant_org_id"] = _merchant_org_id(_actor(request), data["merchant_org_id"])
    return Status(201, services.create_product(actor=_actor(request), **data))


@router.get("/products/{product_id}", response=ProductOut, summary="A product")
def get_product(request: HttpRequest, product_id: int) -> Any:
    return selectors.get_product(actor=_actor(request), product_id=product_id)


@router.patch("/products/{product_id}", response=ProductOut, summary="Change a product")
def update_product(request: HttpRequest, product_id: int, body: ProductPatchIn) -> Any:
    services.update_product(
        actor=_actor(request), product_id=product_id, **body.dict(exclude_unset=True)
    )
    return selectors.get_product(actor=_actor(request), product_id=product_id)


@router.delete("/products/{product_id}", response={204: None}, summary="Delete a product")
def delete_product(request: HttpRequest, product_id: int) -> Status:
    services.delete_product(actor=_actor(request), product_id=product_id)
    return Status(204, None)


@router.get("/products/{product_id}/skus", response=Page[SkuOut], summary="SKUs of a product")
def list_skus(
    request: HttpRequest, product_id: int, cursor: str | None = None, limit: int = 50
) -> dict:
    qs = selectors.skus_of_product(actor=_actor(request), product_id=product_id)
    items, nxt = paginate(qs, cursor=cursor, limit=limit, order=("-created_at", "-id"))
    return {"items": items, "next_cursor": nxt}


@router.post("/products/{product_id}/skus", response={201: SkuOut}, summary="Add a SKU")
def create_sku(request: HttpRequest, product_id: int, body: SkuIn) -> Status:
    return Status(
        201, services.create_sku(actor=_actor(request), product_id=product_id, **body.dict())
    )


@router.get("/skus/{sku_id}", response=SkuOut, summary="A SKU")
def get_sku(request: HttpRequest, sku_id: int) -> Any:
    return selectors.get_sku(actor=_actor(request), sku_id=sku_id)


@router.patch("/skus/{sku_id}", response=SkuOut, summary="Change a SKU")
def update_sku(request: HttpRequest, sku_id: int, body: SkuPatchIn) -> Any:
    return services.update_sku(
        actor=_actor(request), sku_id=sku_id, **body.dict(exclude_unset=True)
    )


@router.delete("/skus/{sku_id}", response={204: None}, summary="Delete a SKU")
def delete_sku(request: HttpRequest, sku_id: int) -> Status:
    services.delete_sku(actor=_actor(request), sku_id=sku_id)
    return Status(204, None)


router.add_router("", brands_router)
