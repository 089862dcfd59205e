"""The queries of a re-scan batch: what repeats between listings (documents held, required
documents, category chains, selling permission, brand authorisations, price medians) is read
once per batch, so the count grows only by the work each listing really needs."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qms.catalog import services as catalog_services
from qms.catalog.models import CategoryDocumentRequirement
from qms.documents.models import Document
from qms.listings import checks, services_rescan
from qms.listings.models import Listing, RescanJob
from qms.merchants.models import MerchantCategory

from .factories import give_document, make_brand, make_category, make_listing, make_seller

pytestmark = pytest.mark.django_db

MERCHANTS = 5
_n = itertools.count(1)

# Queries a batch spends on each listing once everything shared is cached: the near-identical
# title lookup (one query per market; these listings sell in CN only). Everything else a check
# reads is per merchant, category, brand or market and is read once per batch. A listing with
# images adds one query (identical images of other merchants) and a newly flagged one adds its
# finding's writes; these listings have neither.
QUERIES_PER_LISTING = 1


def _title() -> str:
    token = hashlib.sha256(str(next(_n)).encode()).hexdigest()[:16]
    return f"测试商品 {token}"


@pytest.fixture
def shop(admin_user):
    """5 merchants selling 2 brands in 3 categories (one a subcategory) that require a
    business licence in CN; every merchant holds the licence and both brand authorisations."""
    food = make_category("rq-food", requires={"CN": ["business_licence"]})
    cats = [food, make_category("rq-food/tea", parent=food), make_category("rq-toys")]
    brands = [make_brand("Lanshan"), make_brand("Xihu")]
    owners, merchants = [], []
    for _ in range(MERCHANTS):
        merchant, owner = make_seller(cats[0])
        for cat in cats[1:]:
            MerchantCategory.objects.create(merchant=merchant, category=cat)
        give_document(merchant, "business_licence")
        for brand in brands:
            catalog_services.grant_brand_authorisation(
                actor=admin_user,
                brand_id=brand.pk,
                grantee_org_id=merchant.organisation_id,
                markets=["CN"],
                valid_from=dt.date(2020, 1, 1),
            )
        owners.append(owner)
        merchants.append(merchant)
    assert CategoryDocumentRequirement.objects.filter(category=food).count() == 1
    return cats, brands, owners, merchants


def add_listings(shop, per_merchant: int) -> None:
    cats, brands, owners, _merchants = shop
    for owner in owners:
        for i in range(per_merchant):
            listing = make_listing(
                owner,
                cat=cats[i % len(cats)].code,
                title=_title(),
                brand_id=brands[i % len(brands)].pk,
                price=Decimal("100.00") + i,
            )
            assert listing.state == "live", listing.latest_version.hits


def rescan_queries() -> tuple[int, RescanJob]:
    """The queries of one batch re-scanning every live listing."""
    job = RescanJob.objects.create(reason="query count", grace_days=7)
    with CaptureQueriesContext(connection) as captured:
        more = services_rescan.run_rescan_batch(job_id=job.pk, batch_size=1000)
    job.refresh_from_db()
    assert not more
    assert job.state == "done"
    return len(captured.captured_queries), job


def test_batch_queries_grow_only_by_the_per_listing_work(shop):
    add_listings(shop, per_merchant=10)
    count_50, job = rescan_queries()
    assert (job.processed, job.flagged) == (50, 0)
    add_listings(shop, per_merchant=10)
    count_100, job = rescan_queries()
    assert (job.processed, job.flagged) == (100, 0)
    assert count_100 - count_50 <= 50 * QUERIES_PER_LISTING
    # The rest is a fixed cost of the batch, set by its merchants, categories and brands, not
    # by its listings: selling permission ~4 queries per merchant and category (5 x 3),
    # brand authorisation 2 per merchant and brand (5 x 2), a price median per category, brand
    # and merchant (3 x 2 x 5; the merchant's own listings are left out), documents held per
    # merchant (5), category chains and requirements (~10), the job's own reads and writes.
    # 131 on both SQLite and PostgreSQL; before the cache a batch of 50 took 771 queries.
    assert count_50 - 50 * QUERIES_PER_LISTING <= 140


def test_a_batch_still_flags_with_the_cache(shop):
    """The cached reads give the same verdicts as reading afresh: a merchant losing its
    licence gets every listing flagged, the others none."""
    add_listings(shop, per_merchant=3)
    cats, _brands, _owners, merchants = shop
    loser = merchants[0]
    Document.objects.filter(organisation_id=loser.organisation_id).update(status="rejected")
    _count, job = rescan_queries()
    assert (job.processed, job.flagged) == (15, 2)  # its listings in the two food categories
    flagged = set(job.findings.values_list("merchant_org_id", flat=True))
    assert flagged == {loser.organisation_id}
    for listing in Listing.objects.filter(state="live").select_related("live_version"):
        fresh = checks.check_version(listing.live_version)
        cached = checks.check_version(listing.live_version, cache=checks.CheckCache())
        assert fresh.verdict == cached.verdict
        assert fresh.hits == cached.hits
    assert len(cats) == 3
