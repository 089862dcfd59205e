"""bench/listing_rules: the listing rule engine vs one regular expression per term.

Ours: ``qms.listings.domain.engine.Engine`` (normalisation + Aho-Corasick over the terms and
their allowed contexts + the required-attribute rules) on N generated listings (1,000,000 at
full scale) with the real rule set plus generated terms (5,000+ distinct terms).
Baseline: one compiled, case-insensitive regular expression per term, searched in the raw
title and description; too slow for N listings, it runs on a subsample and is extrapolated
(the JSON says so). Both run in this process, pinned to one CPU core; rates are per CPU
second of this process (``time.process_time``), so other load on the machine does not count
against either side (wall-clock rates are reported too).

Goal: >= 20,000 listings/s and >= 20x the baseline.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
import sys
import time
from collections import Counter
from typing import Any

from . import common
from .listing_corpus import bench_rules, listings

GOAL_RATE = 20_000
GOAL_RATIO = 20.0
SEED = 4242
CHUNK = 50_000
BASELINE_SAMPLE = 5_000


def _pin_one_core() -> int | None:
    try:
        cpu = sorted(os.sched_getaffinity(0))[-1]
        os.sched_setaffinity(0, {cpu})
        return cpu
    except (AttributeError, OSError):
        return None


def _term_pool(rules: list[Any]) -> list[tuple[str, str]]:
    pool = []
    for rule in rules:
        p = rule.parameters
        if p.get("type") == "term":
            for market in sorted(rule.markets or {"CN", "EU"}):
                pool.append((p["term"], market))
    return pool


def _ours(engine: Any, n: int, pool: list[tuple[str, str]]) -> dict[str, Any]:
    verdicts: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    seconds = wall = 0.0
    stream = listings(n, seed=SEED, terms=pool)
    done = 0
    while done < n:
        chunk = [next(stream) for _ in range(min(CHUNK, n - done))]
        check = engine.check
        gc.disable()
        start, start_wall = time.process_time(), time.perf_counter()
        results = [check(item, market=item["market"]) for item in chunk]
        seconds += time.process_time() - start
        wall += time.perf_counter() - start_wall
        gc.enable()
        for result in results:
            verdicts[result.verdict] += 1
            for hit in result.hits:
                kinds[hit.kind] += 1
        done += len(chunk)
        print(f"listing_rules: {done:,} listings, {done / seconds:,.0f}/s", file=sys.stderr)
    return {
        "listings": n,
        "cpu_seconds": round(seconds, 2),
        "wall_seconds": round(wall, 2),
        "listings_per_second": round(n / seconds),
        "listings_per_wall_second": round(n / wall),
        "verdicts": dict(verdicts),
        "hits_by_kind": dict(kinds),
    }


def _baseline(terms: list[str], sample: list[dict[str, Any]]) -> dict[str, Any]:
    patterns = [re.compile(re.escape(t), re.IGNORECASE) for t in terms]
    flagged = 0
    gc.disable()
    start, start_wall = time.process_time(), time.perf_counter()
    for item in sample:
        title, description = item["title"], item["description"]
        found = False
        for pattern in patterns:
            if pattern.search(title) or pattern.search(description):
                found = True
        flagged += found
    seconds = time.process_time() - start
    gc.enable()
    return {
        "seconds": seconds,
        "wall_seconds": time.perf_counter() - start_wall,
        "flagged": flagged,
    }


def run(databases: list[str], n: int) -> dict[str, Any]:
    """``databases`` is ignored (no database involved); ``n`` listings."""
    from qms.listings.domain.engine import Engine
    from qms.listings.domain.ruleset import starting_rules

    cpu = _pin_one_core()
    rules = bench_rules(starting_rules())
    start = time.perf_counter()
    engine = Engine([r for r in rules if r.effective_from <= dt.date(2026, 11, 25)])
    compile_seconds = time.perf_counter() - start
    terms = sorted({r.parameters["term"] for r in rules if r.parameters.get("type") == "term"})
    pool = _term_pool(rules)
    ours = _ours(engine, n, pool)

    sample_n = min(n, BASELINE_SAMPLE)
    sample = list(listings(sample_n, seed=SEED, terms=pool))
    base = _baseline(terms, sample)
    ours_flagged = sum(
        1
        for item in sample
        if any(
            h.field in ("title", "description")
            for h in engine.check(item, market=item["market"]).hits
        )
    )
    base_rate = sample_n / base["seconds"]
    ratio = ours["listings_per_second"] / base_rate
    return {
        "name": "listing_rules",
        "machine": {**common.machine(), "pinned_cpu": cpu},
        "parameters": {
            "listings": n,
            "seed": SEED,
            "terms": len(terms),
            "rules": len(rules),
            "compile_seconds": round(compile_seconds, 2),
        },
        "ours": ours,
        "baseline": {
            "what": "one compiled case-insensitive regex per term (re.escape), searched in the "
            "raw title and description; no normalisation, no attribute rules",
            "measured_on_listings": sample_n,
            "extrapolated": sample_n < n,
            "cpu_seconds_measured": round(base["seconds"], 2),
            "wall_seconds_measured": round(base["wall_seconds"], 2),
            "cpu_seconds_for_all_estimated": round(n / base_rate, 1),
            "listings_per_second": round(base_rate, 1),
            "flagged_in_sample": base["flagged"],
            "ours_flagged_in_same_sample": ours_flagged,
        },
        "ratio": round(ratio, 1),
        "goal": f">= {GOAL_RATE:,} listings/s on one core and >= {GOAL_RATIO:g}x the baseline "
        "(ratio = our listings/s / baseline listings/s)",
        "met": ours["listings_per_second"] >= GOAL_RATE and ratio >= GOAL_RATIO,
    }
