"""bench/generate: the generator writing N documents (and their merchants) vs the bare driver.

Goal: our rows per second >= 50% of a raw ``executemany`` (SQLite) / ``COPY`` (PostgreSQL)
of the very same rows, on both databases.
"""

from __future__ import annotations

import sys
from typing import Any

from . import common

GOAL = 0.5


def parameters(documents: int) -> dict[str, Any]:
    per_merchant = 20
    return {
        "seed": 42,
        "merchants": max(documents // per_merchant, 1),
        "documents_per_merchant": per_merchant,
        "batch": 2000,
        "as_of": "2026-11-25",
        "expiry_profile": "uniform",
    }


def run_on(database: str, params: dict[str, Any], *, keep: bool) -> dict[str, Any]:
    import json

    arg = json.dumps(params)
    common.migrate(database, "gen_ours")
    common.run_step(database, "gen_ours", "step_generate", "prepare", arg)
    common.clone(database, "gen_ours", "gen_raw")
    ours = common.run_step(database, "gen_ours", "step_generate", "ours", arg)
    raw = common.run_step(database, "gen_raw", "step_generate", "raw", arg)
    common.drop(database, "gen_raw")
    if not keep:
        common.drop(database, "gen_ours")
    if raw["rows"] != ours["rows"]:
        raise RuntimeError(f"row counts differ: ours {ours['rows']}, raw {raw['rows']}")
    ours_rate, raw_rate = ours["rows"] / ours["seconds"], raw["rows"] / raw["seconds"]
    print(
        f"generate on {database}: ours {ours_rate:,.0f} rows/s, raw {raw_rate:,.0f} rows/s, "
        f"ratio {ours_rate / raw_rate:.2f}",
        file=sys.stderr,
    )
    return {
        "ours": {
            "seconds": round(ours["seconds"], 2),
            "rows": ours["rows"],
            "documents": ours["documents"],
            "rows_per_second": round(ours_rate),
            "documents_per_second": round(ours["documents"] / ours["seconds"]),
        },
        "baseline": {
            "seconds": round(raw["seconds"], 2),
            "rows": raw["rows"],
            "rows_per_second": round(raw_rate),
            "what": "sqlite3 executemany" if database == "sqlite" else "psycopg COPY",
        },
        "ratio": round(ours_rate / raw_rate, 3),
        "rows_by_table": ours["rows_by_table"],
    }


def run(databases: list[str], documents: int, keep: bool = True) -> dict[str, Any]:
    params = parameters(documents)
    machine = common.machine()  # before the run: the load average it started under
    per_db = {db: run_on(db, params, keep=keep) for db in databases}
    return {
        "name": "generate",
        "machine": machine,
        "parameters": params,
        "ours": {db: r["ours"] for db, r in per_db.items()},
        "baseline": {db: r["baseline"] for db, r in per_db.items()},
        "ratio": {db: r["ratio"] for db, r in per_db.items()},
        "goal": f"ours >= {GOAL:.0%} of the raw driver's rows/s on each database",
        "met": all(r["ratio"] >= GOAL for r in per_db.values()),
        "rows_by_table": next(iter(per_db.values()))["rows_by_table"],
    }
