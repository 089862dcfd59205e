"""bench/expiry: the nightly expiry pass over N documents' deadlines vs a per-document loop.

Goal: ``run_due_deadlines`` handles the night's due points of 1,000,000 documents in < 2 s.
The data is the generate benchmark's (uniform expiry profile) when it is still there.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from . import common
from .generate import parameters

GOAL_SECONDS = 2.0


def _base(database: str, params: dict[str, Any]) -> str:
    """A scratch database holding the generated marketplace: reuse the generate bench's."""
    try:
        found = common.run_step(database, "gen_ours", "step_expiry", "describe")
    except Exception:
        found = None
    wanted = {
        k: params[k]
        for k in ("seed", "merchants", "documents_per_merchant", "as_of", "expiry_profile")
    }
    if found and all(found.get(k) == v for k, v in wanted.items()):
        return "gen_ours"
    common.migrate(database, "exp_base")
    common.run_step(database, "exp_base", "step_generate", "ours", json.dumps(params))
    return "exp_base"


def run_on(database: str, params: dict[str, Any]) -> dict[str, Any]:
    base = _base(database, params)
    common.clone(database, base, "exp_ours")
    common.clone(database, base, "exp_naive")
    ours = common.run_step(database, "exp_ours", "step_expiry", "ours", params["as_of"])
    naive = common.run_step(database, "exp_naive", "step_expiry", "naive", params["as_of"])
    for name in ("exp_ours", "exp_naive"):
        common.drop(database, name)
    if ours["fired"] != naive["fired"]:
        raise RuntimeError(f"fired points differ: ours {ours['fired']}, naive {naive['fired']}")
    print(
        f"expiry on {database}: ours {ours['seconds']:.2f} s, naive {naive['seconds']:.2f} s, "
        f"{ours['fired']} points",
        file=sys.stderr,
    )
    return {
        "ours": {
            "seconds": round(ours["seconds"], 3),
            "fired": ours["fired"],
            "documents": ours["documents"],
            "deadlines": ours["deadlines"],
        },
        "baseline": {
            "seconds": round(naive["seconds"], 3),
            "fired": naive["fired"],
            "documents": naive["documents"],
            "what": "per-document Python loop over all documents, same handler",
        },
        "ratio": round(naive["seconds"] / ours["seconds"], 1),
        "met": ours["seconds"] < GOAL_SECONDS,
    }


def run(databases: list[str], documents: int, keep: bool = True) -> dict[str, Any]:
    params = parameters(documents)
    machine = common.machine()  # before the run: the load average it started under
    per_db = {db: run_on(db, params) for db in databases}
    return {
        "name": "expiry",
        "machine": machine,
        "parameters": params,
        "ours": {db: r["ours"] for db, r in per_db.items()},
        "baseline": {db: r["baseline"] for db, r in per_db.items()},
        "ratio": {db: r["ratio"] for db, r in per_db.items()},
        "goal": f"the nightly pass over {params['merchants'] * params['documents_per_merchant']:,} "
        f"documents' deadlines in < {GOAL_SECONDS:g} s (ratio = baseline s / ours s)",
        "met": all(r["met"] for r in per_db.values()),
    }
