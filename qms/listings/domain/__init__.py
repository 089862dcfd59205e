"""Pure-Python core of the listings context: normalisation, rule set, engine, review states.

``check_listing(listing, market=)`` evaluates a listing (interchange format) with the starting
rule set in force on ``on`` (today by default), without Django. Inside the app prefer
``qms.listings.rules.check_listing``: same engine, the shared ``listings`` registry (with any
rule versions registered at run time) and the business date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from .engine import Engine, Hit, Verdict

__all__ = ["Engine", "Hit", "Verdict", "check_listing", "engine_on"]


@lru_cache(maxsize=4)
def engine_on(on: dt.date) -> Engine:
    """The engine of the starting rule set in force on ``on``."""
    from .ruleset import default_registry

    return Engine(default_registry().active(on=on))


def check_listing(listing: Mapping[str, Any], *, market: str, on: dt.date | None = None) -> Verdict:
    return engine_on(on or dt.date.today()).check(listing, market=market)
