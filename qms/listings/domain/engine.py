"""The listing rule engine: normalisation + Aho-Corasick matching + attribute rules. Pure Python.

``Engine(rules)`` compiles the rules in force (``term``, ``attribute_required``,
``attribute_format``, ``category_ban``; see ``ruleset``) once; ``Engine.check(listing,
market=)`` then returns a ``Verdict`` with every hit, its span in the ORIGINAL text.

Terms and their allowed contexts share one automaton over the normalised text. A banned match
is dropped when an allowed context of that term covers it (第一次 covers 第一), when the rule
does not apply to the listing's market or category, and, for terms that begin or end with a
Latin letter or digit, when the original text glues it to other letters (``bestseller`` is
not ``best``; ``Bob est`` is not ``best``) or splits it at spaces that are not letter-by-letter
evasion (``b e s t`` is). Of overlapping matches of one kind the longest is kept, and a
match inside a longer match of another kind is dropped (``Fake ID`` is a prohibited item, not
also a counterfeit ``fake``).

The verdict: ``reject`` when a hit is ``high`` or ``critical``; ``review`` when there are
other hits; ``approve`` otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import ahocorasick

from qms.shared.domain.rules import Rule
from qms.shared.domain.severity import Severity

from .attributes import (
    TOP_LEVEL_KEYS,
    SchemePlan,
    attributes_of,
    category_matches,
    condition_holds,
    plan_schemes,
    value_of,
)
from .normalise import _TABLE, Normalised, fold

TEXT_FIELDS = ("title", "description")
APPROVE, REVIEW, REJECT = "approve", "review", "reject"
_REJECT_RANK = Severity.HIGH.rank
_FIELD_SEPARATOR = "\x1f"  # never in a normalised text (controls are dropped), so no term spans it


@dataclass(frozen=True, slots=True)
class Hit:
    """One finding. ``start``/``end`` index the original text of ``field`` (for a missing
    attribute both are 0 and ``text`` is empty; for a malformed one they span the value)."""

    rule: str
    kind: str
    field: str
    start: int
    end: int
    text: str
    severity: Severity = Severity.HIGH
    version: int = 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    verdict: str
    hits: list[Hit] = field(default_factory=list)

    @classmethod
    def of(cls, hits: list[Hit]) -> Verdict:
        if not hits:
            return cls(APPROVE, hits)
        worst = max(h.severity.rank for h in hits)
        return cls(REJECT if worst >= _REJECT_RANK else REVIEW, hits)


class _Term(NamedTuple):
    rule: str
    version: int
    kind: str
    severity: Severity
    markets: frozenset[str]
    categories: tuple[str, ...]
    exempt: tuple[str, ...]
    latin_start: bool
    latin_end: bool
    words: tuple[str, ...]


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


class Engine:
    """The compiled rules of one date. Build once, check many listings."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.terms: list[_Term] = []
        self.attribute_rules: list[Rule] = []
        self.category_bans: list[Rule] = []
        keys: dict[str, tuple[list[int], list[int]]] = {}
        for rule in rules:
            kind = rule.parameters.get("type")
            if kind == "term":
                self._add_term(rule, keys)
            elif kind in ("attribute_required", "attribute_format"):
                self.attribute_rules.append(rule)
            elif kind == "category_ban":
                self.category_bans.append(rule)
        self.automaton = ahocorasick.Automaton()
        for key, (banned, allowing) in keys.items():
            self.automaton.add_word(key, (len(key), tuple(banned), frozenset(allowing)))
        if not keys:
            self.automaton.add_word(_FIELD_SEPARATOR * 2, (2, (), frozenset()))  # never matches
        self.automaton.make_automaton()
        self._scope: dict[tuple[str, str], frozenset[int]] = {}
        self._bans: dict[tuple[str, str], list[Rule]] = {}
        self._attr_scope: dict[tuple[str, str], list[SchemePlan]] = {}

    def _add_term(self, rule: Rule, keys: dict[str, tuple[list[int], list[int]]]) -> None:
        p = rule.parameters
        key = fold(p["term"])
        if not key:
            return
        index = len(self.terms)
        self.terms.append(
            _Term(
                rule.id,
                rule.version,
                p["kind"],
                rule.severity,
                rule.markets,
                tuple(sorted(rule.categories)),
                tuple(p.get("exempt_categories", ())),
                _is_latin(key[0]),
                _is_latin(key[-1]),
                tuple(fold(w) for w in p["term"].split()),
            )
        )
        keys.setdefault(key, ([], []))[0].append(index)
        for context in p.get("allow", ()):
            allow_key = fold(context)
            if allow_key and allow_key != key and key in allow_key:
                keys.setdefault(allow_key, ([], []))[1].append(index)

    # ---- scope ----

    def _build_scope(self, market: str, category: str) -> frozenset[int]:
        """The terms (and category bans) that apply in ``market`` to ``category``."""
        scope = frozenset(
            i
            for i, t in enumerate(self.terms)
            if (not t.markets or market in t.markets)
            and (not t.categories or category_matches(category, t.categories))
            and not (t.exempt and category_matches(category, t.exempt))
        )
        self._bans[(market, category)] = [
            r for r in self.category_bans if r.applies_to(market=market, category=category)
        ]
        self._scope[(market, category)] = scope
        return scope

    def _attributes_in_scope(self, market: str, category: str) -> list[SchemePlan]:
        plans = self._attr_scope.get((market, category))
        if plans is None:
            rules = [
                r for r in self.attribute_rules if r.applies_to(market=market, category=category)
            ]
            plans = plan_schemes(rules, category) or []
            self._attr_scope[(market, category)] = plans
        return plans

    # ---- checking ----

    def check(self, listing: Mapping[str, Any], *, market: str) -> Verdict:
        market = market.upper()
        category = str(listing.get("category") or "").strip("/")
        scope_key = (market, category)
        scope = self._scope.get(scope_key)
        if scope is None:
            scope = self._build_scope(market, category)
        hits: list[Hit] = [
            Hit(
                rule.id,
                rule.parameters["kind"],
                "category",
                0,
                len(category),
                category,
                rule.severity,
                rule.version,
            )
            for rule in self._bans.get(scope_key, ())
        ]
        texts = [t if isinstance(t, str) else "" for t in (listing.get(f) for f in TEXT_FIELDS)]
        folded = [t.translate(_TABLE) for t in texts]
        joined = _FIELD_SEPARATOR.join(folded)
        found = list(self.automaton.iter(joined)) if joined else []
        if found:
            hits.extend(self._term_hits(found, texts, folded, scope))
        hits.extend(self._attribute_hits(listing, market, category))
        return Verdict.of(hits)

    def match(
        self, text: str, *, field: str = "text", scope: frozenset[int] | None = None
    ) -> list[Hit]:
        """The term hits in ``text`` (all terms when ``scope`` is None)."""
        norm = Normalised(text)
        return self._field_hits(list(self.automaton.iter(norm.text)), norm, field, scope)

    def _term_hits(
        self,
        found: list[tuple[int, Any]],
        texts: list[str],
        folded: list[str],
        scope: frozenset[int],
    ) -> list[Hit]:
        hits: list[Hit] = []
        offset = 0
        for name, text, norm_text in zip(TEXT_FIELDS, texts, folded, strict=True):
            end = offset + len(norm_text)
            mine = [(e - offset, v) for e, v in found if offset <= e < end]
            if mine:
                hits.extend(self._field_hits(mine, Normalised(text, norm_text), name, scope))
            offset = end + len(_FIELD_SEPARATOR)
        return hits

    def _field_hits(
        self,
        found_raw: list[tuple[int, Any]],
        norm: Normalised,
        field: str,
        scope: frozenset[int] | None,
    ) -> list[Hit]:
        found: list[tuple[int, int, int]] = []
        allowed: list[tuple[int, int, frozenset[int]]] = []
        for end, (length, banned, allowing) in found_raw:
            start = end - length + 1
            for t in banned:
                if scope is None or t in scope:
                    found.append((start, end + 1, t))
            if allowing:
                allowed.append((start, end + 1, allowing))
        if not found:
            return []
        hits: list[tuple[int, int, int, int]] = []
        for start, end, t in found:
            if any(a_s <= start and end <= a_e and t in ids for a_s, a_e, ids in allowed):
                continue
            o_start, o_end = norm.span(start, end)
            if not self._latin_ok(self.terms[t], norm, o_start, o_end):
                continue
            hits.append((end - start, o_start, o_end, t))
        return self._longest_per_kind(hits, norm.original, field)

    def _latin_ok(self, term: _Term, norm: Normalised, o_start: int, o_end: int) -> bool:
        if not (term.latin_start or term.latin_end):
            return True
        if term.latin_start and norm.glued_before(o_start):
            return False
        if term.latin_end and norm.glued_after(o_end):
            return False
        chunks = norm.original[o_start:o_end].split()
        if len(chunks) <= 1:
            return True
        folded = [fold(c) for c in chunks]
        if all(len(c) <= 2 for c in folded):
            return True  # letter-by-letter evasion: "b e s t"
        return _breaks(folded) <= _breaks(term.words)  # spaces only where the term has them

    def _longest_per_kind(
        self, hits: list[tuple[int, int, int, int]], text: str, field: str
    ) -> list[Hit]:
        """Longest (normalised length) first, then leftmost: drop a hit that overlaps a kept
        one of its kind or lies inside a kept one of any kind."""
        terms = self.terms
        hits.sort(key=lambda h: (-h[0], h[1]))
        kept: list[tuple[int, int, int]] = []
        for _length, start, end, t in hits:
            kind = terms[t].kind
            if any(
                (k_s <= start and end <= k_e)
                or (terms[k].kind == kind and start < k_e and k_s < end)
                for k_s, k_e, k in kept
            ):
                continue
            kept.append((start, end, t))
        kept.sort()
        return [
            Hit(
                terms[t].rule,
                terms[t].kind,
                field,
                s,
                e,
                text[s:e],
                terms[t].severity,
                terms[t].version,
            )
            for s, e, t in kept
        ]

    def _attribute_hits(self, listing: Mapping[str, Any], market: str, category: str) -> list[Hit]:
        hits: list[Hit] = []
        attributes = attributes_of(listing)
        for plan in self._attributes_in_scope(market, category):
            if not plan.applies(listing):
                continue
            for key, rule, unless, plain in plan.required:
                if plain:
                    raw = attributes.get(key)
                    if raw.__class__ is str and raw.strip():
                        continue
                field_name, value = value_of(listing, key)
                if value or any(condition_holds(c, listing, category) for c in unless):
                    continue
                hits.append(
                    Hit(
                        rule.id,
                        "missing_attribute",
                        field_name,
                        0,
                        0,
                        "",
                        rule.severity,
                        rule.version,
                    )
                )
            for key, rule, check, params in plan.formats:
                if key not in attributes and key not in TOP_LEVEL_KEYS:
                    continue
                field_name, value = value_of(listing, key)
                if value and not check(value, params, listing):
                    hits.append(
                        Hit(
                            rule.id,
                            "malformed_attribute",
                            field_name,
                            0,
                            len(value),
                            value,
                            rule.severity,
                            rule.version,
                        )
                    )
        return _dedupe(hits) if hits else hits


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """One finding per (kind, field): two schemes asking for the same key report it once."""
    seen: set[tuple[str, str]] = set()
    out = []
    for hit in hits:
        if (hit.kind, hit.field) not in seen:
            seen.add((hit.kind, hit.field))
            out.append(hit)
    return out


def _breaks(words: Iterable[str]) -> set[int]:
    """Normalised offsets at which ``words`` are separated by white space."""
    out: set[int] = set()
    position = 0
    for word in words:
        if position and word:
            out.add(position)
        position += len(word)
    return out
