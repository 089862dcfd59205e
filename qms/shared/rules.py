"""Named rule registries for every context, dated in the platform's business time zone.

A context creates its registry once, at import time of its rules module, and registers its
rule versions there::

    # qms/listings/rules.py
    from qms.shared.rules import Rule, Severity, create_registry

    LISTING_RULES = create_registry("listings", description="Listing compliance rules")
    LISTING_RULES.register(Rule(
        id="listing.food.sc_licence", version=1, title="Food needs an SC licence",
        legal_basis="Food Safety Law of the PRC, Art. 35", severity=Severity.HIGH,
        markets={"CN"}, categories={"food"}, effective_from=date(2026, 1, 1),
        message={"en": "A food production licence (SC) is required.",
                 "zh-hans": "食品须具备食品生产许可证（SC）。"},
    ))

    for rule in LISTING_RULES.active(market="CN", category="food/tea"):   # today's rules
        ...

``BusinessRuleRegistry`` is the pure ``RuleRegistry`` with ``on``/``today`` defaulting to the
business date (``settings.QMS_BUSINESS_TIME_ZONE``) and messages in the active language.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import timezone, translation

from .domain.rules import (
    LANGUAGES,
    Period,
    Rule,
    RuleError,
    RuleNotInForce,
    RuleRegistry,
    UnknownRule,
)
from .domain.severity import Severity

__all__ = [
    "LANGUAGES",
    "BusinessRuleRegistry",
    "Period",
    "Rule",
    "RuleError",
    "RuleNotInForce",
    "RuleRegistry",
    "Severity",
    "UnknownRule",
    "all_registries",
    "business_today",
    "create_registry",
    "get_registry",
    "rule_message",
]


def business_today(now: dt.datetime | None = None) -> dt.date:
    """Today's date in the platform's business time zone (Asia/Shanghai by default)."""
    moment = now or timezone.now()
    return moment.astimezone(zoneinfo.ZoneInfo(settings.QMS_BUSINESS_TIME_ZONE)).date()


class BusinessRuleRegistry(RuleRegistry):
    """A ``RuleRegistry`` whose dates default to the business date."""

    def find(self, rule_id: str, *, on: dt.date | None = None) -> Rule | None:
        return super().find(rule_id, on=on or business_today())

    def get(self, rule_id: str, *, on: dt.date | None = None) -> Rule:
        return super().get(rule_id, on=on or business_today())

    def active(
        self, *, on: dt.date | None = None, market: str | None = None, category: str | None = None
    ) -> list[Rule]:
        return super().active(on=on or business_today(), market=market, category=category)

    def upcoming(
        self,
        *,
        today: dt.date | None = None,
        within: dt.timedelta = dt.timedelta(days=30),
        market: str | None = None,
        category: str | None = None,
    ) -> list[Rule]:
        return super().upcoming(
            today=today or business_today(), within=within, market=market, category=category
        )


_registries: dict[str, BusinessRuleRegistry] = {}


def create_registry(name: str, *, description: str = "") -> BusinessRuleRegistry:
    """Create the registry ``name`` (one per family of rules). A second call with the same
    name returns the existing registry, so re-imports are harmless."""
    existing = _registries.get(name)
    if existing is not None:
        return existing
    registry = BusinessRuleRegistry(name, description=description)
    _registries[name] = registry
    return registry


def get_registry(name: str) -> BusinessRuleRegistry:
    """The registry ``name``; ``KeyError`` if no context created it."""
    try:
        return _registries[name]
    except KeyError:
        raise KeyError(
            f"No rule registry {name!r}; known: {', '.join(sorted(_registries))}."
        ) from None


def all_registries() -> list[BusinessRuleRegistry]:
    """Every registry, by name (for a rules console or an export)."""
    return [_registries[name] for name in sorted(_registries)]


def rule_message(rule: Rule, language: str | None = None, **values: object) -> str:
    """The rule's message in ``language`` or the active language (pages, e-mails, API)."""
    return rule.format_message(language or translation.get_language() or "en", **values)
