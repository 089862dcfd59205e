"""The scheduler's set-based writes: firing rows (the exactly-once guard) and the advance of
``next_fire_at`` for a whole batch. Used by ``qms.shared.deadlines`` only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.utils import timezone

from .models import Deadline, DeadlineFiring, DeadlineStatus


def insert_firings(firings: list[tuple[int, str]], now: dt.datetime) -> set[tuple[int, str]]:
    """Insert the firing rows that do not exist yet; return the (deadline, point) pairs
    inserted — the points this run owns and hands to the handlers."""
    if not firings:
        return set()
    table = connection.ops.quote_name(DeadlineFiring._meta.db_table)
    fired_at = connection.ops.adapt_datetimefield_value(now)
    if connection.vendor == "postgresql":  # two array parameters, whatever the batch size
        with connection.cursor() as cur:
            cur.execute(
                f"INSERT INTO {table} (deadline_id, point, fired_at) "  # noqa: S608
                f"SELECT v.d, v.p, %s FROM unnest(%s::bigint[], %s::text[]) AS v(d, p) "
                f"ON CONFLICT (deadline_id, point) DO NOTHING RETURNING deadline_id, point",
                [fired_at, [f[0] for f in firings], [f[1] for f in firings]],
            )
            return {(int(d), p) for d, p in cur.fetchall()}
    owned: set[tuple[int, str]] = set()
    chunk = 2000
    with connection.cursor() as cur:
        for i in range(0, len(firings), chunk):
            part = firings[i : i + chunk]
            values = ", ".join(["(%s, %s, %s)"] * len(part))
            params: list[Any] = []
            for deadline_id, point in part:
                params.extend([deadline_id, point, fired_at])
            cur.execute(
                f"INSERT INTO {table} (deadline_id, point, fired_at) "  # noqa: S608
                f"VALUES {values} ON CONFLICT (deadline_id, point) DO NOTHING "
                f"RETURNING deadline_id, point",
                params,
            )
            owned.update((int(d), p) for d, p in cur.fetchall())
    return owned


def apply_updates(updates: list[tuple[int, dt.datetime | None]]) -> None:
    now = timezone.now()
    rows = [
        Deadline(
            pk=pk,
            next_fire_at=nxt,
            updated_at=now,
            status=DeadlineStatus.ACTIVE if nxt else DeadlineStatus.FIRED,
        )
        for pk, nxt in updates
    ]
    Deadline.objects.bulk_update(rows, ["next_fire_at", "status", "updated_at"], batch_size=500)
