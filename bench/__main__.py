"""``python -m bench [NAME ...] [--documents N] [--databases sqlite,postgresql]``.

Benchmarks (``BENCHMARKS`` below): ``generate`` (the generator vs the bare driver), ``expiry``
(the nightly deadline pass vs a per-document loop), and those other contexts register.
Results go to ``bench/results/NAME.json``. The committed
results are at the full scale (1,000,000 documents); ``--documents 50000`` is a quick run
(written to ``NAME.quick.json`` so it does not replace them).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from . import common, expiry, generate, listing_rules

# name -> run(databases, scale) returning the result document.
BENCHMARKS: dict[str, Callable[[list[str], int], dict[str, Any]]] = {
    "generate": generate.run,
    "expiry": expiry.run,
    "listing_rules": listing_rules.run,
}
FULL = 1_000_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "names",
        nargs="*",
        choices=[*BENCHMARKS, []],
        metavar="NAME",
        help=f"one of {', '.join(BENCHMARKS)} (default: all)",
    )
    parser.add_argument("--documents", type=int, default=FULL)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    databases = [d for d in args.databases.split(",") if d]
    if "postgresql" in databases and common.postgres_version() is None:
        print(
            f"PostgreSQL at {common.PG_SERVER} is unreachable: benchmarking SQLite only.",
            file=sys.stderr,
        )
        databases = [d for d in databases if d != "postgresql"]
    status = 0
    for name in args.names or list(BENCHMARKS):
        result = BENCHMARKS[name](databases, args.documents)
        suffix = "" if args.documents == FULL else ".quick"
        path = common.write_result(name + suffix, result)
        print(
            json.dumps(
                {k: result[k] for k in ("name", "ours", "baseline", "ratio", "goal", "met")},
                indent=2,
                ensure_ascii=False,
            )
        )
        print(f"-> {path}", file=sys.stderr)
        status |= 0 if result["met"] else 1
    return status


if __name__ == "__main__":
    sys.exit(main())
