"""Listing texts for the demo marketplace: the labelled listings of the listings context's
evaluation set (``qms/listings/data/evaluation.jsonl``), placed in the catalog's categories.

The evaluation set uses the category codes of the listing batch format (``food/beverage``,
``electronics/audio``, or only a top-level code such as ``cosmetics``); the catalog has its own
leaf codes (``food/beverages``, ``electronics/headphones_audio``). ``SPEC_TO_CATALOG`` maps the
finer codes; a row with only a top-level code is placed by the words of its title
(``LEAF_WORDS``). ``Listing.as_check_input`` hands the rule engine the catalog code, so a
text's verdict is computed here with the engine in force on the catalog code it will be
listed under (``verdict_of``), not taken from the labels.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from qms.listings.domain.evaluation import load_cases
from qms.listings.rules import check_listing

from .demo_listing_catalogue import DESCRIPTIONS, LEAF_PRODUCTS

# batch-format category code -> catalog category code (None: not sold on the marketplace)
SPEC_TO_CATALOG: dict[str, str | None] = {
    "apparel/accessories": "apparel/accessories",
    "apparel/bags": "apparel/bags",
    "apparel/kids": "baby/clothing",
    "apparel/men": "apparel/mens",
    "apparel/shoes": "apparel/shoes",
    "apparel/women": "apparel/womens",
    "baby/infant_formula": "baby/infant_formula",
    "collectibles/antiques": "collectibles/antiques",
    "electronics/audio": "electronics/headphones_audio",
    "electronics/home": "electronics/large_appliances",
    "electronics/kitchen": "electronics/kitchen_appliances",
    "electronics/lighting": "home/lighting",
    "electronics/personal": "electronics/personal_care_appliances",
    "electronics/phone": "electronics/phone_accessories",
    "electronics/security": "electronics/cameras",
    "food/beverage": "food/beverages",
    "food/cereal": "food/grain_oil",
    "food/coffee": "food/beverages",
    "food/condiment": "food/condiments",
    "food/dairy": "food/dairy",
    "food/fresh": "food/fresh_produce",
    "food/frozen": "food/frozen",
    "food/grain": "food/grain_oil",
    "food/honey": "food/condiments",
    "food/imported": "food/imported",
    "food/noodle": "food/grain_oil",
    "food/oil": "food/grain_oil",
    "food/snacks": "food/snacks",
    "food/tea": "food/tea",
    "home/bath": "home/bedding",
    "home/bedding": "home/bedding",
    "home/cleaning": "home/cleaning",
    "home/decor": "home/decor",
    "home/disinfectant": "home/cleaning",
    "home/garden": "home/decor",
    "home/kitchen": "home/kitchenware",
    "home/party": "home/decor",
    "home/services": None,
    "home/storage": "home/storage",
    "home/textile": "home/bedding",
    "home/tools": "home/power_tools",
    "pet/food": "pet/food",
}

# catalog leaf -> words of a title that put a top-level row there (zh simplified and
# traditional, en lower case); the first leaf whose word occurs wins
LEAF_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("health_supplement/fish_oil", ("鱼油", "魚油", "fish oil", "omega")),
    ("health_supplement/protein", ("蛋白粉", "protein")),
    ("health_supplement/probiotics", ("益生菌", "probiotic")),
    ("health_supplement/herbal_tonics", ("灵芝", "靈芝", "人参", "人參", "阿胶", "燕窝")),
    (
        "health_supplement/vitamins",
        ("维生素", "維生素", "钙", "鈣", "vitamin", "magnesium", "iron", "zinc"),
    ),
    ("cosmetics/sunscreen", ("防晒", "防曬", "sunscreen", "spf")),
    ("cosmetics/hair_dye", ("染发", "染髮", "hair dye", "hair colour")),
    ("cosmetics/haircare", ("洗发", "洗髮", "护发", "shampoo", "conditioner")),
    ("cosmetics/fragrance", ("香水", "perfume", "eau de")),
    ("cosmetics/oral_care", ("牙膏", "toothpaste", "mouthwash")),
    ("cosmetics/makeup", ("口红", "口紅", "眼影", "粉底", "lipstick", "mascara", "eyeshadow")),
    ("cosmetics/bath_body", ("沐浴", "身体乳", "hand cream", "body lotion", "shower")),
    (
        "cosmetics/skincare",
        ("面霜", "洗面奶", "精华", "精華", "面膜", "保湿", "保溼", "facial", "serum", "cream"),
    ),
    ("toys/plush", ("毛绒", "毛絨", "公仔", "plush", "teddy")),
    ("toys/electric", ("遥控", "遙控", "电动", "remote control", "rc ")),
    ("toys/building_blocks", ("积木", "積木", "拼装", "拼裝", "磁力片", "building", "tiles")),
    ("toys/dolls", ("娃娃", "doll", "model car")),
    ("toys/educational", ("拼图", "拼圖", "益智", "puzzle", "train set", "wooden")),
    ("medical_device/blood_pressure", ("血压", "血壓", "blood pressure")),
    ("medical_device/thermometers", ("体温", "體溫", "额温", "額溫", "thermometer")),
    ("medical_device/masks", ("口罩", "mask")),
    ("medical_device/dressings", ("棉签", "冷敷", "敷贴", "bandage", "plaster", "dressing")),
    ("medical_device/mobility", ("牵引", "牽引", "轮椅", "wheelchair", "walking")),
    ("medical_device/home_tests", ("试纸", "test kit")),
    ("pet/food", ("猫粮", "狗粮", "dog food", "cat food")),
    ("pet/toys", ("猫抓", "逗猫", "scratching", "chew toy")),
    ("pet/supplies", ("喂食器", "宠物", "dog bed", "dog coat", "collar", "lead")),
    ("outdoor/camping", ("帐篷", "帳篷", "露营", "tent", "camping", "stove", "water bottle")),
    ("outdoor/sportswear", ("速干", "base layer", "jacket")),
    ("outdoor/fitness", ("登山杖", "瑜伽", "trekking", "yoga", "dumbbell")),
    ("books/childrens_books", ("绘本", "童书", "little prince", "children")),
    ("books/books", ("《", "书", "書", "地图集", "手帐", "手帳", "易经", "易經", "guide", "book")),
    ("collectibles/coins_stamps", ("纪念币", "紀念幣", "邮票", "coin", "stamp")),
    ("collectibles/figures", ("手办", "pin set", "figure")),
    ("collectibles/antiques", ("老物件", "古董", "antique", "vintage")),
    ("baby/strollers", ("推车", "推車", "stroller", "pram")),
    ("baby/feeding", ("奶瓶", "bottle", "餐具")),
    ("baby/baby_care", ("湿巾", "濕巾", "wipes", "护臀")),
    ("baby/clothing", ("睡袋", "sleeping bag", "连体衣")),
)


@dataclass(frozen=True)
class Text:
    """One evaluation row placed in a catalog leaf."""

    id: str
    leaf: str
    market: str
    title: str
    description: str
    attributes: Mapping[str, str]
    tags: tuple[str, ...]

    @property
    def language(self) -> str:
        return "zh-Hans" if "zh" in self.tags else "en"


def leaf_of(spec_category: str, title: str) -> str | None:
    """The catalog leaf an evaluation row is listed under (None: nowhere)."""
    if spec_category in SPEC_TO_CATALOG:
        return SPEC_TO_CATALOG[spec_category]
    if "/" in spec_category:
        return None
    lowered = title.casefold()
    for leaf, words in LEAF_WORDS:
        if leaf.split("/")[0] == spec_category and any(w in lowered for w in words):
            return leaf
    return None


@lru_cache(maxsize=1)
def evaluation_texts() -> dict[tuple[str, str], tuple[Text, ...]]:
    """(catalog leaf, market) -> the evaluation texts that fit it, in file order."""
    out: dict[tuple[str, str], list[Text]] = defaultdict(list)
    for case in load_cases():
        leaf = leaf_of(case["category"], case["title"])
        if leaf is None:
            continue
        out[(leaf, case["market"])].append(
            Text(
                id=case["id"],
                leaf=leaf,
                market=case["market"],
                title=case["title"],
                description=case.get("description", ""),
                attributes={str(k): str(v) for k, v in (case.get("attributes") or {}).items()},
                tags=tuple(case.get("tags", ())),
            )
        )
    return {key: tuple(rows) for key, rows in out.items()}


def compliant_attributes(top: str, market: str) -> dict[str, str] | None:
    """The attributes of the first evaluation text of ``top`` in ``market`` the engine
    approves (producer, licence numbers, standards: what a catalogue text borrows)."""
    for (leaf, mk), rows in sorted(evaluation_texts().items()):
        if mk == market and leaf.split("/")[0] == top:
            for text in rows:
                if verdict_of(text, leaf=leaf) == "approve":
                    return dict(text.attributes)
    return None


@lru_cache(maxsize=1)
def texts_by_leaf() -> dict[tuple[str, str], tuple[Text, ...]]:
    """(catalog leaf, market) -> the evaluation texts that fit it, then the catalogue's
    products of the leaf (``demo_listing_catalogue``) with borrowed attributes."""
    out = {key: list(rows) for key, rows in evaluation_texts().items()}
    for leaf, products in LEAF_PRODUCTS.items():
        top = leaf.split("/")[0]
        for market in ("CN", "EU"):
            attributes = compliant_attributes(top, market) or compliant_attributes(top, "CN")
            if attributes is None:
                continue
            zh_text, en_text = DESCRIPTIONS[top]
            for n, (zh, en) in enumerate(products):
                name, template = (zh, zh_text) if market == "CN" else (en, en_text)
                out.setdefault((leaf, market), []).append(
                    Text(
                        id=f"catalogue:{leaf}:{market}:{n}",
                        leaf=leaf,
                        market=market,
                        title=name,
                        description=template.format(name=name),
                        attributes=attributes,
                        tags=("zh" if market == "CN" else "en", "compliant", "catalogue"),
                    )
                )
    return {key: tuple(rows) for key, rows in out.items()}


def check_input(
    *, leaf: str, market: str, title: str, description: str, attributes: Mapping[str, str]
) -> dict[str, Any]:
    return {
        "id": "demo",
        "market": market,
        "category": leaf,
        "title": title,
        "description": description,
        "attributes": dict(attributes),
        "brand": "",
        "gtin": "",
        "price": None,
        "currency": "CNY",
    }


_verdicts: dict[tuple[str, str, str], str] = {}


def verdict_of(text: Text, *, leaf: str) -> str:
    """The rule engine's verdict (approve, review, reject) on the text under ``leaf``."""
    key = (text.id, leaf, text.market)
    if key not in _verdicts:
        listing = check_input(
            leaf=leaf,
            market=text.market,
            title=text.title,
            description=text.description,
            attributes=text.attributes,
        )
        result = check_listing(listing, market=text.market)
        _verdicts[key] = str(getattr(result.verdict, "value", result.verdict))
    return _verdicts[key]


# What merchants add to a compliant text that the rules catch: (title addition, description
# addition, label). A ``review`` addition is a medium-severity claim (a reviewer decides), a
# ``reject`` one a high-severity claim, an evasive spelling of one, or a removed required
# attribute (``None``). Each candidate is checked with the engine before it is used.
ADDITIONS: dict[tuple[str, str], tuple[tuple[str, str, str] | None, ...]] = {
    ("review", "zh-Hans"): (
        (" 顶级品质", "精选顶级原料，品质稳定。", "medium-severity claim 顶级"),
        (" 国家专利", "采用国家专利工艺。", "medium-severity claim 国家专利"),
        (" 原装进口", "原装进口，品质保证。", "medium-severity claim 原装进口"),
        (" 央视推荐", "曾获央视推荐。", "medium-severity claim 央视推荐"),
    ),
    ("review", "en"): (
        (" - clinically proven", "Clinically proven formula.", "medium-severity claim"),
        (", FDA approved", "FDA approved materials.", "medium-severity claim"),
        (", finest quality", "Our finest quality yet.", "medium-severity claim"),
        (" detox", "Supports a natural detox.", "medium-severity claim"),
    ),
    ("reject", "zh-Hans"): (
        (" 全网最好", "全网最好的选择。", "absolute claim 最好"),
        (" 国\u200b家\u200b级", "国家级品质。", "evasive spelling of 国家级"),
        (" 国家免检", "国家免检产品。", "false quality mark 国家免检"),
        None,
    ),
    ("reject", "en"): (
        (" - the best", "Simply the best you can buy.", "absolute claim (CN market)"),
        (", 1:1 copy", "1:1 copy of the original design.", "counterfeit claim"),
        (" - c u r e s  c a n c e r", "Natural remedy.", "evasive medical claim"),
        None,
    ),
}


def with_addition(
    text: Text, *, leaf: str, intent: str, offset: int
) -> tuple[str, str, dict[str, str], str] | None:
    """A variant of the (compliant) text that the engine gives the ``intent`` verdict:
    (title, description, attributes, label), trying the additions from ``offset`` on."""
    options = ADDITIONS.get((intent, text.language), ())
    for i in range(len(options)):
        option = options[(offset + i) % len(options)]
        attributes = dict(text.attributes)
        if option is None:
            if not attributes:
                continue
            dropped = sorted(attributes)[offset % len(attributes)]
            attributes.pop(dropped)
            title, description = text.title, text.description
            label = f"missing attribute {dropped}"
        else:
            title = text.title + option[0]
            description = (text.description + " " + option[1]).strip()
            label = option[2]
        listing = check_input(
            leaf=leaf,
            market=text.market,
            title=title,
            description=description,
            attributes=attributes,
        )
        verdict = check_listing(listing, market=text.market).verdict
        if str(getattr(verdict, "value", verdict)) == intent:
            return title, description, attributes, label
    return None
