"""One step of the generate benchmark, run in its own process against one scratch database.

``prepare``: reference data.  ``ours``: ``generate_marketplace`` timed end to end.
``raw``: the very same rows (built untimed, batch by batch) written with the bare driver —
``sqlite3`` ``executemany`` or psycopg ``COPY`` — timing only the writes and commits.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from typing import Any

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from qms.generate.context import Context, IdCursor, Params  # noqa: E402
from qms.generate.domain.names import build_pools  # noqa: E402
from qms.generate.reference import ensure_reference_data, load_reference  # noqa: E402
from qms.generate.services import MODELS, _produce, generate_marketplace  # noqa: E402
from qms.generate.writer import RowSink, max_ids  # noqa: E402


def ours(p: dict) -> dict:
    started = time.perf_counter()
    run = generate_marketplace(
        seed=p["seed"],
        merchants=p["merchants"],
        documents_per_merchant=p["documents_per_merchant"],
        batch=p["batch"],
        as_of=dt.date.fromisoformat(p["as_of"]),
        expiry_profile=p["expiry_profile"],
    )
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rows": sum(run.rows_written.values()),
        "documents": run.rows_written.get("documents.Document", 0),
        "rows_by_table": run.rows_written,
    }


def _raw_connection() -> Any:
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        import psycopg

        return psycopg.connect(
            host=db["HOST"] or None,
            port=db["PORT"] or None,
            user=db["USER"] or None,
            dbname=db["NAME"],
        )
    import sqlite3

    conn = sqlite3.connect(db["NAME"], isolation_level=None)
    # The same pragmas Django opens its SQLite connections with (base settings + backend).
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def raw(p: dict) -> dict:
    params = Params(
        seed=p["seed"],
        merchants=p["merchants"],
        documents_per_merchant=p["documents_per_merchant"],
        as_of=p["as_of"],
        expiry_profile=p["expiry_profile"],
    )
    start = {label: value + 1 for label, value in max_ids(MODELS).items()}
    ctx = Context(
        params=params,
        ref=load_reference(),
        pools=build_pools(params.seed),
        ids=IdCursor(start),
        sink=RowSink(params.now),
        now=params.now,
        today=params.today,
    )
    vendor = connection.vendor
    connection.close()
    conn = _raw_connection()
    written = 0
    seconds = 0.0
    for produced in _produce(ctx, first=0, merchants=params.merchants, batch=p["batch"]):
        t0 = time.perf_counter()
        if vendor == "postgresql":
            with conn.transaction(), conn.cursor() as cur:
                for chunk in produced.chunks:
                    cols = ", ".join(f'"{c}"' for c in chunk.columns)
                    with cur.copy(f'COPY "{chunk.db_table}" ({cols}) FROM STDIN') as copy:
                        for row in chunk.rows:
                            copy.write_row(row)
        else:
            conn.execute("BEGIN IMMEDIATE")
            for chunk in produced.chunks:
                cols = ", ".join(f'"{c}"' for c in chunk.columns)
                marks = ", ".join("?" * len(chunk.columns))
                conn.executemany(
                    f'INSERT INTO "{chunk.db_table}" ({cols}) VALUES ({marks})', chunk.rows
                )
            conn.execute("COMMIT")
        seconds += time.perf_counter() - t0
        written += sum(len(c.rows) for c in produced.chunks)
    conn.close()
    return {"seconds": seconds, "rows": written}


if __name__ == "__main__":
    mode, params = sys.argv[1], json.loads(sys.argv[2])
    if mode == "prepare":
        ensure_reference_data()
        out: dict = {}
    else:
        out = ours(params) if mode == "ours" else raw(params)
    print(json.dumps(out))
