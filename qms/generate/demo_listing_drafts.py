"""Drafting a merchant's demo listings: where it may list (``merchant_shape``), which text for
which intent (``Drafter``), and the titles already expected to go live (``LiveTitles``), so that
a listing meant to be approved is not a near-duplicate of another merchant's live one and a
listing meant for the review queue can be one on purpose.
"""

from __future__ import annotations

import dataclasses
import random
from collections import defaultdict
from dataclasses import dataclass, field

from qms.catalog import selectors as catalog
from qms.catalog.models import Product, Sku
from qms.documents.selectors import valid_document_codes
from qms.listings.domain.similarity import near_duplicate, title_fingerprint
from qms.merchants.models import Merchant, MerchantCategory
from qms.merchants.selectors_agreements import can_sell

from .demo_listing_texts import Text, texts_by_leaf, verdict_of, with_addition

INTENTS = (("approve", 77), ("reject", 11), ("review", 12))
# words merchants add to a title to tell their offer apart from the same product elsewhere
VARIANT_WORDS = {
    "zh": ("新款", "升级款", "现货速发", "官方标配", "包邮", "2026款"),
    "en": ("2026 model", "new edition", "in stock", "free delivery", "standard set"),
}


@dataclass
class Draft:
    leaf: str
    market: str
    title: str
    description: str
    attributes: dict[str, str]
    intent: str
    label: str
    brand_id: int | None = None
    product_id: int | None = None
    sku_id: int | None = None
    gtin: str = ""


@dataclass
class Shape:
    """Where a merchant may list: ``open`` (leaf, market) pairs it may sell in with every
    required document held; ``blocked`` ones are granted but refused (documents missing,
    agreement unsigned, category restricted)."""

    open: list[tuple[str, str]] = field(default_factory=list)
    blocked: list[tuple[str, str]] = field(default_factory=list)


def merchant_shape(merchant: Merchant) -> Shape:
    shape = Shape()
    held = set(valid_document_codes(organisation_id=merchant.organisation_id))
    grants = MerchantCategory.objects.filter(merchant=merchant).select_related("category")
    for grant in grants.order_by("category__code"):
        ok, _reasons = can_sell(merchant_id=merchant.pk, category_id=grant.category_id)
        for market in sorted(merchant.markets or ["CN"]):
            required = catalog.required_document_codes(category_id=grant.category_id, market=market)
            pair = (grant.category.code, market)
            (shape.open if ok and set(required) <= held else shape.blocked).append(pair)
    return shape


def listable(merchant: Merchant) -> int:
    """How many compliant texts fit where the merchant may sell (0: it cannot go live)."""
    texts = texts_by_leaf()
    return sum(
        1
        for leaf, market in merchant_shape(merchant).open
        for t in texts.get((leaf, market), ())
        if verdict_of(t, leaf=leaf) == "approve"
    )


class LiveTitles:
    """The titles expected to go live, per (leaf, market)."""

    def __init__(self) -> None:
        self.by_pair: dict[tuple[str, str], list[tuple[int, int, Text]]] = defaultdict(list)

    def clashes(self, leaf: str, market: str, title: str) -> bool:
        fingerprint = title_fingerprint(title)
        return any(near_duplicate(fingerprint, f) for _o, f, _t in self.by_pair[(leaf, market)])

    def add(self, draft: Draft, org_id: int) -> None:
        text = Text(
            id=f"O{org_id}:{draft.title}",
            leaf=draft.leaf,
            market=draft.market,
            title=draft.title,
            description=draft.description,
            attributes=draft.attributes,
            tags=("zh",) if draft.market == "CN" else ("en",),
        )
        pair = (draft.leaf, draft.market)
        self.by_pair[pair].append((org_id, title_fingerprint(draft.title), text))

    def others(self, leaf: str, market: str, org_id: int) -> list[Text]:
        return [t for org, _f, t in self.by_pair[(leaf, market)] if org != org_id]


@dataclass(frozen=True)
class Pick:
    """A compliant text as this merchant would list it (its brand name in front of the
    title when another merchant already lists the text)."""

    leaf: str
    text: Text
    base_id: str
    brand_id: int | None


class Drafter:
    """Drafts one merchant's listings."""

    def __init__(self, merchant: Merchant, rng: random.Random, titles: LiveTitles) -> None:
        self.merchant, self.rng, self.titles = merchant, rng, titles
        self.org_id = merchant.organisation_id
        self.shape = merchant_shape(merchant)
        self.used: set[str] = set()
        self.products = list(
            Product.objects.filter(merchant_org_id=self.org_id, brand__isnull=False)
            .select_related("category", "brand")
            .order_by("pk")
        )
        self.brands: dict[str, tuple[int, str]] = {}
        for product in self.products:
            for market in sorted(merchant.markets or ["CN"]):
                brand = product.brand
                if brand is None or market in self.brands:
                    continue
                if catalog.is_authorised(
                    organisation_id=self.org_id, brand_id=brand.pk, market=market
                ).ok:
                    self.brands[market] = (brand.pk, brand.name)

    def _texts(self, pairs: list[tuple[str, str]], verdict: str) -> list[tuple[str, Text]]:
        texts = texts_by_leaf()
        return [
            (leaf, t)
            for leaf, market in pairs
            for t in texts.get((leaf, market), ())
            if t.id not in self.used and verdict_of(t, leaf=leaf) == verdict
        ]

    def _fresh(self, pairs: list[tuple[str, str]], *, reuse: bool = False) -> list[Pick]:
        """Compliant texts, each with a title no listing expected live has yet: as written,
        else with the merchant's brand in front or a variant word after it (as merchants
        tell their offer apart). ``reuse``: texts this merchant listed already, too."""
        out = []
        texts = texts_by_leaf()
        for leaf, market in pairs:
            for text in texts.get((leaf, market), ()):
                if (text.id in self.used and not reuse) or verdict_of(text, leaf=leaf) != "approve":
                    continue
                pick = self._untaken(leaf, text)
                if pick is not None:
                    out.append(pick)
        return out

    def _untaken(self, leaf: str, text: Text) -> Pick | None:
        brand = self.brands.get(text.market)
        words = VARIANT_WORDS["zh" if "zh" in text.tags else "en"]
        start = self.rng.randrange(len(words))
        titles: list[tuple[str, tuple[int, str] | None]] = [(text.title, None)]
        if brand is not None:
            titles.append((f"{brand[1]} {text.title}", brand))
        titles += [(f"{text.title} {words[(start + i) % len(words)]}", None) for i in range(3)]
        for title, with_brand in titles:
            if self.titles.clashes(leaf, text.market, title):
                continue
            if title == text.title:
                return Pick(leaf, text, text.id, None)
            attributes = dict(text.attributes)
            if with_brand is not None:
                attributes["brand"] = with_brand[1]
            variant = dataclasses.replace(text, title=title, attributes=attributes)
            return Pick(leaf, variant, text.id, with_brand[0] if with_brand else None)
        return None

    def _draft(self, leaf: str, text: Text, intent: str, label: str, base_id: str) -> Draft:
        self.used.add(base_id)
        return Draft(
            leaf=leaf,
            market=text.market,
            title=text.title,
            description=text.description,
            attributes=dict(text.attributes),
            intent=intent,
            label=label,
        )

    def product_draft(self) -> Draft | None:
        """A listing of one of the merchant's own branded products it is authorised for."""
        open_pairs = set(self.shape.open)
        for product in self.products:
            market = next(
                (m for m in sorted(self.brands) if (product.category.code, m) in open_pairs), ""
            )
            key = f"P{product.pk}"
            if not market or key in self.used or product.brand_id != self.brands[market][0]:
                continue
            leaf = product.category.code
            sku = Sku.objects.filter(product=product).order_by("pk").first()
            name = product.name if market == "CN" else (product.name_en or product.name)
            title = f"{name} {sku.name}".strip() if sku is not None else name
            if self.titles.clashes(leaf, market, title):
                continue
            attributes = next(
                (dict(p.text.attributes) for p in self._fresh([(leaf, market)])), None
            )
            if attributes is None:
                continue
            attributes["brand"] = self.brands[market][1]
            description = (
                f"{name}，品牌授权销售，正品保障，支持七天无理由退货。"
                if market == "CN"
                else f"{name}. Sold under the brand owner's authorisation; 30-day returns."
            )
            self.used.add(key)
            return Draft(
                leaf=leaf,
                market=market,
                title=title,
                description=description,
                attributes=attributes,
                intent="approve",
                label="own branded product",
                brand_id=product.brand_id,
                product_id=product.pk,
                sku_id=sku.pk if sku is not None else None,
                gtin=sku.gtin if sku is not None else "",
            )
        return None

    def approve(self) -> Draft | None:
        if self.rng.random() < 0.3 and (draft := self.product_draft()) is not None:
            return draft
        fresh = self._fresh(self.shape.open)
        if not fresh:
            return None
        pick = self.rng.choice(fresh)
        draft = self._draft(pick.leaf, pick.text, "approve", "compliant", pick.base_id)
        draft.brand_id = pick.brand_id
        return draft

    def correction(self, leaf: str, market: str) -> Draft | None:
        """A compliant text for a new version of a rejected listing in (leaf, market)."""
        fresh = self._fresh([(leaf, market)])
        if not fresh:
            return None
        pick = self.rng.choice(fresh)
        draft = self._draft(pick.leaf, pick.text, "approve", "corrected", pick.base_id)
        draft.brand_id = pick.brand_id
        self.titles.add(draft, self.org_id)
        return draft

    def _addition(self, intent: str) -> Draft | None:
        fresh = self._fresh(self.shape.open) or self._fresh(self.shape.open, reuse=True)
        self.rng.shuffle(fresh)
        for pick in fresh[:4]:
            offset = self.rng.randrange(8)
            variant = with_addition(pick.text, leaf=pick.leaf, intent=intent, offset=offset)
            if variant is not None:
                title, description, attributes, label = variant
                self.used.add(pick.base_id)
                return Draft(
                    pick.leaf,
                    pick.text.market,
                    title,
                    description,
                    attributes,
                    intent,
                    label,
                    brand_id=pick.brand_id,
                )
        return None

    def reject(self) -> Draft | None:
        native = self._texts(self.shape.open, "reject")
        if native and self.rng.random() < 0.5:
            leaf, text = self.rng.choice(native)
            return self._draft(leaf, text, "reject", ", ".join(text.tags), text.id)
        draft = self._addition("reject")
        if draft is None and (blocked := self._texts(self.shape.blocked, "approve")):
            leaf, text = self.rng.choice(blocked)
            draft = self._draft(leaf, text, "reject", "may not sell here", text.id)
        return draft

    def review(self) -> Draft | None:
        native = self._texts(self.shape.open, "review")
        if native and self.rng.random() < 0.4:
            leaf, text = self.rng.choice(native)
            return self._draft(leaf, text, "review", ", ".join(text.tags), text.id)
        copies = [
            (leaf, t)
            for leaf, market in self.shape.open
            for t in self.titles.others(leaf, market, self.org_id)
            if t.id not in self.used
        ]
        if copies and self.rng.random() < 0.4:
            leaf, text = self.rng.choice(copies)
            return self._draft(leaf, text, "review", "another merchant's title", text.id)
        return self._addition("review")

    def drafts(self, intents: tuple[str, ...] | None = None) -> list[Draft]:
        if not self.shape.open:
            blocked = self._texts(self.shape.blocked, "approve")
            picks = self.rng.sample(blocked, min(len(blocked), 1))
            return [self._draft(leaf, t, "reject", "may not sell here", t.id) for leaf, t in picks]
        if intents is None:
            population = [i for i, _w in INTENTS]
            weights = [w for _i, w in INTENTS]
            intents = tuple(self.rng.choices(population, weights, k=self.rng.randint(5, 8)))
        out = []
        for intent in intents:
            draft = getattr(self, intent)()
            if draft is not None:
                if draft.intent == "approve":
                    self.titles.add(draft, self.org_id)
                out.append(draft)
        return out
