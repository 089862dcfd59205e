"""The listing rules in the shared ``listings`` registry, dated in business time."""

from __future__ import annotations

import datetime as dt

import pytest

from qms.listings.domain.engine import Engine
from qms.listings.rules import LISTING_RULES, check_listing, engine_for, register_rules
from qms.shared.rules import Rule, RuleError, Severity, get_registry


def test_the_starting_rules_are_registered_when_the_app_starts():
    assert get_registry("listings") is LISTING_RULES
    rule = LISTING_RULES.get("listing.attr.cn-food.sc_licence_no", on=dt.date(2026, 11, 25))
    assert rule.citation()["legal_basis"].startswith("Food Safety Law")
    assert "SC" in rule.format_message("zh-hans", scheme_title="CN", legal_basis="x")


def test_a_rule_registered_for_a_later_date_changes_only_that_date():
    today, later = dt.date(2099, 1, 1), dt.date(2099, 1, 15)  # far from the real date
    rule = Rule(
        id="listing.term.test-registry.zuixinkuan",
        version=1,
        title="Absolute claim: 最新款",
        legal_basis="PRC Advertising Law Art. 9(3)",
        severity=Severity.MEDIUM,
        effective_from=later,
        announced_on=today,
        markets={"CN"},
        message={"en": "Remove “{term}”.", "zh-hans": "请删除“{term}”。"},
        parameters={"type": "term", "kind": "absolute_claim", "term": "最新款", "allow": ()},
    )
    if "listing.term.test-registry.zuixinkuan" not in LISTING_RULES:
        register_rules([rule], today=today)
    listing = {"category": "books", "title": "2026最新款 台历"}
    assert check_listing(listing, market="CN", on=today).verdict == "approve"
    assert check_listing(listing, market="CN", on=later).verdict == "review"
    assert rule in LISTING_RULES.upcoming(today=today, within=dt.timedelta(days=30))
    assert isinstance(engine_for(today), Engine)


def test_an_engine_without_terms_still_checks_attributes():
    engine = Engine([])
    assert engine.check({"category": "food", "title": "最佳"}, market="CN").hits == []


def test_a_change_needs_seven_days_notice_unless_urgent():
    today = dt.date(2099, 2, 1)
    rule = Rule(
        id="listing.term.test-registry.notice",
        version=1,
        title="Prohibited item: 测试禁品",
        legal_basis="E-Commerce Law Art. 13",
        severity=Severity.CRITICAL,
        effective_from=today + dt.timedelta(days=6),
        markets={"CN"},
        message={"en": "Remove “{term}”.", "zh-hans": "请删除“{term}”。"},
        parameters={"type": "term", "kind": "prohibited_item", "term": "测试禁品", "allow": ()},
    )
    with pytest.raises(RuleError) as exc:
        register_rules([rule], today=today)
    assert exc.value.code == "rule_notice_too_short"
    assert rule.id not in LISTING_RULES
    register_rules([rule], today=today, urgent=True)
    assert LISTING_RULES.find(rule.id, on=today + dt.timedelta(days=6)) == rule
