"""The engine: terms, allowed contexts, scope, Latin word boundaries, attributes, verdicts."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qms.listings.domain import check_listing, engine_on
from qms.listings.domain.attributes import gtin_valid

ON = dt.date(2026, 11, 25)


def hits(text: str) -> list[tuple[str, str]]:
    return [(h.kind, h.text) for h in engine_on(ON).match(text)]


def check(listing: dict, market: str = "CN"):
    return check_listing(listing, market=market, on=ON)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全网第一！第一次购买送礼", [("absolute_claim", "全网第一")]),
        ("第一泡洗茶，第一时间发货", []),
        ("國家級 最　佳", [("absolute_claim", "國家級"), ("absolute_claim", "最　佳")]),
        ("最\u200b佳口感", [("absolute_claim", "最\u200b佳")]),
        ("象牙白 衬衫", []),
        ("老象牙 雕刻", [("prohibited_item", "象牙")]),
        ("手枪钻 套装", []),
        ("最大功率1200W", []),
        ("The b e s t tea", [("absolute_claim", "b e s t")]),
        ("best before 2027", []),
        ("Bob est quality", []),
        ("Plan B est.", []),
        ("ｂｅｓｔ", [("absolute_claim", "ｂｅｓｔ")]),
        ("Вest choice", [("absolute_claim", "Вest")]),
        ("No.1 brand", [("absolute_claim", "No.1")]),
        ("No. 10 bus", []),
        ("Closing-down sale", [("eu_misleading", "Closing-down sale")]),
        ("Fake ID", [("prohibited_item", "Fake ID")]),
        ("fake fur collar", []),
        ("100%纯棉 100%有效", [("absolute_claim", "100%")]),
    ],
)
def test_term_matching(text, expected):
    assert hits(text) == expected


def test_spans_point_into_the_original_field():
    verdict = check({"category": "toys", "title": "积木 最 好 玩", "description": "全网第一"})
    by_field = {(h.field, h.start, h.end, h.text) for h in verdict.hits}
    assert ("title", 3, 6, "最 好") in by_field
    assert ("description", 0, 4, "全网第一") in by_field


def test_scope_market_and_exempt_category():
    claim = {"title": "缓解疼痛 治疗颈椎病"}
    home = check({**claim, "category": "home"})
    assert [h.kind for h in home.hits if h.field == "title"] == ["medical_claim"] * 2
    device = check({**claim, "category": "medical_device/therapy"})
    assert [h for h in device.hits if h.kind == "medical_claim"] == []
    eu = check({"title": "the best kettle", "category": "books"}, market="EU")
    assert [h.kind for h in eu.hits if h.field == "title"] == []


def test_health_function_allowed_for_health_food_only():
    text = {"title": "增强免疫力 蛋白粉"}
    assert [h.text for h in check({**text, "category": "food"}).hits if h.field == "title"] == [
        "增强免疫力"
    ]
    supplement = check({**text, "category": "health_supplement"})
    assert [h for h in supplement.hits if h.field == "title"] == []


def test_severity_decides_reject_or_review():
    assert check({"category": "books", "title": "国家级"}).verdict == "reject"
    assert check({"category": "books", "title": "首选读物"}).verdict == "review"
    assert check({"category": "books", "title": "一本好书"}).verdict == "approve"


def test_required_and_malformed_attributes():
    listing = {
        "category": "food/tea",
        "title": "龙井",
        "attributes": {
            "brand": "狮峰",
            "ingredients": "绿茶",
            "net_content": "250g",
            "shelf_life": "18个月",
            "storage": "密封",
            "producer": "某茶业",
            "producer_address": "杭州",
            "producer_contact": "0571-1",
            "sc_licence_no": "SC1143301060012",
            "product_standard": "GB/T 18650",
        },
    }
    found = [(h.kind, h.field, h.text) for h in check(listing).hits]
    assert found == [("malformed_attribute", "attributes.sc_licence_no", "SC1143301060012")]
    listing["attributes"]["sc_licence_no"] = "SC11433010600123"
    assert check(listing).verdict == "approve"
    del listing["attributes"]["shelf_life"]
    assert [(h.kind, h.field) for h in check(listing).hits] == [
        ("missing_attribute", "attributes.shelf_life")
    ]
    listing["attributes"]["abv"] = "12%vol"
    assert check(listing).hits == []


def test_eu_responsible_person_only_for_non_eu_manufacturers():
    base = {
        "category": "home",
        "title": "Enamel pot",
        "attributes": {
            "manufacturer_name": "X",
            "manufacturer_address": "Hauptstr. 1, Berlin, Germany",
            "manufacturer_email": "a@b.de",
            "product_id": "T-1",
            "safety_warnings": "Hot.",
        },
    }
    assert check(base, "EU").hits == []
    base["attributes"]["manufacturer_address"] = "Ningbo, China"
    assert sorted(h.field for h in check(base, "EU").hits) == [
        "attributes.eu_rp_address",
        "attributes.eu_rp_email",
        "attributes.eu_rp_name",
    ]


def test_tobacco_is_banned_in_cn():
    verdict = check({"category": "tobacco", "title": "烟斗"})
    assert [(h.kind, h.field, h.text) for h in verdict.hits] == [
        ("prohibited_item", "category", "tobacco")
    ]
    assert verdict.verdict == "reject"


def test_gtin_check_digit():
    assert gtin_valid("4006381333931")
    assert not gtin_valid("4006381333932")
    assert not gtin_valid("40063813339")


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(
    listing=st.fixed_dictionaries(
        {},
        optional={
            "category": st.sampled_from(["food", "toys", "medical_device", "x/y", ""]) | JSONISH,
            "title": st.text(max_size=40) | JSONISH,
            "description": st.text(max_size=80) | JSONISH,
            "attributes": st.dictionaries(st.text(max_size=12), JSONISH, max_size=5) | JSONISH,
            "brand": JSONISH,
            "gtin": JSONISH,
        },
    ),
    market=st.sampled_from(["CN", "EU", "cn"]),
)
def test_any_listing_gets_a_verdict_and_spans_that_fit(listing, market):
    verdict = check_listing(listing, market=market, on=ON)
    assert verdict.verdict in ("approve", "review", "reject")
    for hit in verdict.hits:
        if hit.field in ("title", "description"):
            assert listing[hit.field][hit.start : hit.end] == hit.text
