"""One merchant's plan: the choices drawn first, that every builder then follows."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from .context import CategoryInfo, Context
from .domain.names import CN_CITIES, EU_COUNTRIES, City, EuCountry

# How far along onboarding a merchant is (weights in percent).
APPLICATION_STATES: tuple[tuple[str, int], ...] = (
    ("approved", 68),
    ("submitted", 8),
    ("in_review", 4),
    ("info_requested", 5),
    ("awaiting_second_approval", 4),
    ("rejected", 5),
    ("draft", 4),
    ("withdrawn", 2),
)
# Standing of an approved merchant.
STANDINGS: tuple[tuple[str, int], ...] = (
    ("active", 87),
    ("restricted", 7),
    ("suspended", 4),
    ("terminated", 2),
)
# Which top-level categories merchants sell in (weights) and the industry word they use.
TOP_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("food", 14),
    ("health_supplement", 4),
    ("cosmetics", 10),
    ("medical_device", 3),
    ("electronics", 16),
    ("home", 14),
    ("apparel", 14),
    ("toys", 6),
    ("baby", 6),
    ("pet", 4),
    ("outdoor", 4),
    ("books", 2),
    ("collectibles", 2),
)
INDUSTRY_OF_TOP = {
    "food": "food",
    "health_supplement": "health",
    "cosmetics": "cosmetics",
    "medical_device": "medical",
    "electronics": "electronics",
    "home": "home",
    "apparel": "apparel",
    "toys": "toys",
    "baby": "baby",
    "pet": "home",
    "outdoor": "apparel",
}


def pick(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    total = sum(w for _, w in options)
    x = rng.random() * total
    for value, weight in options:
        x -= weight
        if x < 0:
            return value
    return options[-1][0]


@dataclass
class MerchantPlan:
    index: int
    rng: random.Random
    eu: EuCountry | None  # None: a Chinese company
    markets: list[str]
    top: str
    categories: list[CategoryInfo]
    state: str
    standing: str
    created_days_ago: int
    org_id: int = 0
    merchant_id: int = 0
    owner_user_id: int = 0
    application_id: int = 0
    legal_name: str = ""
    legal_name_en: str = ""
    owner_name: str = ""
    phone: str = ""
    email: str = ""
    supplier_org_ids: list[int] = field(default_factory=list)
    brand_ids: list[int] = field(default_factory=list)
    # brand id -> (authorisation id of the merchant's link, or 0 for an own brand)
    brand_links: dict[int, int] = field(default_factory=dict)
    trademark_numbers: list[str] = field(default_factory=list)
    registration: str = ""
    city: City = CN_CITIES[0]  # where a Chinese merchant is registered (its licences' issuer)
    restricted_code: str = ""  # the expired document a restricted merchant is restricted for

    @property
    def approved(self) -> bool:
        return self.state == "approved"

    @property
    def country(self) -> str:
        return self.eu.code if self.eu else "CN"

    def created_at(self, ctx: Context) -> dt.datetime:
        return ctx.now - dt.timedelta(days=self.created_days_ago, seconds=self.index % 86400)


def plan_merchant(ctx: Context, index: int) -> MerchantPlan:
    rng = ctx.rng_for(index)
    eu = rng.choice(EU_COUNTRIES) if rng.random() < 0.15 else None
    # EU companies sell in the EU; a quarter of Chinese ones also sell there.
    markets = ["EU"] if eu is not None else ["CN", "EU"] if rng.random() < 0.25 else ["CN"]
    tops = [t for t, _ in TOP_WEIGHTS if ctx.ref.by_top.get(t)]
    weights = tuple((t, w) for t, w in TOP_WEIGHTS if t in tops)
    top = pick(rng, weights) if weights else ""
    state = pick(rng, APPLICATION_STATES)
    pool = ctx.ref.by_top.get(top, [])
    chosen: list[CategoryInfo] = []
    if pool:
        count = min(len(pool), 1 + int(rng.random() * 3))
        chosen = rng.sample(pool, count)
        if state == "awaiting_second_approval" and not any(c.risk_level == "high" for c in chosen):
            high = [c for c in ctx.ref.categories if c.risk_level == "high"]
            if high:
                chosen.append(rng.choice(high))
    standing = pick(rng, STANDINGS) if state == "approved" else "pending"
    age = 30 + int(rng.random() * 1000) if state == "approved" else 1 + int(rng.random() * 40)
    return MerchantPlan(
        index=index,
        rng=rng,
        eu=eu,
        markets=markets,
        top=top,
        categories=chosen,
        state=state,
        standing=standing,
        created_days_ago=age,
    )
