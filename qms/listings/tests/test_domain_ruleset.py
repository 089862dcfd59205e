"""The starting rule set: size, completeness, registry behaviour."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from qms.listings.domain.engine import Engine
from qms.listings.domain.normalise import fold
from qms.listings.domain.ruleset import default_registry, starting_rules
from qms.shared.domain.rules import Rule

CJK = re.compile(r"[\u4e00-\u9fff]")


def term_rules():
    return [r for r in starting_rules() if r.parameters["type"] == "term"]


def test_at_least_300_chinese_and_100_english_terms():
    terms = [r.parameters["term"] for r in term_rules()]
    assert sum(1 for t in terms if CJK.search(t)) >= 300
    assert sum(1 for t in terms if not CJK.search(t)) >= 100


def test_every_rule_has_basis_messages_and_severity():
    for rule in starting_rules():
        assert rule.legal_basis.strip()
        assert rule.message["en"].strip()
        assert rule.message["zh-hans"].strip()
        if rule.parameters["type"] == "term":
            text = rule.format_message("zh-hans", term=rule.parameters["term"])
            assert rule.parameters["term"] in text


def test_no_two_terms_fold_to_the_same_key_within_a_group():
    keys = Counter((r.parameters["group"], fold(r.parameters["term"])) for r in term_rules())
    assert [k for k, n in keys.items() if n > 1] == []


def test_allowed_contexts_contain_their_term():
    for rule in term_rules():
        key = fold(rule.parameters["term"])
        for context in rule.parameters["allow"]:
            assert key in fold(context), (rule.id, context)
            assert key != fold(context), (rule.id, context)


def test_a_new_version_takes_effect_on_its_date():
    registry = default_registry()
    rule = next(r for r in term_rules() if r.parameters["term"] == "最佳")
    assert registry.find(rule.id, on=dt.date(2026, 11, 25)) == rule
    later = Rule(
        id="listing.term.test.zuixin",
        version=1,
        title="Absolute claim: 最新",
        legal_basis=rule.legal_basis,
        severity=rule.severity,
        effective_from=dt.date(2027, 1, 1),
        markets=rule.markets,
        message=rule.message,
        parameters={**rule.parameters, "term": "最新", "allow": ()},
    )
    before = Engine([*registry.active(on=dt.date(2026, 12, 31))])
    after = Engine([*registry.active(on=dt.date(2027, 1, 1)), later])
    assert before.match("最新款") == []
    assert [h.rule for h in after.match("最新款")] == ["listing.term.test.zuixin"]
