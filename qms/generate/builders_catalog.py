"""Brands with authorisation chains (owner -> distributor -> merchant), products and SKUs."""

from __future__ import annotations

import datetime as dt

from qms.accounts.models import Organisation
from qms.catalog.models import Brand, BrandAuthorisation, Product, Sku
from qms.merchants.models import Supplier

from .builders_parties import ORG_FIELDS
from .context import Context
from .domain.codes import make_gtin13
from .domain.names import cn_company
from .domain.products import DEFAULT_VARIANTS, PRODUCTS, VARIANTS, brand_name
from .domain.rand import ri
from .plan import INDUSTRY_OF_TOP, MerchantPlan
from .writer import db_datetime, db_json, db_json_list

BRAND_FIELDS = (
    "id",
    "name",
    "name_zh",
    "owner_name",
    "owner_org_id",
    "trademark_no",
    "trademark_country",
    "status",
    "created_at",
    "updated_at",
)
AUTH_FIELDS = (
    "id",
    "brand_id",
    "parent_id",
    "grantor_org_id",
    "grantor_name",
    "grantee_org_id",
    "markets",
    "valid_from",
    "valid_to",
    "status",
    "revoked_at",
    "revoked_reason",
    "created_at",
)
_VARIANT_JSON: dict[str, str] = {}


def _variant_json(variant: str) -> str:
    text = _VARIANT_JSON.get(variant)
    if text is None:
        text = _VARIANT_JSON[variant] = db_json({"variant": variant})
    return text


GS1_PREFIX = {"CN": "69", "DE": "40", "FR": "30", "IT": "80", "ES": "84", "NL": "87", "PL": "590"}


def _brand(
    ctx: Context,
    plan: MerchantPlan,
    owner_name: str,
    owner_org_id: int | None,
    created_s: str,
    country: str = "",
) -> int:
    """A brand registered in ``country`` (default: where the merchant is)."""
    brand_id = ctx.ids.take("catalog.Brand")
    r = plan.rng
    country = country or ("CN" if plan.eu is None else "EU")
    if country == "CN":  # CNIPA registration number
        trademark = f"{ri(r, 10_000_000, 69_999_999)}"
    elif country == "US":  # USPTO registration number
        trademark = f"{ri(r, 4_000_000, 7_999_999)}"
    else:  # EUIPO trade mark number
        trademark = f"0{ri(r, 10_000_000, 19_999_999)}"
    ctx.sink.table(Brand, BRAND_FIELDS).add(
        (
            brand_id,
            brand_name(brand_id),
            "",
            owner_name[:300],
            owner_org_id,
            trademark,
            country,
            "active",
            created_s,
            created_s,
        )
    )
    plan.brand_ids.append(brand_id)
    plan.trademark_numbers.append(trademark)
    return brand_id


def build_brands(ctx: Context, plan: MerchantPlan) -> None:
    r, ids = plan.rng, ctx.ids
    created = plan.created_at(ctx)
    created_s = db_datetime(created)
    roll = r.random()
    if roll < 0.35:  # sells its own brand
        brand_id = _brand(ctx, plan, plan.legal_name, plan.org_id, created_s)
        plan.brand_links[brand_id] = 0
    elif roll < 0.75:  # resells a brand through a distributor
        industry = INDUSTRY_OF_TOP.get(plan.top, "")
        orgs = ctx.sink.table(Organisation, ORG_FIELDS)
        suppliers = ctx.sink.table(
            Supplier,
            (
                "id",
                "organisation_id",
                "name",
                "kind",
                "country",
                "registration_number",
                "address",
                "certifications",
                "created_at",
            ),
        )
        # A third of resold brands are foreign, owned by a company that is not on the
        # platform (the chain's root names it); the rest belong to a Chinese brand owner.
        foreign = r.random() < 0.3
        owner_org: int | None = None
        if foreign:
            owner_name = r.choice(ctx.pools.en_companies)
        else:
            owner_name, _en, _c = cn_company(r, industry_key=industry)
            owner_org = ids.take("accounts.Organisation")
            orgs.add((owner_org, "supplier", owner_name, created_s, True))
            suppliers.add(
                (
                    ids.take("merchants.Supplier"),
                    owner_org,
                    owner_name,
                    "brand_owner",
                    "CN",
                    "",
                    "",
                    "",
                    created_s,
                )
            )
        dist_name, _en, _c = cn_company(r)
        dist_org = ids.take("accounts.Organisation")
        orgs.add((dist_org, "supplier", dist_name, created_s, True))
        suppliers.add(
            (
                ids.take("merchants.Supplier"),
                dist_org,
                dist_name,
                "distributor",
                "CN",
                "",
                "",
                "",
                created_s,
            )
        )
        brand_id = _brand(ctx, plan, owner_name, owner_org, created_s, "US" if foreign else "")
        start = created.date() - dt.timedelta(days=int(r.random() * 200))
        end_root = start + dt.timedelta(days=365 * (2 + int(r.random() * 3)))
        fate = r.random()
        # Most chains are good; some links end soon, some have lapsed, a few were revoked.
        end_link = (
            min(end_root, ctx.today + dt.timedelta(days=int(r.random() * 500) - 30))
            if fate < 0.9
            else ctx.today - dt.timedelta(days=1 + int(r.random() * 60))
        )
        end_link = max(end_link, start)
        revoked = fate > 0.97
        auths = ctx.sink.table(BrandAuthorisation, AUTH_FIELDS)
        root_id, link_id = (
            ids.take("catalog.BrandAuthorisation"),
            ids.take("catalog.BrandAuthorisation"),
        )
        markets = db_json_list(plan.markets)
        auths.add(
            (
                root_id,
                brand_id,
                None,
                owner_org,
                owner_name if foreign else "",
                dist_org,
                markets,
                start.isoformat(),
                end_root.isoformat(),
                "active",
                None,
                "",
                created_s,
            )
        )
        auths.add(
            (
                link_id,
                brand_id,
                root_id,
                dist_org,
                "",
                plan.org_id,
                markets,
                start.isoformat(),
                end_link.isoformat(),
                "revoked" if revoked else "active",
                created_s if revoked else None,
                "Distribution contract terminated" if revoked else "",
                created_s,
            )
        )
        plan.brand_links[brand_id] = link_id
    _products(ctx, plan, created_s)


def _products(ctx: Context, plan: MerchantPlan, created_s: str) -> None:
    if not plan.categories:
        return
    r, ids = plan.rng, ctx.ids
    products = ctx.sink.table(
        Product,
        (
            "id",
            "merchant_org_id",
            "supplier_org_id",
            "category_id",
            "brand_id",
            "name",
            "name_en",
            "description",
            "markets",
            "created_at",
            "updated_at",
        ),
    )
    skus = ctx.sink.table(
        Sku,
        (
            "id",
            "product_id",
            "merchant_org_id",
            "sku_code",
            "gtin",
            "gtin14",
            "name",
            "attributes",
            "is_active",
            "created_at",
            "updated_at",
        ),
    )
    vocab = PRODUCTS.get(plan.top) or PRODUCTS[""]
    variants = VARIANTS.get(plan.top, DEFAULT_VARIANTS)
    prefix = GS1_PREFIX[plan.country] + str(plan.merchant_id % 100_000).zfill(5)
    markets = db_json_list(plan.markets)
    item = 0
    for n in range(2 + int(r.random() * 4)):
        product_id = ids.take("catalog.Product")
        zh, en = vocab[(n + plan.index) % len(vocab)]
        category = plan.categories[n % len(plan.categories)]
        brand_id = plan.brand_ids[0] if plan.brand_ids and r.random() < 0.8 else None
        brand = f"{brand_name(brand_id)} " if brand_id else ""
        supplier = (
            plan.supplier_org_ids[n % len(plan.supplier_org_ids)] if plan.supplier_org_ids else None
        )
        products.add(
            (
                product_id,
                plan.org_id,
                supplier,
                category.id,
                brand_id,
                f"{brand}{zh}",
                f"{brand}{en}",
                "",
                markets,
                created_s,
                created_s,
            )
        )
        for v in range(1 + int(r.random() * min(3, len(variants)))):
            item += 1
            gtin = make_gtin13(prefix=prefix, item=item)
            skus.add(
                (
                    ids.take("catalog.Sku"),
                    product_id,
                    plan.org_id,
                    f"M{plan.merchant_id}-{n + 1:02d}-{v + 1}",
                    gtin,
                    "0" + gtin,
                    variants[v],
                    _variant_json(variants[v]),
                    True,
                    created_s,
                    created_s,
                )
            )
