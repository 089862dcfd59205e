"""Generated data of bench/listing_rules: realistic listings and a 5,000+ term dictionary.

Deterministic (seeded). Listings are in the batch format: CN (Chinese) and EU (English),
14 categories, complete attributes most of the time, a banned term in about one listing in
five, and an evasion (spaces, zero-width characters, full-width or traditional forms,
symbols, look-alike letters) in a third of those. The vocabulary (products, sentences,
diseases, brands, attribute sets) is in ``listing_corpus.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qms.listings.domain.normalise import fold
from qms.shared.domain.rules import Rule
from qms.shared.domain.severity import Severity

_WORDS = json.loads(Path(__file__).with_suffix(".json").read_text(encoding="utf-8"))
DISEASES_ZH: list[str] = _WORDS["DISEASES_ZH"]
PREFIX_ZH: list[str] = _WORDS["PREFIX_ZH"]
DISEASES_EN: list[str] = _WORDS["DISEASES_EN"]
PREFIX_EN: list[str] = _WORDS["PREFIX_EN"]
BRANDS: list[str] = _WORDS["BRANDS"]
PREFIX_BRAND_ZH: list[str] = _WORDS["PREFIX_BRAND_ZH"]
PATTERN_BRAND_EN: list[str] = _WORDS["PATTERN_BRAND_EN"]
ADJ_ZH: list[str] = _WORDS["ADJ_ZH"]
SCOPES_ZH: list[str] = _WORDS["SCOPES_ZH"]
NOUNS_EN: list[str] = _WORDS["NOUNS_EN"]
SPECIES: list[str] = _WORDS["SPECIES"]
PARTS: list[str] = _WORDS["PARTS"]
OBJECTS_ZH: list[str] = _WORDS["OBJECTS_ZH"]
MAGIC_ZH: list[str] = _WORDS["MAGIC_ZH"]
EFFECTS_ZH: list[str] = _WORDS["EFFECTS_ZH"]
PRODUCTS_ZH: dict[str, list[str]] = _WORDS["PRODUCTS_ZH"]
SENTENCES_ZH: list[str] = _WORDS["SENTENCES_ZH"]
PRODUCTS_EN: dict[str, list[str]] = _WORDS["PRODUCTS_EN"]
SENTENCES_EN: list[str] = _WORDS["SENTENCES_EN"]
ATTRS_CN: dict[str, dict[str, str]] = _WORDS["ATTRS_CN"]
ATTRS_EU: dict[str, dict[str, str]] = _WORDS["ATTRS_EU"]


def _term_rule(i: int, term: str, kind: str, markets: frozenset[str]) -> Rule:
    return Rule(
        id=f"bench.term.{i:05d}",
        version=1,
        title=f"{kind}: {term}",
        legal_basis="generated for the benchmark",
        severity=Severity.HIGH,
        effective_from=dt.date(2026, 1, 1),
        markets=markets,
        message={"en": "Remove “{term}”.", "zh-hans": "请删除“{term}”。"},
        parameters={
            "type": "term",
            "kind": kind,
            "term": term,
            "allow": (),
            "exempt_categories": ("medical_device",) if kind == "medical_claim" else (),
        },
    )


def generated_terms() -> Iterator[tuple[str, str, frozenset[str]]]:
    """(term, kind, markets) of realistic generated terms."""
    cn, both = frozenset({"CN"}), frozenset({"CN", "EU"})
    for d in DISEASES_ZH:
        for p in PREFIX_ZH:
            yield p + d, "medical_claim", cn
    for d in DISEASES_EN:
        for p in PREFIX_EN:
            yield f"{p} {d.replace('-', ' ')}", "medical_claim", both
    for pair in BRANDS:
        zh, en = pair.split("/")
        en = en.replace("-", " ")
        for p in PREFIX_BRAND_ZH:
            yield p + zh, "counterfeit", cn
        for pattern in PATTERN_BRAND_EN:
            yield pattern.format(b=en), "counterfeit", both
    for a in ADJ_ZH:
        yield "最" + a, "absolute_claim", cn
        yield "史上最" + a, "absolute_claim", cn
        yield "全网最" + a, "absolute_claim", cn
    for s in SCOPES_ZH:
        yield s + "第一", "absolute_claim", cn
        yield s + "销量第一", "absolute_claim", cn
        yield s + "排名第一", "absolute_claim", cn
    for n in NOUNS_EN:
        for p in ("best", "world's best", "number one", "the best", "ultimate", "perfect"):
            yield f"{p} {n}", "absolute_claim", cn
        yield f"{n} no.1", "absolute_claim", cn
    for s in SPECIES:
        for part in PARTS:
            yield s + part, "prohibited_item", cn
    for v in MAGIC_ZH:
        for o in OBJECTS_ZH:
            yield v + o, "superstition", cn
    for d in DISEASES_ZH:
        for suffix in ("克星", "特效药", "偏方", "神药"):
            yield d + suffix, "medical_claim", cn
    for d in DISEASES_EN:
        for suffix in ("cure", "remedy"):
            yield f"{d.replace('-', ' ')} {suffix}", "medical_claim", both
    for pair in BRANDS:
        zh = pair.split("/")[0]
        yield zh + "同款", "counterfeit", cn
        yield zh + "平替", "counterfeit", cn
    for days in range(1, 31):
        for effect in EFFECTS_ZH:
            yield f"{days}天{effect}", "medical_claim", cn
        yield f"lose {days} kg", "medical_claim", both


def bench_rules(real: list[Rule], minimum: int = 5000) -> list[Rule]:
    """The real rules plus generated term rules: at least ``minimum`` distinct terms."""
    seen = {fold(r.parameters["term"]) for r in real if r.parameters.get("type") == "term"}
    out = list(real)
    for i, (term, kind, markets) in enumerate(generated_terms()):
        key = fold(term)
        if key and key not in seen:
            seen.add(key)
            out.append(_term_rule(i, term, kind, markets))
    if len(seen) < minimum:
        raise RuntimeError(f"only {len(seen)} distinct terms generated")
    return out


_ZW = ("\u200b", "\u200c", "\u200d", "\u2060")
_SYM = ("*", "_", "·", "-", ".", "/", "~")


def _evade(rng: random.Random, text: str) -> str:
    how = rng.randrange(5)
    if how == 0:
        return rng.choice(_ZW).join(text)
    if how == 1:
        return " ".join(text)
    if how == 2:
        return rng.choice(_SYM).join(text)
    if how == 3:
        return "".join(chr(ord(c) + 0xFEE0) if 0x21 <= ord(c) <= 0x7E else c for c in text)
    return text.upper()


def listings(n: int, *, seed: int, terms: list[tuple[str, str]]) -> Iterator[dict[str, Any]]:
    """``n`` listings. ``terms`` are (term, market) pairs to plant in about 20% of them."""
    rng = random.Random(seed)
    zh_terms = [t for t, m in terms if m == "CN"]
    en_terms = [t for t, m in terms if m == "EU"]
    categories = list(PRODUCTS_ZH)
    for i in range(n):
        cn = rng.random() < 0.7
        category = rng.choice(categories)
        if cn:
            product = rng.choice(PRODUCTS_ZH[category])
            title = (
                f"{rng.choice(('新款', '家用', '正品', '包邮', '热卖', ''))}{product} "
                f"{rng.randint(1, 12) * 50}{rng.choice(('g', 'ml', '件', '只', '套'))} "
                f"{rng.choice(ADJ_ZH)}"
            )
            sentences = rng.sample(SENTENCES_ZH, rng.randint(2, 5))
            attributes = dict(ATTRS_CN.get(category, {}))
        else:
            product = rng.choice(PRODUCTS_EN[category])
            title = (
                f"{rng.choice(('Premium', 'Classic', 'Compact', 'Everyday', 'New'))} "
                f"{product}, {rng.randint(1, 12) * 50} {rng.choice(('g', 'ml', 'cm', 'pcs'))}"
            )
            sentences = rng.sample(SENTENCES_EN, rng.randint(2, 5))
            attributes = dict(ATTRS_EU.get(category, {}))
        roll = rng.random()
        if roll < 0.2:
            term = rng.choice(zh_terms if cn else en_terms)
            if rng.random() < 0.33:
                term = _evade(rng, term)
            if rng.random() < 0.4:
                title = f"{title} {term}"
            else:
                sentences.insert(
                    rng.randrange(len(sentences) + 1), f"{term}。" if cn else f"{term}."
                )
        if attributes and roll > 0.9:
            attributes.pop(rng.choice(list(attributes)))
        elif attributes and roll > 0.87:
            key = rng.choice(list(attributes))
            attributes[key] = "n/a"
        yield {
            "id": f"L{i:07d}",
            "market": "CN" if cn else "EU",
            "category": category,
            "title": title,
            "description": ("" if cn else " ").join(sentences),
            "attributes": attributes,
        }
