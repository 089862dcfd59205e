"""Console pages of the catalog: category tree, category detail, brands with their
authorisation chains, products with SKUs. Views call selectors and services only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.accounts.permissions import ensure_can, has_perm
from qms.shared.errors import DomainError
from qms.shared.pagination import page_for_view

from . import selectors, services
from .domain.constants import MARKETS, RISK_LEVELS, BrandStatus
from .forms import ReasonForm, RequirementForm


def _page(request: HttpRequest, qs: Any, order: tuple[str, str]) -> tuple[list[Any], str | None]:
    return page_for_view(qs, cursor=request.GET.get("cursor"), order=order)


def _flatten(nodes: list[selectors.CategoryNode], depth: int = 0) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for node in nodes:
        rows.append(
            {
                "category": node.category,
                "depth": depth,
                "children": len(node.children),
                "cn": node.requirements.get("CN", []),
                "eu": node.requirements.get("EU", []),
            }
        )
        rows.extend(_flatten(node.children, depth + 1))
    return rows


@login_required
def category_list(request: HttpRequest) -> HttpResponse:
    """The category tree with risk badges, deposits and the documents required per market."""
    include_inactive = request.GET.get("inactive") == "1"
    rows = _flatten(
        selectors.category_tree(
            actor=request.user, include_inactive=include_inactive, with_requirements=True
        )
    )
    q = request.GET.get("q", "").strip().lower()
    risk = request.GET.get("risk", "")
    if q:
        rows = [
            r
            for r in rows
            if q in r["category"].code
            or q in r["category"].name_en.lower()
            or q in r["category"].name_zh
        ]
    if risk in RISK_LEVELS:
        rows = [r for r in rows if r["category"].risk_level == risk]
    baseline = _baseline(rows)
    for row in rows:  # the tree shows what a category adds to the baseline, mandatory only
        for market in ("cn", "eu"):
            row[market] = [
                r
                for r in row[market]
                if r.mandatory and r.document_type_code not in baseline[market]
            ]
    return render(
        request,
        "catalog/category_list.html",
        {
            "baseline": baseline,
            "rows": rows,
            "q": request.GET.get("q", ""),
            "risk": risk,
            "risk_levels": RISK_LEVELS,
            "include_inactive": include_inactive,
            "filtered": bool(q or risk in RISK_LEVELS),
        },
    )


def _baseline(rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Mandatory documents that every listed category requires, per market."""
    out: dict[str, list[str]] = {}
    for market in ("cn", "eu"):
        sets = [{r.document_type_code for r in row[market] if r.mandatory} for row in rows]
        out[market] = sorted(set.intersection(*sets)) if sets else []
    return out


def _category_context(request: HttpRequest, category_id: int, **extra: Any) -> dict[str, Any]:
    category = selectors.get_category(actor=request.user, category_id=category_id)
    by_market: dict[str, list[Any]] = {m: [] for m in MARKETS}
    for req in selectors.effective_requirements_of(category_id=category.pk):
        by_market.setdefault(req.market, []).append(req)
    return {
        "category": category,
        "requirements": by_market,
        "own_requirements": list(category.requirements.all()),
        "children": list(category.children.order_by("sort_order", "code")),
        "ancestors": [selectors.category_by_code(c) for c in _ancestor_codes(category.code)],
        "can_manage": has_perm(request.user, "catalog.manage"),
        "form": extra.pop("form", RequirementForm()),
        **extra,
    }


def _ancestor_codes(code: str) -> list[str]:
    parts = code.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


@login_required
def category_detail(request: HttpRequest, category_id: int) -> HttpResponse:
    return render(request, "catalog/category_detail.html", _category_context(request, category_id))


@login_required
@require_POST
def set_requirement(request: HttpRequest, category_id: int) -> HttpResponse:
    form = RequirementForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.set_category_requirement(
                actor=request.user, category_id=category_id, **form.cleaned_data
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Requirement saved."))
            return redirect("catalog:category_detail", category_id=category_id)
    ctx = _category_context(request, category_id, form=form, error=error)
    return render(request, "catalog/category_detail.html", ctx, status=422)


@login_required
@require_POST
def remove_requirement(request: HttpRequest, category_id: int, requirement_id: int) -> HttpResponse:
    try:
        services.remove_category_requirement(actor=request.user, requirement_id=requirement_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Requirement removed."))
    return redirect("catalog:category_detail", category_id=category_id)


@login_required
def brand_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    status = request.GET.get("status", "")
    status = status if status in {s.value for s in BrandStatus} else ""
    items, next_cursor = _page(
        request, selectors.list_brands(actor=request.user, q=q, status=status), ("name", "id")
    )
    return render(
        request,
        "catalog/brand_list.html",
        {
            "brands": items,
            "next_cursor": next_cursor,
            "q": q,
            "status": status,
            "statuses": [s.value for s in BrandStatus],
        },
    )


def _parse_day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def brand_detail(request: HttpRequest, brand_id: int) -> HttpResponse:
    """A brand and its authorisation chains (owner first), each link's validity on a day."""
    brand = selectors.get_brand(actor=request.user, brand_id=brand_id)
    day = _parse_day(request.GET.get("on", "")) or selectors.business_today()
    market = request.GET.get("market", "")
    market = market if market in MARKETS else ""
    chains = selectors.brand_chains(
        actor=request.user, brand_id=brand.pk, on=day, market=market or None
    )
    return render(
        request,
        "catalog/brand_detail.html",
        {
            "brand": brand,
            "chains": chains,
            "on": day,
            "market": market,
            "markets": MARKETS,
            "can_manage": has_perm(request.user, "catalog.manage"),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def revoke_authorisation(
    request: HttpRequest, brand_id: int, authorisation_id: int
) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the revocation."))
    else:
        try:
            services.revoke_brand_authorisation(
                actor=request.user,
                authorisation_id=authorisation_id,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Authorisation revoked."))
    return redirect("catalog:brand_detail", brand_id=brand_id)


@login_required
def product_list(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "catalog.view")
    q = request.GET.get("q", "").strip()
    category = request.GET.get("category", "").strip()
    market = request.GET.get("market", "")
    market = market if market in MARKETS else ""
    try:
        brand_id = int(request.GET["brand"]) if request.GET.get("brand") else None
    except ValueError:
        brand_id = None
    qs = selectors.list_products(
        actor=request.user, q=q, category_code=category, brand_id=brand_id, market=market
    )
    items, next_cursor = _page(request, qs, ("-created_at", "-id"))
    return render(
        request,
        "catalog/product_list.html",
        {
            "products": items,
            "next_cursor": next_cursor,
            "q": q,
            "category": category,
            "market": market,
            "markets": MARKETS,
            "brand_id": brand_id,
            "categories": selectors.active_categories(),
        },
    )


@login_required
def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    product = selectors.get_product(actor=request.user, product_id=product_id)
    skus = list(
        selectors.skus_of_product(actor=request.user, product_id=product.pk).order_by("sku_code")
    )
    authorised = None
    if product.brand_id:
        authorised = {
            m: selectors.is_authorised(
                organisation_id=product.merchant_org_id, brand_id=product.brand_id, market=m
            )
            for m in product.markets
        }
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "skus": skus,
            "authorised": authorised,
            "required": {
                m: selectors.required_document_codes(category_id=product.category_id, market=m)
                for m in product.markets
            },
        },
    )
