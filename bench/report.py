"""``python -m bench.report``: the results table of ``docs/performance.md`` from
``bench/results/*.json`` (the part between the two ``bench-results`` markers)."""

from __future__ import annotations

import json

from .common import RESULTS, ROOT

DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bench-results:begin -->", "<!-- bench-results:end -->"


def _fmt_generate(db: str, r: dict) -> str:
    o, b = r["ours"][db], r["baseline"][db]
    return (
        f"| generate | {db} | {o['rows_per_second']:,} rows/s ({o['rows']:,} rows, "
        f"{o['documents']:,} documents, {o['seconds']:,} s) | {b['rows_per_second']:,} rows/s "
        f"({b['what']}, {b['seconds']:,} s) | {r['ratio'][db]:.2f} | >= 0.50 | "
        f"{'yes' if r['ratio'][db] >= 0.5 else 'no'} |"
    )


def _fmt_expiry(db: str, r: dict) -> str:
    o, b = r["ours"][db], r["baseline"][db]
    return (
        f"| expiry | {db} | {o['seconds']:.2f} s ({o['fired']:,} points fired over "
        f"{o['deadlines']:,} deadlines of {o['documents']:,} documents) | {b['seconds']:.2f} s "
        f"(per-document loop) | {r['ratio'][db]:g}x faster | < 2 s | "
        f"{'yes' if o['seconds'] < 2 else 'no'} |"
    )


def table() -> str:
    lines = [
        "| benchmark | database | ours | baseline | ratio | goal | met |",
        "|---|---|---|---|---|---|---|",
    ]
    machine = None
    for name, fmt in (("generate", _fmt_generate), ("expiry", _fmt_expiry)):
        path = RESULTS / f"{name}.json"
        if not path.exists():
            continue
        result = json.loads(path.read_text())
        machine = machine or result["machine"]
        lines += [fmt(db, result) for db in result["ours"]]
    if machine:
        load = ", ".join(f"{x:.1f}" for x in machine["load_average"])
        lines += [
            "",
            f"Machine: {machine['cpu']}, {machine['cores']} cores, "
            f"{machine['memory_gb']} GB, Python {machine['python']}, SQLite "
            f"{machine['sqlite']}, PostgreSQL {machine['postgres']}; load average (1, 5, 15 "
            f"min) recorded with the run: {load}.",
        ]
    return "\n".join(lines)


def main() -> None:
    text = DOC.read_text()
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    DOC.write_text(f"{head}{BEGIN}\n{table()}\n{END}{tail}")


if __name__ == "__main__":
    main()
