"""The listing rule registry (the shared rule-registry pattern) and ``check_listing``.

``LISTING_RULES`` holds every version of every listing rule: the starting rule set of
``data/*.json`` is registered when the app is ready. ``check_listing`` evaluates a listing
against the rules in force on the business date (or ``on``); the compiled engine of a date is
cached, so a rule version taking effect tomorrow changes tomorrow's verdicts, not today's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from qms.shared.rules import Rule, RuleError, business_today, create_registry

from .domain.engine import Engine, Hit, Verdict
from .domain.ruleset import starting_rules

__all__ = ["LISTING_RULES", "Hit", "Verdict", "check_listing", "engine_for", "register_rules"]

LISTING_RULES = create_registry("listings", description="Listing compliance rules")


MIN_NOTICE = dt.timedelta(days=7)


def register_starting_rules() -> None:
    """Register the data files' rules once (a second call is a no-op)."""
    if not LISTING_RULES.ids():
        register_rules(starting_rules(), urgent=True)


def register_rules(
    rules: Iterable[Rule],
    *,
    today: dt.date | None = None,
    min_notice: dt.timedelta = MIN_NOTICE,
    urgent: bool = False,
) -> None:
    """Register new rule versions and drop the compiled engines (always register here).

    Merchants are told of a change before it takes effect (``LISTING_RULES.upcoming``): a
    version must take effect at least ``min_notice`` (7 days) after it is announced
    (``announced_on``, else ``today``), or nothing is registered (``RuleError``
    ``rule_notice_too_short``). ``urgent=True`` skips that for changes that cannot wait
    (a newly prohibited item) and for the starting set."""
    rules = list(rules)
    if not urgent:
        day = today or business_today()
        for rule in rules:
            announced = rule.announced_on or day
            if rule.effective_from - announced < min_notice:
                raise RuleError(
                    f"Rule {rule.id} v{rule.version} takes effect on {rule.effective_from}, "
                    f"less than {min_notice.days} days after it is announced ({announced}).",
                    code="rule_notice_too_short",
                )
    LISTING_RULES.register_all(rules)
    _engine_on.cache_clear()


@lru_cache(maxsize=8)
def _engine_on(on: dt.date) -> Engine:
    return Engine(LISTING_RULES.active(on=on))


def engine_for(on: dt.date | None = None) -> Engine:
    """The compiled engine of the rules in force on ``on`` (the business date by default)."""
    return _engine_on(on or business_today())


def check_listing(listing: Mapping[str, Any], *, market: str, on: dt.date | None = None) -> Verdict:
    """The verdict of ``listing`` (interchange format) in ``market`` with the text and
    attribute rules in force on ``on``. Documents and brand rules need a merchant: see
    ``qms.listings.merchant_checks``."""
    return engine_for(on).check(listing, market=market)
