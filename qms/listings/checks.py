"""Checking a listing version: the rule engine (text and attribute rules, per market) plus the
rules that need the database (required documents, brand authorisation, may the merchant sell
in the category, identical images of other merchants). Reads only; services store the result.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from qms.catalog import selectors as catalog
from qms.documents.selectors import valid_document_codes
from qms.merchants.selectors_agreements import can_sell

from .domain.review_states import RiskFactors, risk_score, worst_verdict
from .models import Listing, ListingImage, ListingVersion

# Rules evaluated here (they need the database). Messages in both languages, with the fix.
DB_RULES: dict[str, dict[str, str]] = {
    "listing.documents.required": {
        "kind": "missing_document",
        "verdict": "reject",
        "basis": "Food Safety Law Art. 35; CCC Regulations Art. 2; platform rules",
        "en": "A valid, approved {text} is required for this category and market: upload it "
        "under Documents.",
        "zh-hans": "该类目和市场需要有效且已审核的证照（{text}）：请在“资质文件”中上传。",
    },
    "listing.brand.unauthorised": {
        "kind": "brand_unauthorised",
        "verdict": "reject",
        "basis": "E-Commerce Law Art. 38; Trademark Law Art. 57",
        "en": "You are not authorised to sell the brand {text} in this market ({detail}): "
        "add a valid brand authorisation.",
        "zh-hans": "您未获得在该市场销售品牌 {text} 的授权（{detail}）：请补充有效的品牌授权。",
    },
    "listing.merchant.cannot_sell": {
        "kind": "merchant_cannot_sell",
        "verdict": "reject",
        "basis": "Merchant agreement; platform rules",
        "en": "Your shop may not sell in this category now ({text}).",
        "zh-hans": "您的店铺当前不能在该类目销售（{text}）。",
    },
    "listing.price.anomaly": {
        "kind": "price_anomaly",
        "verdict": "review",
        "basis": "E-Commerce Law Art. 17; Anti-Unfair Competition Law Art. 6 (counterfeit risk)",
        "en": "The price {text} is far below what this brand sells for in the category "
        "(median {detail}): counterfeit risk.",
        "zh-hans": "价格 {text} 远低于该品牌在该类目的中位价（{detail}）：存在假冒风险。",
    },
    "listing.duplicate.title": {
        "kind": "duplicate_title",
        "verdict": "review",
        "basis": "Platform rules: duplicate and counterfeit listings",
        "en": "Another merchant's live listing has the same title.",
        "zh-hans": "其他商家在售商品的标题与此相同。",
    },
    "listing.duplicate.image": {
        "kind": "duplicate_image",
        "verdict": "review",
        "basis": "Platform rules: duplicate and counterfeit listings",
        "en": "An image is identical to an image of another merchant's listing.",
        "zh-hans": "有图片与其他商家商品的图片相同。",
    },
}


@dataclass
class CheckResult:
    verdict: str
    hits: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _engine() -> Any:
    from .rules import check_listing

    return check_listing


class _Keep(dict[str, Any]):
    """Placeholders without a value stay as written instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _rule_meta(rule_id: str, text: str = "") -> dict[str, str]:
    """Basis, severity and the filled-in messages of an engine rule (``listings`` registry)."""
    try:
        from qms.shared.rules import get_registry

        rule = get_registry("listings").find(rule_id)
    except (KeyError, ImportError):
        return {}
    if rule is None:
        return {}
    out = {
        "basis": str(rule.legal_basis),
        "severity": str(getattr(rule.severity, "value", rule.severity)),
    }
    values = _Keep({**dict(rule.parameters or {}), "legal_basis": rule.legal_basis, "text": text})
    values.setdefault("scheme_title", str((rule.parameters or {}).get("scheme", rule.title)))
    for lang in ("en", "zh-hans"):
        template = (rule.message or {}).get(lang)
        if template:
            try:
                out[lang] = str(template).format_map(values)
            except (ValueError, IndexError, AttributeError):
                out[lang] = str(template)
    return out


def _hit_dict(hit: Any, market: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": str(hit.rule),
        "kind": str(getattr(hit.kind, "value", hit.kind)),
        "field": str(hit.field),
        "start": int(hit.start),
        "end": int(hit.end),
        "text": str(hit.text),
        "market": market,
    }
    meta = _rule_meta(str(hit.rule), str(hit.text))
    severity = getattr(hit, "severity", None)
    out["severity"] = str(getattr(severity, "value", severity or meta.get("severity", "")))
    out["basis"] = meta.get("basis", "")
    out["message_en"] = meta.get("en", "")
    out["message_zh"] = meta.get("zh-hans", "")
    return out


def db_hit(rule: str, *, market: str, field_name: str, text: str, detail: str = "") -> dict:
    spec = DB_RULES[rule]
    return {
        "rule": rule,
        "kind": spec["kind"],
        "field": field_name,
        "start": 0,
        "end": 0,
        "text": text,
        "market": market,
        "severity": "high" if spec["verdict"] == "reject" else "medium",
        "basis": spec["basis"],
        "message_en": spec["en"].format(text=text, detail=detail),
        "message_zh": spec["zh-hans"].format(text=text, detail=detail),
        "db_verdict": spec["verdict"],
    }


def _category_chain(category_id: int) -> list[int]:
    """The category and its ancestors, nearest first."""
    chain = []
    cat: Any = catalog.category_by_id(category_id)
    while cat is not None:
        chain.append(cat.pk)
        cat = catalog.category_by_id(cat.parent_id) if cat.parent_id else None
    return chain


def selling_problems(*, merchant_id: int, category_id: int) -> list[str]:
    """Why the merchant may not sell in the category (or a granted ancestor); [] if it may."""
    for cid in _category_chain(category_id):
        ok, reasons = can_sell(merchant_id=merchant_id, category_id=cid)
        if ok:
            return []
        if reasons != ["category_not_approved"]:
            return reasons  # standing, restrictions, agreements: they decide
    return ["category_not_approved"]


def database_hits(listing: Listing, version: ListingVersion, market: str) -> list[dict]:
    hits: list[dict] = []
    held = valid_document_codes(organisation_id=listing.merchant_org_id)
    for code in catalog.required_document_codes(category_id=listing.category_id, market=market):
        if code not in held:
            hits.append(
                db_hit(
                    "listing.documents.required", market=market, field_name="documents", text=code
                )
            )
    if listing.brand is not None:
        verdict = catalog.is_authorised(
            organisation_id=listing.merchant_org_id, brand_id=listing.brand.pk, market=market
        )
        if not verdict.ok:
            failure = getattr(verdict.failure, "value", verdict.failure) or "no_chain"
            hits.append(
                db_hit(
                    "listing.brand.unauthorised",
                    market=market,
                    field_name="brand",
                    text=listing.brand.name,
                    detail=str(failure),
                )
            )
    for reason in selling_problems(
        merchant_id=listing.merchant_id, category_id=listing.category_id
    ):
        hits.append(
            db_hit(
                "listing.merchant.cannot_sell", market=market, field_name="category", text=reason
            )
        )
    hits.extend(_market_hits(listing, version, market))
    phashes = [i.get("phash") for i in version.images or [] if i.get("phash")]
    if (
        phashes
        and ListingImage.objects.filter(
            ~Q(merchant_org_id=listing.merchant_org_id), phash__in=phashes
        ).exists()
    ):
        hits.append(
            db_hit(
                "listing.duplicate.image",
                market=market,
                field_name="images",
                text=", ".join(sorted(set(phashes))),
            )
        )
    return hits


PRICE_FLOOR = Decimal("0.3")  # a branded price below 30 % of the median is suspicious
PRICE_MIN_SAMPLES = 5


def _market_hits(listing: Listing, version: ListingVersion, market: str) -> list[dict]:
    """Comparisons with other merchants' live listings: price far below the brand's median
    in the category, and the same (folded) title."""
    hits: list[dict] = []
    others = Listing.objects.filter(state="live", category_id=listing.category_id).exclude(
        merchant_org_id=listing.merchant_org_id
    )
    if listing.brand is not None and version.price is not None:
        prices = list(
            others.filter(brand_id=listing.brand.pk, live_version__price__isnull=False).values_list(
                "live_version__price", flat=True
            )[:501]
        )
        if len(prices) >= PRICE_MIN_SAMPLES:
            median = Decimal(statistics.median([p for p in prices if p is not None]))
            if version.price < median * PRICE_FLOOR:
                hits.append(
                    db_hit(
                        "listing.price.anomaly",
                        market=market,
                        field_name="price",
                        text=f"{version.price} {version.currency}",
                        detail=f"{median:.2f}",
                    )
                )
    if version.title_key and others.filter(live_version__title_key=version.title_key).exists():
        hits.append(db_hit("listing.duplicate.title", market=market, field_name="title", text=""))
    return hits


def check_version(version: ListingVersion) -> CheckResult:
    """Run every rule on the version for each of the listing's markets."""
    listing = version.listing
    engine = _engine()
    verdicts: list[str] = []
    hits: list[dict[str, Any]] = []
    seen: set[tuple] = set()
    for market in listing.markets or []:
        result = engine(version.as_check_input(market=market), market=market)
        verdicts.append(str(getattr(result.verdict, "value", result.verdict)))
        for hit in result.hits:
            d = _hit_dict(hit, market)
            key = (d["rule"], d["field"], d["start"], d["end"])
            if key not in seen:
                seen.add(key)
                hits.append(d)
        for d in database_hits(listing, version, market):
            key = (d["rule"], d["field"], d["text"], market)
            if key not in seen:
                seen.add(key)
                verdicts.append(d.pop("db_verdict"))
                hits.append(d)
    return CheckResult(verdict=worst_verdict(*verdicts), hits=hits)


def score_version(version: ListingVersion, *, hit_count: int) -> int:
    """The version's risk score: category risk, hits, the merchant's history."""
    import datetime as dt

    from django.utils import timezone

    listing = version.listing
    since = timezone.now() - dt.timedelta(days=90)
    rejections = ListingVersion.objects.filter(
        listing__merchant_org_id=listing.merchant_org_id, state="rejected", created_at__gte=since
    ).count()
    has_live = Listing.objects.filter(
        merchant_org_id=listing.merchant_org_id, live_version__isnull=False
    ).exists()
    return risk_score(
        RiskFactors(
            category_risk=listing.category.risk_level,
            hit_count=hit_count,
            recent_rejections=rejections,
            has_live_listing=has_live,
        )
    )
