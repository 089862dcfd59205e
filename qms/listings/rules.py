"""The listing rule registry (the shared rule-registry pattern) and ``check_listing``.

``LISTING_RULES`` holds every version of every listing rule: the starting rule set of
``data/*.json`` is registered when the app is ready. ``check_listing`` evaluates a listing
against the rules in force on the business date (or ``on``); the compiled engine of a date is
cached, so a rule version taking effect tomorrow changes tomorrow's verdicts, not today's.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from django.conf import settings

from qms.shared.rules import Rule, RuleError, Severity, business_today, create_registry

from .domain.engine import Engine, Hit, Verdict
from .domain.ruleset import starting_rules

__all__ = [
    "LISTING_RULES",
    "Hit",
    "Verdict",
    "check_listing",
    "engine_for",
    "register_rules",
    "rule_from_row",
    "sync_rules",
]

log = logging.getLogger(__name__)

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


# ---- rule versions stored by the quality team (``RuleVersion`` rows) ----

_sync_lock = threading.Lock()
_loaded: dict[str, Any] = {"state": (0, 0, None), "checked": float("-inf")}


def rule_from_row(row: Any) -> Rule:
    """The registry ``Rule`` of a stored ``RuleVersion`` row."""
    parameters = {
        k: tuple(v) if isinstance(v, list) else v for k, v in dict(row.parameters or {}).items()
    }
    return Rule(
        id=row.rule_id,
        version=int(row.version),
        title=row.title,
        legal_basis=row.legal_basis,
        severity=Severity(row.severity),
        effective_from=row.effective_from,
        announced_on=row.announced_on,
        markets=frozenset(row.markets or ()),
        categories=frozenset(row.categories or ()),
        message={"en": row.message_en, "zh-hans": row.message_zh},
        parameters=parameters,
    )


def _register_rows(rows: Iterable[Any]) -> None:
    for row in rows:
        try:
            LISTING_RULES.register(rule_from_row(row))
        except RuleError as exc:  # e.g. a data file now ships the same version
            log.error("Stored listing rule %s v%s not loaded: %s", row.rule_id, row.version, exc)


def _rebuild(rows: Iterable[Any]) -> None:
    LISTING_RULES.clear()
    LISTING_RULES.register_all(starting_rules())
    _register_rows(rows)


def sync_rules(*, force: bool = False) -> bool:
    """Bring this process's registry up to date with the stored rule versions; True when it
    changed. Rows are append-only, so new rows are registered in order; if rows disappeared
    (a restored backup, a test's rollback) the registry is rebuilt from the starting set.
    Checks at most every ``QMS_LISTING_RULES_SYNC_SECONDS`` unless ``force``: one indexed
    aggregate query."""
    from django.db.models import Count, Max

    from .models import RuleVersion

    every = float(getattr(settings, "QMS_LISTING_RULES_SYNC_SECONDS", 2.0))
    now = time.monotonic()
    if not force and now - _loaded["checked"] < every:
        return False
    with _sync_lock:
        found = RuleVersion.objects.aggregate(
            count=Count("id"), top=Max("id"), latest=Max("created_at")
        )
        state = (int(found["count"] or 0), int(found["top"] or 0), found["latest"])
        _loaded["checked"] = now
        loaded = _loaded["state"]
        if state == loaded:
            return False
        new = list(RuleVersion.objects.filter(id__gt=loaded[1]).order_by("id"))
        appended = state[0] == loaded[0] + len(new) and all(r.id > loaded[1] for r in new)
        if appended and new and new[-1].created_at == state[2]:
            _register_rows(new)
        else:  # rows went away (a restored backup, a test's rollback): start again
            _rebuild(RuleVersion.objects.order_by("id"))
        _loaded["state"] = state
        _engine_on.cache_clear()
        return True
