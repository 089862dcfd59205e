"""Demo listings: 5-8 listings per selling merchant of the demo marketplace, created through
``qms.listings.services`` as the merchant's owner, so that verdicts, hits, risk scores, review
tasks, quality samples and notifications are the real ones.

Each listing is drafted with an intent (77 % approve, 11 % reject, 12 % review; see
``demo_listing_drafts``) from the evaluation texts placed in the merchant's granted categories
(``demo_listing_texts``): a compliant text for an approval (some of the merchant's own branded
products, with price, SKU and GTIN), a text with banned terms, evasive spellings or a missing
required attribute for a rejection, a medium-severity claim or another merchant's title for the
review queue. Merchants that may not sell (agreement unsigned, restricted, documents missing)
list one product and see it rejected with the reason. The organisation of the
``merchant`` demo login gets 11 listings, a corrected resubmission and an open appeal.
Deterministic for a seed: a ``random.Random`` per merchant and a seeded quality-sample draw.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from tqdm import tqdm

from qms.accounts.models import Membership, User
from qms.accounts.selectors import user_ids_in_organisation
from qms.listings import services_routing
from qms.listings.models import Listing, ListingVersion
from qms.listings.services import ListingInput, create_listing, submit_version
from qms.listings.services_review import appeal_version
from qms.merchants.models import Merchant

from .demo_listing_drafts import Draft, Drafter, LiveTitles

MAX_LISTINGS = 600
DEMO_INTENTS = ("approve",) * 6 + ("reject",) * 3 + ("review",) * 2
APPEAL_REASON = (
    "该用语是产品系列名称的一部分，并非宣传用语，请复核。"
    " The wording is part of the product line's name, not a claim: please review it again."
)
# price range (CNY) per top-level category; EUR prices are a seventh of it
PRICES: dict[str, tuple[int, int]] = {
    "food": (15, 300),
    "health_supplement": (60, 500),
    "cosmetics": (39, 600),
    "medical_device": (20, 900),
    "electronics": (59, 4000),
    "home": (19, 800),
    "apparel": (39, 600),
    "toys": (29, 600),
    "baby": (29, 1500),
    "pet": (15, 400),
    "outdoor": (29, 1500),
    "books": (15, 200),
    "collectibles": (50, 3000),
}


@dataclass
class Report:
    listings: int = 0
    appeals: int = 0
    states: Counter[str] = field(default_factory=Counter)
    versions: Counter[str] = field(default_factory=Counter)


def _price(rng: random.Random, leaf: str, market: str) -> tuple[Decimal, str]:
    low, high = PRICES.get(leaf.split("/")[0], (19, 500))
    amount = rng.uniform(low, high) / (7 if market == "EU" else 1)
    cents = rng.choice(("00", "90", "99"))
    return Decimal(f"{max(int(amount), 1)}.{cents}"), "EUR" if market == "EU" else "CNY"


def _owner(org_id: int) -> User | None:
    """The merchant's first owner (the generated one; demo logins come later)."""
    ids = user_ids_in_organisation(organisation_id=org_id, roles=["merchant_owner"])
    return User.objects.filter(pk__in=ids).order_by("pk").first()


def _demo_org_id() -> int | None:
    membership = (
        Membership.objects.filter(user__username="merchant", role="merchant_owner")
        .order_by("pk")
        .first()
    )
    return membership.organisation_id if membership else None


def _create(draft: Draft, *, owner: User, org_id: int, rng: random.Random, n: int) -> Listing:
    price, currency = _price(rng, draft.leaf, draft.market)
    return create_listing(
        actor=owner,
        merchant_org_id=org_id,
        data=ListingInput(
            title=draft.title,
            description=draft.description,
            attributes=draft.attributes,
            price=price,
            currency=currency,
            category=draft.leaf,
            brand_id=draft.brand_id,
            markets=[draft.market],
            gtin=draft.gtin or None,
            product_id=draft.product_id,
            sku_id=draft.sku_id,
            external_id=f"DEMO-{org_id}-{n:03d}",
        ),
    )


def _demo_extras(drafter: Drafter, rejected: list[Listing], owner: User) -> int:
    """The demo login's merchant corrects its first rejected listing (a new version that goes
    live) and appeals the second; any other stays rejected. Returns the appeals made."""
    rejected.sort(key=lambda x: (x.category.code, x.markets[0]) not in drafter.shape.open)
    if rejected:
        listing = rejected.pop(0)
        version = listing.latest_version
        fix = drafter.correction(listing.category.code, listing.markets[0])
        if fix is not None and version is not None:
            submit_version(
                actor=owner,
                listing_id=listing.pk,
                data=ListingInput(
                    title=fix.title,
                    description=fix.description,
                    attributes=fix.attributes,
                    price=version.price,
                    currency=version.currency,
                    brand_id=fix.brand_id,
                ),
            )
    if rejected and rejected[0].latest_version_id:
        login = User.objects.filter(username="merchant").first() or owner
        appeal_version(actor=login, version_id=rejected[0].latest_version_id, reason=APPEAL_REASON)
        return 1
    return 0


def create_demo_listings(*, seed: int, cap: int = MAX_LISTINGS, progress: bool = False) -> Report:
    """Listings for every selling merchant, unless the database has a listing already."""
    report = Report()
    if Listing.objects.exists():
        return report
    merchants = list(
        Merchant.objects.filter(standing__in=["active", "restricted"], shops__isnull=False)
        .distinct()
        .order_by("pk")
    )
    demo_org = _demo_org_id()
    titles = LiveTitles()
    bar = tqdm(
        total=len(merchants),
        unit="merchant",
        desc="listings",
        file=sys.stderr,
        disable=not progress,
        dynamic_ncols=True,
    )
    with bar, services_routing.seeded_sampling(seed):
        # the demo login's merchant first, so that its mix does not depend on the others
        ordered = sorted(merchants, key=lambda m: (m.organisation_id != demo_org, m.pk))
        for index, merchant in enumerate(ordered):
            bar.update(1)
            owner = _owner(merchant.organisation_id)
            if owner is None or report.listings >= cap:
                continue
            rng = random.Random(f"qms-demo-listings:{seed}:{merchant.pk}:{index}")
            drafter = Drafter(merchant, rng, titles)
            is_demo = merchant.organisation_id == demo_org
            drafts = drafter.drafts(DEMO_INTENTS if is_demo else None)
            drafts = drafts[: max(cap - report.listings, 0)]
            with transaction.atomic():
                created = [
                    _create(d, owner=owner, org_id=merchant.organisation_id, rng=rng, n=n + 1)
                    for n, d in enumerate(drafts)
                ]
                report.listings += len(created)
                if is_demo:
                    rejected = [x for x in created if x.latest_version_id and _rejected(x)]
                    report.appeals += _demo_extras(drafter, rejected, owner)
    report.states.update(Listing.objects.values_list("state", flat=True))
    report.versions.update(ListingVersion.objects.values_list("state", flat=True))
    return report


def _rejected(listing: Listing) -> bool:
    version = listing.latest_version
    return version is not None and version.state == "rejected"


def report_lines(report: Report) -> list[str]:
    if not report.listings:
        return []

    def fmt(counts: Counter[str]) -> str:
        return ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))

    return [
        f"Listed {report.listings} demo listings ({report.appeals} appealed).",
        f"  listings: {fmt(report.states)}",
        f"  versions: {fmt(report.versions)}",
    ]


# A coming rule change, so the rule book, the portal banner and the notices show one.
DEMO_RULE_TERM = "纳米黑科技"
DEMO_RULE_NOTICE_DAYS = 10


def announce_demo_rule_change() -> str | None:
    """The quality team bans an empty technology claim from ``DEMO_RULE_NOTICE_DAYS`` days
    on (through ``services_rules``: stored, announced to the merchants it applies to, re-scan
    scheduled). Nothing when a rule change exists already; returns the rule id."""
    import datetime as dt

    from qms.listings.models import RuleVersion
    from qms.listings.services_rules import add_term_rule
    from qms.shared.rules import business_today

    if RuleVersion.objects.exists():
        return None
    actor = User.objects.filter(username="quality").first()
    if actor is None:
        return None
    with transaction.atomic():
        row = add_term_rule(
            actor=actor,
            term=DEMO_RULE_TERM,
            kind="absolute_claim",
            markets=["CN"],
            legal_basis="PRC Advertising Law Art. 4 and 28 (false or unverifiable claims)",
            effective_from=business_today() + dt.timedelta(days=DEMO_RULE_NOTICE_DAYS),
            reason="Market supervision campaign against empty 'black technology' claims",
        )
    return row.rule_id
