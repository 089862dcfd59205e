"""Precision and recall of the rule engine per rule kind on a labelled set. Pure Python.

Each case of ``data/evaluation.jsonl`` is a listing in the batch format plus ``expected``:
the findings a compliance reviewer would make, as ``{"kind", "field", "text"}`` (``text`` is
the original wording, evasion included; "" for a missing attribute). A predicted hit matches
an expected finding of the same kind and field whose text it contains or is contained in
(compared normalised). Unmatched predictions are false positives, unmatched expectations
false negatives.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .engine import Engine
from .normalise import fold

DEFAULT_SET = Path(__file__).resolve().parent.parent / "data" / "evaluation.jsonl"


def load_cases(path: str | Path = DEFAULT_SET) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _matches(pred: tuple[str, str, str], exp: tuple[str, str, str]) -> bool:
    if pred[0] != exp[0] or pred[1] != exp[1]:
        return False
    p, e = fold(pred[2]), fold(exp[2])
    return p == e or (bool(p) and bool(e) and (p in e or e in p))


def score_case(case: dict[str, Any], engine: Engine) -> dict[str, list[tuple[str, str, str]]]:
    """``tp``, ``fp``, ``fn`` findings of one case."""
    verdict = engine.check(case, market=case["market"])
    predicted = list(dict.fromkeys((h.kind, h.field, h.text) for h in verdict.hits))
    expected = list(
        dict.fromkeys((e["kind"], e["field"], e.get("text", "")) for e in case.get("expected", ()))
    )
    tp, fn = [], []
    unmatched = list(predicted)
    for exp in expected:
        found = next((p for p in unmatched if _matches(p, exp)), None)
        if found is None:
            fn.append(exp)
        else:
            unmatched.remove(found)
            tp.append(exp)
    return {"tp": tp, "fp": unmatched, "fn": fn}


def evaluate(cases: Iterable[dict[str, Any]], engine: Engine) -> dict[str, Any]:
    """Per kind: tp, fp, fn, precision, recall; plus the overall figures and the misses."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    misses: list[dict[str, Any]] = []
    n = 0
    for case in cases:
        n += 1
        result = score_case(case, engine)
        for outcome, items in result.items():
            for kind, _field, _text in items:
                counts[kind][outcome] += 1
        if result["fp"] or result["fn"]:
            misses.append({"id": case["id"], "fp": result["fp"], "fn": result["fn"]})
    kinds = {kind: _ratios(c) for kind, c in sorted(counts.items())}
    total = {k: sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")}
    return {"cases": n, "kinds": kinds, "overall": _ratios(total), "misses": misses}


def evaluate_splits(cases: list[dict[str, Any]], engine: Engine) -> dict[str, Any]:
    """``evaluate`` on the whole set and on each ``split`` (``dev``: the cases the rules were
    tuned on; ``holdout``: written after the rule set was frozen)."""
    splits = sorted({c.get("split", "dev") for c in cases})
    return {
        "all": evaluate(cases, engine),
        **{s: evaluate([c for c in cases if c.get("split", "dev") == s], engine) for s in splits},
    }


def _ratios(c: dict[str, int]) -> dict[str, Any]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return {
        **c,
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
    }


def format_report(report: dict[str, Any], title: str = "") -> str:
    lines = [
        f"{title}{report['cases']} cases",
        f"{'kind':<22}{'tp':>6}{'fp':>6}{'fn':>6}{'precision':>11}{'recall':>9}",
    ]
    for kind, r in [*report["kinds"].items(), ("overall", report["overall"])]:
        lines.append(
            f"{kind:<22}{r['tp']:>6}{r['fp']:>6}{r['fn']:>6}"
            f"{r['precision']:>11.3f}{r['recall']:>9.3f}"
        )
    return "\n".join(lines)
