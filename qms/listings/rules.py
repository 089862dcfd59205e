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

from qms.shared.rules import Rule, business_today, create_registry

from .domain.engine import Engine, Hit, Verdict
from .domain.ruleset import starting_rules

__all__ = ["LISTING_RULES", "Hit", "Verdict", "check_listing", "engine_for", "register_rules"]

LISTING_RULES = create_registry("listings", description="Listing compliance rules")


def register_starting_rules() -> None:
    """Register the data files' rules once (a second call is a no-op)."""
    if not LISTING_RULES.ids():
        register_rules(starting_rules())


def register_rules(rules: Iterable[Rule]) -> None:
    """Register new rule versions and drop the compiled engines (always register here)."""
    LISTING_RULES.register_all(rules)
    _engine_on.cache_clear()


@lru_cache(maxsize=8)
def _engine_on(on: dt.date) -> Engine:
    return Engine(LISTING_RULES.active(on=on))


def engine_for(on: dt.date | None = None) -> Engine:
    """The compiled engine of the rules in force on ``on`` (the business date by default)."""
    return _engine_on(on or business_today())


def check_listing(
    listing: Mapping[str, Any], *, market: str, on: dt.date | None = None
) -> Verdict:
    """The verdict of ``listing`` (interchange format) in ``market`` with the text and
    attribute rules in force on ``on``. Documents and brand rules need a merchant: see
    ``qms.listings.merchant_checks``."""
    return engine_for(on).check(listing, market=market)
