"""Organisations, owner logins, merchants, shops, contacts, EU trader data and suppliers."""

from __future__ import annotations

import datetime as dt
import hashlib

from qms.accounts.models import Membership, Organisation, User
from qms.merchants.models import Contact, Merchant, MerchantSupplier, Shop, Supplier, TraderInfo

from .context import Context
from .domain.codes import eu_register_number, make_iban, make_uscc
from .domain.names import City, cn_address, cn_company, eu_company
from .domain.rand import ri
from .plan import INDUSTRY_OF_TOP, MerchantPlan
from .writer import db_datetime, db_json_list

ORG_FIELDS = ("id", "kind", "name", "created_at", "is_active")
USER_FIELDS = (
    "id",
    "password",
    "username",
    "email",
    "display_name",
    "preferred_language",
    "phone",
    "is_active",
    "date_joined",
)
MERCHANT_FIELDS = (
    "id",
    "organisation_id",
    "code",
    "legal_name",
    "legal_name_en",
    "country",
    "registration_scheme",
    "registration_number",
    "legal_representative",
    "registered_address",
    "business_scope",
    "established_on",
    "standing",
    "standing_changed_at",
    "markets",
    "risk_level",
    "deposit_amount",
    "deposit_currency",
    "created_at",
    "updated_at",
)
CONTACT_KINDS = ("legal", "quality", "after_sales", "emergency")
SCOPES = {
    "food": "食品销售；预包装食品销售；农副产品销售",
    "cosmetics": "化妆品零售；日用化学产品销售",
    "electronics": "电子产品销售；计算机软硬件及辅助设备零售；通讯设备销售",
    "apparel": "服装服饰零售；鞋帽零售；针纺织品销售",
    "medical_device": "第二类医疗器械销售；第一类医疗器械销售",
    "health_supplement": "保健食品（预包装）销售",
    "baby": "母婴用品销售；玩具销售",
    "toys": "玩具销售；文具用品零售",
}


def _phone_cn(plan: MerchantPlan) -> str:
    r = plan.rng
    return f"1{r.choice('3578')}{ri(r, 0, 9)}{ri(r, 10000000, 99999999)}"


def build_parties(ctx: Context, plan: MerchantPlan) -> None:
    r, ids, sink = plan.rng, ctx.ids, ctx.sink
    created = plan.created_at(ctx)
    created_s = db_datetime(created)
    plan.org_id = ids.take("accounts.Organisation")
    plan.merchant_id = ids.take("merchants.Merchant")
    industry = INDUSTRY_OF_TOP.get(plan.top, "")
    city: City | None = None
    if plan.eu is None:
        plan.legal_name, plan.legal_name_en, city = cn_company(r, industry_key=industry)
        plan.city = city
        plan.owner_name = r.choice(ctx.pools.zh_people)
        address = cn_address(r, city, ctx.pools)
        number = make_uscc(division=city.division, serial=plan.merchant_id)
        scheme, plan.phone = "cn_uscc", _phone_cn(plan)
        domain = "163.com" if r.random() < 0.5 else "qq.com"
    else:
        pools = ctx.pools.eu[plan.eu.code]
        plan.legal_name = eu_company(r, plan.eu, ctx.pools)
        plan.legal_name_en = plan.legal_name
        plan.owner_name = r.choice(pools["people"])
        address = f"{r.choice(pools['street'])}, {r.choice(pools['city'])}"
        number = eu_register_number(plan.eu.code, plan.merchant_id)
        scheme = "eu_trade_register"
        plan.phone = f"+{ri(r, 30, 49)} {ri(r, 100, 999)} {ri(r, 1000000, 9999999)}"
        domain = "example." + plan.eu.code.lower()
    plan.registration = number
    slug_base = f"m{plan.merchant_id}"
    plan.email = f"{slug_base}@{domain}"
    sink.table(Organisation, ORG_FIELDS).add(
        (plan.org_id, "merchant", plan.legal_name[:200], created_s, True)
    )
    plan.owner_user_id = ids.take("accounts.User")
    unusable = (
        "!"
        + hashlib.sha1(
            f"{ctx.params.seed}:{plan.index}".encode(), usedforsecurity=False
        ).hexdigest()
    )
    sink.table(User, USER_FIELDS).add(
        (
            plan.owner_user_id,
            unusable,
            f"{slug_base}-owner",
            plan.email,
            plan.owner_name,
            "en" if plan.eu else "zh-hans",
            plan.phone,
            True,
            created_s,
        )
    )
    sink.table(Membership, ("id", "user_id", "organisation_id", "role", "created_at")).add(
        (
            ids.take("accounts.Membership"),
            plan.owner_user_id,
            plan.org_id,
            "merchant_owner",
            created_s,
        )
    )
    risk = "low"
    for c in plan.categories:
        if c.risk_level == "high" or (c.risk_level == "medium" and risk == "low"):
            risk = c.risk_level
    deposit = max((c.deposit_amount for c in plan.categories), key=float, default="0.00")
    established = ctx.today - dt.timedelta(
        days=plan.created_days_ago + 200 + int(r.random() * 5000)
    )
    approved = plan.approved
    sink.table(Merchant, MERCHANT_FIELDS).add(
        (
            plan.merchant_id,
            plan.org_id,
            f"M{plan.org_id:06d}",
            plan.legal_name[:200],
            plan.legal_name_en[:200],
            plan.country,
            scheme,
            number,
            plan.owner_name,
            address[:300],
            SCOPES.get(plan.top, "日用百货销售；互联网销售（除销售需要许可的商品）")
            if not plan.eu
            else "",
            established.isoformat(),
            plan.standing,
            created_s,
            db_json_list(plan.markets if approved else []),
            risk,
            deposit if approved else "0.00",
            "CNY",
            created_s,
            created_s,
        )
    )
    if approved:
        sink.table(Shop, ("id", "merchant_id", "name", "slug", "markets", "url", "created_at")).add(
            (
                ids.take("merchants.Shop"),
                plan.merchant_id,
                (plan.legal_name_en.split(" Co.")[0] if plan.eu is None else plan.legal_name)
                + " Store",
                f"shop-{plan.merchant_id}",
                db_json_list(plan.markets),
                "",
                created_s,
            )
        )
    contacts = sink.table(
        Contact,
        (
            "id",
            "merchant_id",
            "kind",
            "name",
            "phone",
            "email",
            "validated",
            "validated_at",
            "created_at",
        ),
    )
    people = ctx.pools.zh_people if plan.eu is None else ctx.pools.eu[plan.eu.code]["people"]
    for n, kind in enumerate(CONTACT_KINDS[: 2 + int(r.random() * 3)]):
        validated = approved and r.random() < 0.9
        contacts.add(
            (
                ids.take("merchants.Contact"),
                plan.merchant_id,
                kind,
                r.choice(people),
                plan.phone if n == 0 else _phone_cn(plan) if plan.eu is None else plan.phone,
                f"{kind.replace('_', '')}.{slug_base}@{domain}",
                validated,
                created_s if validated else None,
                created_s,
            )
        )
    if "EU" in plan.markets:
        _trader(ctx, plan, address, number, created_s)
    _suppliers(ctx, plan, city, created)


def _trader(ctx: Context, plan: MerchantPlan, address: str, number: str, created_s: str) -> None:
    r = plan.rng
    verified = plan.approved and r.random() < 0.85
    register = plan.eu.register if plan.eu else "国家企业信用信息公示系统"
    iban_country = plan.eu.code if plan.eu else "DE"
    sink_row = (
        ctx.ids.take("merchants.TraderInfo"),
        plan.merchant_id,
        plan.legal_name_en or plan.legal_name,
        address[:300],
        plan.phone,
        plan.email,
        plan.legal_name_en or plan.legal_name,
        make_iban(iban_country, plan.merchant_id * 7919),
        register,
        number,
        True,
        created_s,
        "verified" if verified else "unverified",
        created_s if verified else None,
        created_s,
    )
    ctx.sink.table(
        TraderInfo,
        (
            "id",
            "merchant_id",
            "name",
            "address",
            "phone",
            "email",
            "payment_account_holder",
            "payment_account_iban",
            "trade_register_name",
            "trade_register_number",
            "self_certified",
            "self_certified_at",
            "verification_status",
            "verified_at",
            "updated_at",
        ),
    ).add(sink_row)


def _suppliers(ctx: Context, plan: MerchantPlan, city: City | None, created: dt.datetime) -> None:
    """One or two factories (Chinese, with their own credit codes) that make for the merchant."""
    r, ids = plan.rng, ctx.ids
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
    links = ctx.sink.table(
        MerchantSupplier, ("id", "merchant_id", "supplier_id", "relation", "since")
    )
    industry = INDUSTRY_OF_TOP.get(plan.top, "")
    created_s = db_datetime(created)
    for _ in range(1 + int(r.random() * 2)):
        org_id, supplier_id = ids.take("accounts.Organisation"), ids.take("merchants.Supplier")
        name, _en, fcity = cn_company(r, industry_key=industry)
        orgs.add((org_id, "supplier", name, created_s, True))
        suppliers.add(
            (
                supplier_id,
                org_id,
                name,
                "factory",
                "CN",
                make_uscc(division=fcity.division, serial=500_000_000 + supplier_id),
                cn_address(r, fcity, ctx.pools),
                "ISO 9001:2015" if r.random() < 0.5 else "",
                created_s,
            )
        )
        since = (created - dt.timedelta(days=int(r.random() * 700))).date().isoformat()
        links.add(
            (
                ids.take("merchants.MerchantSupplier"),
                plan.merchant_id,
                supplier_id,
                "manufactures_for",
                since,
            )
        )
        plan.supplier_org_ids.append(org_id)
