"""Near-identical titles of other merchants' live listings (SimHash fingerprint and bands
stored on every version; candidates by band, confirmed within ``NEAR_DUPLICATE_BITS``)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from qms.listings import services
from qms.listings.domain.similarity import (
    band_values,
    hamming,
    near_duplicate,
    title_fingerprint,
    to_signed,
    to_unsigned,
)
from qms.listings.models import Listing, ListingVersion

from .factories import category, make_category, make_listing, make_seller

pytestmark = pytest.mark.django_db

# 15 characters once folded; its fingerprint has the top bit set, so it is stored negative
KETTLE = "美的电热水壶 1.7L 不锈钢 家用款"
RULE = "listing.duplicate.title"


def title_hits(listing: Listing) -> list[dict]:
    listing.refresh_from_db()
    version = listing.latest_version
    assert version is not None
    return [h for h in version.hits if h["rule"] == RULE]


@pytest.fixture
def original():
    """Merchant A's live listing with the kettle title."""
    _m, owner = make_seller()
    listing = make_listing(owner, title=KETTLE)
    assert listing.state == "live"
    return listing


@pytest.fixture
def other_owner():
    return make_seller()[1]


def test_the_fingerprint_and_bands_are_stored_signed(original):
    version = ListingVersion.objects.get(listing=original)
    fingerprint = title_fingerprint(KETTLE)
    assert fingerprint >> 63 == 1
    assert version.title_fingerprint == to_signed(fingerprint) < 0
    assert to_unsigned(version.title_fingerprint) == fingerprint
    assert (
        version.title_band0,
        version.title_band1,
        version.title_band2,
        version.title_band3,
    ) == band_values(fingerprint)


def test_the_same_title_names_the_other_listing(original, other_owner):
    copy = make_listing(other_owner, title=KETTLE)
    hits = title_hits(copy)
    assert [(h["text"], h["field"], h["market"]) for h in hits] == [
        (f"L{original.pk}", "title", "CN")
    ]
    assert hits[0]["message_en"] == (
        f"Another merchant's live listing L{original.pk} has a near-identical title: compare "
        "the two listings."
    )
    assert (
        hits[0]["message_zh"]
        == f"其他商家的在售商品 L{original.pk} 标题与此几乎相同：请对比两个商品。"
    )
    assert copy.latest_version.state == "in_review"
    assert copy.state == "pending"


@pytest.mark.parametrize(
    "variant",
    [
        "美的电热水壶 １.７Ｌ 不锈钢 家用款",  # full width
        "美的 电热水壶1.7L不锈钢·家用款",  # spacing and symbols
        "美的電熱水壺 1.7L 不鏽鋼 家用款",  # traditional
        "美的电\u200b热水壶 1.7L 不锈钢 家用款",  # zero-width space
        "美的电热水壶 1.7L 不锈钢 家用款".replace("L", "Ⅼ"),  # look-alike (Roman numeral)
    ],
)
def test_evasive_variants_are_found(original, other_owner, variant):
    assert hamming(title_fingerprint(variant), title_fingerprint(KETTLE)) == 0
    copy = make_listing(other_owner, title=variant)
    assert [h["text"] for h in title_hits(copy)] == [f"L{original.pk}"]


def test_one_character_changed_within_the_threshold_is_found(original, other_owner):
    near = KETTLE[:-1] + "X"  # the last character replaced: 3 bits apart
    assert hamming(title_fingerprint(near), title_fingerprint(KETTLE)) == 3
    copy = make_listing(other_owner, title=near)
    assert [h["text"] for h in title_hits(copy)] == [f"L{original.pk}"]


def test_one_character_edits_are_flagged_exactly_when_within_the_threshold(original, other_owner):
    """Every single-character replacement of the title: flagged if and only if the fingerprints
    are within ``NEAR_DUPLICATE_BITS`` (a replacement inside a short title usually moves the
    fingerprint further than that)."""
    base = title_fingerprint(KETTLE)
    outcomes = []
    for i, char in enumerate(KETTLE):
        if not char.strip():
            continue
        for replacement in ("新", "X"):
            variant = KETTLE[:i] + replacement + KETTLE[i + 1 :]
            expected = near_duplicate(base, title_fingerprint(variant))
            copy = make_listing(other_owner, title=variant)
            assert bool(title_hits(copy)) is expected, (variant, expected)
            outcomes.append(expected)
    # of the 32 replacements only the last character -> "X" (3 bits) is within the threshold
    assert outcomes.count(True) == 1
    assert len(outcomes) == 32


@pytest.mark.parametrize(
    "different",
    [
        "苏泊尔电热水壶 1.5L 不锈钢 家用款",
        "美的电饭煲 4L 智能预约 家用款",
        "华为Mate60 Pro手机壳 磨砂防摔",
        "iPhone 15 Pro Max silicone case black",
    ],
)
def test_different_titles_are_not_found(original, other_owner, different):
    copy = make_listing(other_owner, title=different)
    assert title_hits(copy) == []
    assert copy.state == "live"


def test_the_same_merchants_listings_never_count(original):
    copy = make_listing(original.created_by, title=KETTLE)
    assert title_hits(copy) == []
    assert copy.state == "live"


def test_only_live_listings_in_the_same_category_count(original, other_owner):
    toys = make_category("toys")
    _m, toy_seller = make_seller(toys)
    assert title_hits(make_listing(toy_seller, cat="toys", title=KETTLE)) == []
    services.withdraw_listing(actor=original.created_by, listing_id=original.pk)
    assert title_hits(make_listing(other_owner, title=KETTLE)) == []


def test_the_nearest_of_several_is_named(original, other_owner):
    _m, third = make_seller()
    near = make_listing(third, title=KETTLE[:-1] + "X")
    assert near.state == "pending"  # it is itself near the original, so not live
    copy = make_listing(other_owner, title=KETTLE)
    assert [h["text"] for h in title_hits(copy)] == [f"L{original.pk}"]


def test_realistic_different_titles_are_far_apart():
    """Different products written to the same pattern (zh and en): none within the threshold."""
    titles = [
        "华为Mate60 Pro手机壳 磨砂防摔",
        "华为Mate60 Pro手机壳 透明防摔",
        "华为Mate50 Pro手机壳 磨砂防摔",
        "苹果iPhone15透明硅胶手机壳",
        "小米14Ultra手机壳全包防摔",
        "iPhone 15 Pro Max silicone case black",
        "iPhone 15 Pro Max silicone case white",
        "iPhone 14 Pro Max silicone case black",
        "Samsung Galaxy S24 clear phone case",
        "Anker USB-C charger 65W",
        "Anker USB-C charger 30W",
        "西湖龙井 明前特级 250g 礼盒",
        "西湖龙井 雨前一级 250g 礼盒",
        "婴儿纸尿裤 L码 52片",
        "婴儿纸尿裤 XL码 44片",
    ]
    prints = [title_fingerprint(t) for t in titles]
    closest = min(hamming(a, b) for i, a in enumerate(prints) for b in prints[i + 1 :])
    assert closest > 3


def test_the_migration_fills_existing_versions(original):
    ListingVersion.objects.filter(listing=original).update(
        title_fingerprint=0, title_band0=0, title_band1=0, title_band2=0, title_band3=0
    )
    migration = importlib.import_module("qms.listings.migrations.0003_version_title_fingerprint")
    migration.fill_title_fingerprints(django_apps, None)
    version = ListingVersion.objects.get(listing=original)
    assert to_unsigned(version.title_fingerprint) == title_fingerprint(KETTLE)
    assert version.title_band3 == band_values(title_fingerprint(KETTLE))[3]


def test_a_title_folding_to_nothing_is_never_a_duplicate(other_owner):
    _m, owner = make_seller()
    first = make_listing(owner, title="……！！")
    assert ListingVersion.objects.get(listing=first).title_fingerprint == 0
    assert title_hits(make_listing(other_owner, title="……！！")) == []
    assert category().code == "books"
