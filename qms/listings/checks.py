"""Checking a listing version: the rule engine (text and attribute rules, per market) plus the
rules that need the database (required documents, brand authorisation, may the merchant sell
in the category, price anomalies, near-identical titles and identical images of other
merchants). Reads only; services store the result.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar, cast

from django.db.models import Case, Q, Value, When

from qms.catalog import selectors as catalog
from qms.documents.selectors import valid_document_codes
from qms.merchants.selectors_agreements import can_sell

from .domain.review_states import RiskFactors, risk_score, worst_verdict
from .domain.similarity import band_values, hamming, near_duplicate, to_unsigned
from .models import Listing, ListingImage, ListingVersion

T = TypeVar("T")

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
        "en": "Another merchant's live listing {text} has a near-identical title: compare the "
        "two listings.",
        "zh-hans": "其他商家的在售商品 {text} 标题与此几乎相同：请对比两个商品。",
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


class CheckCache:
    """What repeats between the listings of one re-scan batch (documents held, required
    documents, category chains, selling problems, brand authorisations, price medians), read
    once. The re-scan makes one per batch; a single submission passes none (reads afresh)."""

    def __init__(self) -> None:
        self._memo: dict[tuple[Any, ...], Any] = {}

    def get(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(T, self._memo[key])


def _cached(cache: CheckCache | None, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    return compute() if cache is None else cache.get(key, compute)


def _category_chain(category_id: int, cache: CheckCache | None = None) -> list[int]:
    """The category and its ancestors, nearest first."""

    def read() -> list[int]:
        chain = []
        cat: Any = catalog.category_by_id(category_id)
        while cat is not None:
            chain.append(cat.pk)
            cat = catalog.category_by_id(cat.parent_id) if cat.parent_id else None
        return chain

    return _cached(cache, ("chain", category_id), read)


def selling_problems(
    *, merchant_id: int, category_id: int, cache: CheckCache | None = None
) -> list[str]:
    """Why the merchant may not sell in the category (or a granted ancestor); [] if it may."""

    def read() -> list[str]:
        for cid in _category_chain(category_id, cache):
            ok, reasons = can_sell(merchant_id=merchant_id, category_id=cid)
            if ok:
                return []
            if reasons != ["category_not_approved"]:
                return list(reasons)  # standing, restrictions, agreements: they decide
        return ["category_not_approved"]

    return _cached(cache, ("selling", merchant_id, category_id), read)


def _brand_failure(org_id: int, brand_id: int, market: str, cache: CheckCache | None) -> str | None:
    """Why the organisation may not sell the brand in ``market``; None if it may."""

    def read() -> str | None:
        verdict = catalog.is_authorised(organisation_id=org_id, brand_id=brand_id, market=market)
        if verdict.ok:
            return None
        return str(getattr(verdict.failure, "value", verdict.failure) or "no_chain")

    return _cached(cache, ("brand", org_id, brand_id, market), read)


def database_hits(
    listing: Listing, version: ListingVersion, market: str, cache: CheckCache | None = None
) -> list[dict]:
    hits: list[dict] = []
    org_id, category_id = listing.merchant_org_id, listing.category_id
    held = _cached(cache, ("held", org_id), lambda: valid_document_codes(organisation_id=org_id))
    required = _cached(
        cache,
        ("required", category_id, market),
        lambda: catalog.required_document_codes(category_id=category_id, market=market),
    )
    for code in required:
        if code not in held:
            hits.append(
                db_hit(
                    "listing.documents.required", market=market, field_name="documents", text=code
                )
            )
    if listing.brand is not None:
        failure = _brand_failure(org_id, listing.brand.pk, market, cache)
        if failure is not None:
            hits.append(
                db_hit(
                    "listing.brand.unauthorised",
                    market=market,
                    field_name="brand",
                    text=listing.brand.name,
                    detail=failure,
                )
            )
    for reason in selling_problems(
        merchant_id=listing.merchant_id, category_id=category_id, cache=cache
    ):
        hits.append(
            db_hit(
                "listing.merchant.cannot_sell", market=market, field_name="category", text=reason
            )
        )
    hits.extend(_market_hits(listing, version, market, cache))
    phashes = [i.get("phash") for i in version.images or [] if i.get("phash")]
    if (
        phashes
        and ListingImage.objects.filter(~Q(merchant_org_id=org_id), phash__in=phashes).exists()
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
NEAR_TITLE_CANDIDATES = 50  # candidates sharing a band, confirmed in Python


def _others(listing: Listing) -> Any:
    """Other merchants' live listings in the listing's category."""
    return Listing.objects.filter(state="live", category_id=listing.category_id).exclude(
        merchant_org_id=listing.merchant_org_id
    )


def _price_median(listing: Listing, cache: CheckCache | None) -> Decimal | None:
    """Other merchants' median live price of the brand in the category (None when fewer than
    ``PRICE_MIN_SAMPLES``); per category, brand and merchant (its own listings left out)."""

    def read() -> Decimal | None:
        prices = list(
            _others(listing)
            .filter(brand_id=listing.brand_id, live_version__price__isnull=False)
            .values_list("live_version__price", flat=True)[:501]
        )
        if len(prices) < PRICE_MIN_SAMPLES:
            return None
        return Decimal(statistics.median([p for p in prices if p is not None]))

    key = ("median", listing.category_id, listing.brand_id, listing.merchant_org_id)
    return _cached(cache, key, read)


def near_title_listing(listing: Listing, version: ListingVersion) -> int | None:
    """The other merchant's live listing (same category) whose live title is nearest to the
    version's, within ``NEAR_DUPLICATE_BITS`` of its SimHash; None if there is none. One
    query: live versions sharing any of the 4 bands (indexed), closest candidates first."""
    fingerprint = to_unsigned(version.title_fingerprint)
    if fingerprint == 0:
        return None
    bands = band_values(fingerprint)
    same = [Q(**{f"live_version__title_band{i}": b}) for i, b in enumerate(bands)]
    shared = sum((Case(When(q, then=Value(1)), default=Value(0)) for q in same), start=Value(0))
    rows = (
        _others(listing)
        .filter(same[0] | same[1] | same[2] | same[3])
        .exclude(live_version__title_fingerprint=0)
        .annotate(shared_bands=shared)
        .order_by("-shared_bands", "pk")
        .values_list("pk", "live_version__title_fingerprint")[:NEAR_TITLE_CANDIDATES]
    )
    near = [
        (hamming(fingerprint, to_unsigned(other)), pk)
        for pk, other in rows
        if near_duplicate(fingerprint, to_unsigned(other))
    ]
    return min(near)[1] if near else None


def _market_hits(
    listing: Listing, version: ListingVersion, market: str, cache: CheckCache | None = None
) -> list[dict]:
    """Comparisons with other merchants' live listings: price far below the brand's median
    in the category, and a near-identical title (SimHash within ``NEAR_DUPLICATE_BITS``)."""
    hits: list[dict] = []
    if listing.brand_id is not None and version.price is not None:
        median = _price_median(listing, cache)
        if median is not None and version.price < median * PRICE_FLOOR:
            hits.append(
                db_hit(
                    "listing.price.anomaly",
                    market=market,
                    field_name="price",
                    text=f"{version.price} {version.currency}",
                    detail=f"{median:.2f}",
                )
            )
    other = _cached(cache, ("near_title", version.pk), lambda: near_title_listing(listing, version))
    if other is not None:
        hits.append(
            db_hit("listing.duplicate.title", market=market, field_name="title", text=f"L{other}")
        )
    return hits


def check_version(version: ListingVersion, *, cache: CheckCache | None = None) -> CheckResult:
    """Run every rule on the version for each of the listing's markets. A re-scan passes one
    ``CheckCache`` per batch; without one every database rule reads afresh."""
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
        for d in database_hits(listing, version, market, cache):
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
