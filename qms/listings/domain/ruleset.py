"""The starting rule set as data: ``qms/listings/data/*.json`` -> ``Rule`` versions. Pure Python.

Three kinds of rule come out of the data files, each a versioned, effective-dated ``Rule`` of
the shared registry pattern, its behaviour described by ``parameters["type"]``:

- ``term``: a banned or restricted term (``terms_zh.json``, ``terms_en.json``), with its kind,
  allowed contexts and exempt categories;
- ``attribute_required`` / ``attribute_format``: a key a scheme of ``attributes.json`` requires,
  and the format its value must have;
- ``category_ban``: a category that may not be sold in a market at all.

Term rule ids are ``listing.term.<group>.<hash of the folded term>``: stable while the term is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from qms.shared.domain.rules import Rule, RuleRegistry
from qms.shared.domain.severity import Severity

from .normalise import fold

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TERM_FILES = ("terms_zh.json", "terms_en.json")
ATTRIBUTE_FILE = "attributes.json"
SEVERITY_LISTS = ("critical", "high", "medium", "low", "info")

KIND_LABELS: dict[str, tuple[str, str]] = {
    "absolute_claim": ("Absolute claim", "绝对化用语"),
    "medical_claim": ("Medical or health claim", "医疗或保健功能用语"),
    "superstition": ("Superstition", "封建迷信"),
    "state_endorsement": ("State endorsement", "使用国家机关名义"),
    "false_quality_mark": ("False quality mark", "虚假质量标志"),
    "prohibited_item": ("Prohibited item", "禁售商品"),
    "counterfeit": ("Counterfeit", "假冒商品"),
    "eu_misleading": ("Misleading claim (UCPD)", "误导性宣传（欧盟）"),
    "missing_attribute": ("Missing attribute", "缺少必填属性"),
    "malformed_attribute": ("Malformed attribute", "属性格式错误"),
    "missing_document": ("Missing document", "缺少资质文件"),
    "brand_unauthorised": ("Brand not authorised", "品牌未授权"),
}


def term_rule_id(group: str, term: str) -> str:
    digest = hashlib.sha1(fold(term).encode(), usedforsecurity=False).hexdigest()[:10]
    return f"listing.term.{group}.{digest}"


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _read(name: str, data_dir: Path) -> dict[str, Any]:
    with (data_dir / name).open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def term_rules(data: dict[str, Any]) -> Iterator[Rule]:
    """The ``term`` rules of one terms file."""
    default_from = _date(data["effective_from"])
    for group in data["groups"]:
        severity_of = {t: sev for sev in SEVERITY_LISTS for t in group.get(sev, [])}
        allow = group.get("allow", {})
        effective_from = _date(group.get("effective_from", data["effective_from"]))
        label_en = KIND_LABELS[group["kind"]][0]
        for term in group["terms"]:
            yield Rule(
                id=term_rule_id(group["id"], term),
                version=int(group.get("version", data.get("version", 1))),
                title=f"{label_en}: {term}",
                legal_basis=group["legal_basis"],
                severity=Severity(severity_of.get(term, group["severity"])),
                effective_from=effective_from or default_from,
                markets=frozenset(group.get("markets", ())),
                categories=frozenset(group.get("categories", ())),
                message=group["message"],
                parameters={
                    "type": "term",
                    "kind": group["kind"],
                    "group": group["id"],
                    "term": term,
                    "allow": tuple(allow.get(term, ())),
                    "exempt_categories": tuple(group.get("exempt_categories", ())),
                },
            )


def _attribute_message(kind: str, key: str, labels: dict[str, list[str]], fmt: dict[str, Any]):
    en, zh = labels[key]
    if kind == "missing_attribute":
        return {
            "en": f"Add the {en} (attribute “{key}”): {{scheme_title}} listings must show it "
            f"({{legal_basis}}).",
            "zh-hans": f"请填写{zh}（属性“{key}”）：该类商品须标明此项（{{legal_basis}}）。",
        }
    return {
        "en": f"The {en} (attribute “{key}”) must be {fmt['en']}; “{{value}}” is not. "
        f"Correct it from the certificate or label.",
        "zh-hans": f"{zh}（属性“{key}”）应为{fmt['zh-hans']}，“{{value}}”不符合。"
        f"请按证书或标签更正。",
    }


def attribute_rules(data: dict[str, Any]) -> Iterator[Rule]:
    """The ``attribute_required``, ``attribute_format`` and ``category_ban`` rules."""
    labels, formats = data["labels"], data["formats"]
    version = int(data.get("version", 1))
    effective_from = _date(data["effective_from"])
    for scheme in data["schemes"]:
        market = scheme["market"]
        common = {
            "scheme": scheme["id"],
            "scheme_title": scheme["title"],
            "when_any": tuple(scheme.get("when_any", ())),
            "unless": tuple(scheme.get("unless", ())),
        }
        severities = scheme.get("severity", {})
        for key in scheme["required"]:
            yield Rule(
                id=f"listing.attr.{scheme['id']}.{key}",
                version=version,
                title=f"{scheme['title']}: {labels[key][0]} required",
                legal_basis=scheme["legal_basis"],
                severity=Severity(severities.get(key, "high")),
                effective_from=effective_from,
                markets=frozenset({market} if market else ()),
                categories=frozenset(scheme["categories"]),
                message=_attribute_message("missing_attribute", key, labels, {}),
                parameters={
                    **common,
                    "type": "attribute_required",
                    "kind": "missing_attribute",
                    "attribute": key,
                    "not_required_in": tuple(scheme.get("not_required_in", {}).get(key, ())),
                    "not_required_if": tuple(scheme.get("not_required_if", {}).get(key, ())),
                },
            )
        for key in scheme.get("formats", ()):
            fmt = formats[key]
            yield Rule(
                id=f"listing.attr.{scheme['id']}.{key}.format",
                version=version,
                title=f"{scheme['title']}: {labels[key][0]} format",
                legal_basis=scheme["legal_basis"],
                severity=Severity(severities.get(key, "high")),
                effective_from=effective_from,
                markets=frozenset({market} if market else ()),
                categories=frozenset(scheme["categories"]),
                message=_attribute_message("malformed_attribute", key, labels, fmt),
                parameters={
                    **common,
                    "type": "attribute_format",
                    "kind": "malformed_attribute",
                    "attribute": key,
                    "check": fmt["check"],
                    "pattern": fmt.get("pattern", ""),
                },
            )
    for ban in data.get("category_bans", ()):
        yield Rule(
            id=f"listing.category.{ban['id']}",
            version=version,
            title=f"Category banned: {', '.join(ban['categories'])} in {ban['market']}",
            legal_basis=ban["legal_basis"],
            severity=Severity(ban["severity"]),
            effective_from=effective_from,
            markets=frozenset({ban["market"]}),
            categories=frozenset(ban["categories"]),
            message=ban["message"],
            parameters={"type": "category_ban", "kind": ban["kind"]},
        )


def starting_rules(data_dir: Path = DATA_DIR) -> list[Rule]:
    """Every rule version of the data files."""
    rules: list[Rule] = []
    for name in TERM_FILES:
        rules.extend(term_rules(_read(name, data_dir)))
    rules.extend(attribute_rules(_read(ATTRIBUTE_FILE, data_dir)))
    return rules


@cache
def default_registry() -> RuleRegistry:
    """A pure registry holding the starting rule set (for the engine outside Django)."""
    registry = RuleRegistry("listings", description="Listing compliance rules")
    registry.register_all(starting_rules())
    return registry


TERM_KINDS = (
    "absolute_claim",
    "medical_claim",
    "superstition",
    "state_endorsement",
    "false_quality_mark",
    "prohibited_item",
    "counterfeit",
    "eu_misleading",
)


@cache
def term_groups(data_dir: Path = DATA_DIR) -> tuple[dict[str, Any], ...]:
    """The term groups of the data files (their kind, markets, basis and messages)."""
    return tuple(g for name in TERM_FILES for g in _read(name, data_dir)["groups"])


def term_defaults(kind: str, markets: frozenset[str] | set[str]) -> dict[str, Any]:
    """Legal basis, exempt categories and messages (with a ``{term}`` placeholder) for a new
    term of ``kind`` in ``markets``: those of the starting group of that kind that covers the
    most of the markets. Raises ``KeyError`` for a kind without a starting group."""
    groups = [g for g in term_groups() if g["kind"] == kind]
    if not groups:
        raise KeyError(kind)
    best = max(groups, key=lambda g: len(set(g.get("markets", ())) & set(markets)))
    return {
        "legal_basis": best["legal_basis"],
        "exempt_categories": tuple(best.get("exempt_categories", ())),
        "message": dict(best["message"]),
        "group": best["id"],
    }


def rule_title_zh(rule: Rule) -> str:
    """A Chinese title for notices: ``绝对化用语：最佳`` for a term; the English title for the
    rules that have no Chinese one (attribute schemes are titled in English)."""
    p = rule.parameters
    label = KIND_LABELS.get(str(p.get("kind", "")))
    if p.get("type") in ("term", "retired") and p.get("term") and label:
        return f"{label[1]}：{p['term']}"
    return rule.title
