"""Named registries with business-date defaults."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from qms.shared import rules
from qms.shared.rules import Rule, business_today, create_registry, get_registry, rule_message


def _rule(version: int, start: dt.date) -> Rule:
    return Rule(
        id="sla.first_response",
        version=version,
        title="First response within {hours} hours",
        legal_basis="Platform service policy §4.1",
        severity="medium",
        effective_from=start,
        message={"en": "Answer within {hours} hours.", "zh-hans": "须在 {hours} 小时内回复。"},
        parameters={"hours": 24 if version == 1 else 12},
    )


@pytest.fixture
def registry():
    reg = create_registry("test.sla", description="SLA policies (test)")
    yield reg
    rules._registries.pop("test.sla", None)


def test_business_today_uses_the_business_time_zone(settings):
    settings.QMS_BUSINESS_TIME_ZONE = "Asia/Shanghai"
    late_utc = dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC)  # 01:30 on 2 March in Shanghai
    assert business_today(late_utc) == dt.date(2026, 3, 2)


def test_registry_defaults_to_today_and_announces_the_next_version(registry):
    today = business_today()
    registry.register(_rule(1, today - dt.timedelta(days=10)))
    registry.register(_rule(2, today + dt.timedelta(days=14)))
    assert registry.get("sla.first_response").version == 1
    assert [r.id for r in registry.active()] == ["sla.first_response"]
    assert [r.version for r in registry.upcoming(within=dt.timedelta(days=30))] == [2]
    assert registry.upcoming(within=dt.timedelta(days=7)) == []
    assert registry.get("sla.first_response", on=today + dt.timedelta(days=14)).version == 2


def test_registries_are_named_and_created_once(registry):
    assert create_registry("test.sla") is registry
    assert get_registry("test.sla") is registry
    assert registry in rules.all_registries()
    with pytest.raises(KeyError):
        get_registry("test.nope")


def test_rule_message_follows_the_active_language(registry):
    rule = _rule(2, dt.date(2026, 1, 1))
    with translation.override("zh-hans"):
        assert rule_message(rule) == "须在 12 小时内回复。"
    assert rule_message(rule, "en", hours=4) == "Answer within 4 hours."
