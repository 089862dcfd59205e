"""Persistent deadlines: due times with warning points, fired once, by a restartable scheduler.

A context registers a handler per ``kind`` (in its ``AppConfig.ready``) and schedules
deadlines under a stable ``key`` (``document:42:expiry``). ``run_due_deadlines`` — called in a
loop by ``qms run_scheduler`` — claims the rows whose ``next_fire_at`` has passed, records a
``DeadlineFiring`` per point (the unique constraint on ``(deadline, point)`` makes a point fire
once, even with two schedulers running), calls the handler in the same transaction, and moves
``next_fire_at`` to the next point. All state is in the database, so a scheduler can be
stopped and started at any time.

Point names: ``"due"`` and ``"warn:<N>d"`` (or ``<N>h``, ``<N>m``, ``<N>s`` for warnings that
are not whole days). When several points of one deadline are due in the same run (the
scheduler was down, or a warning was already past when the deadline was scheduled), only the
latest is handed to the handler (and recorded); the earlier ones are passed over for good.

With a ``calendar``, warnings of whole days count working days of that calendar (same local
time of day) and other warnings count working time; pausing keeps the remaining working time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from .calendars import business_calendar
from .deadline_rows import apply_updates as _apply_updates
from .deadline_rows import insert_firings as _insert_firings
from .errors import NotFound, ValidationFailed
from .memo import memo_scope
from .models import Deadline, DeadlineStatus
from .notifications import batched_delivery

logger = logging.getLogger(__name__)

Handler = Callable[[Deadline, str], None]
BatchHandler = Callable[[list[tuple[Deadline, str]]], None]
_handlers: dict[str, Handler] = {}
_batch_handlers: dict[str, BatchHandler] = {}

BATCH_SIZE = 1000
# What handlers and the scheduler read; the rest stays in the database.
CLAIM_FIELDS = (
    "key",
    "kind",
    "subject_type",
    "subject_id",
    "due_at",
    "warnings",
    "calendar",
    "payload",
    "status",
    "points",
    "next_fire_at",
    "attempts",
)
RETRY_BACKOFF = dt.timedelta(minutes=5)
MAX_BACKOFF = dt.timedelta(hours=6)


def register_handler(kind: str, handler: Handler) -> None:
    """Call ``handler(deadline, point)`` when a point of a deadline of ``kind`` fires.

    The handler runs inside the scheduler's transaction: what it writes commits together with
    the firing row. It must be quick; queue slow work with ``transaction.on_commit``.
    Replaces any handler registered for ``kind`` before.
    """
    _batch_handlers.pop(kind, None)
    _handlers[kind] = handler


def register_batch_handler(kind: str, handler: BatchHandler) -> None:
    """Hand every point of ``kind`` that fires in one scheduler batch to one call,
    ``handler([(deadline, point), …])`` in firing order, so that it can read what the
    points share in a few queries instead of a few per point. Same transaction and guarantees
    as ``register_handler`` (each point once; a failing batch is rolled back and retried one
    deadline at a time, i.e. with a list of one). Replaces any handler registered for ``kind``
    before."""
    _handlers.pop(kind, None)
    _batch_handlers[kind] = handler


def registered_kinds() -> list[str]:
    return sorted(set(_handlers) | set(_batch_handlers))


def point_name(warning: dt.timedelta) -> str:
    secs = int(warning.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if secs % size == 0:
            return f"warn:{secs // size}{unit}"
    return f"warn:{secs}s"


def compute_points(
    *, due_at: dt.datetime, warnings: Sequence[int], calendar: str | None
) -> list[list[Any]]:
    """``[[name, epoch_seconds], …]`` sorted by time, ``"due"`` last."""
    cal = business_calendar(calendar) if calendar else None
    points: list[list[Any]] = []
    for secs in sorted(set(warnings), reverse=True):
        warning = dt.timedelta(seconds=secs)
        if cal is None:
            at = due_at - warning
        elif secs % 86400 == 0:
            local = due_at.astimezone(cal.tz)
            day = cal.add_working_days(local.date(), -(secs // 86400))
            at = dt.datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=cal.tz)
        else:
            at = cal.add_working_time(due_at, -warning)
        points.append([point_name(warning), at.timestamp()])
    points.append(["due", due_at.timestamp()])
    points.sort(key=lambda p: (p[1], p[0] == "due"))
    return points


def _from_ts(ts: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, tz=dt.UTC)


def _next_fire(points: list[list[Any]], fired: set[str]) -> dt.datetime | None:
    pending = [ts for name, ts in points if name not in fired]
    return _from_ts(min(pending)) if pending else None


def _check_due(due_at: dt.datetime, warnings: Sequence[dt.timedelta]) -> list[int]:
    if timezone.is_naive(due_at):
        raise ValidationFailed(
            "A deadline needs a time-zone-aware due time.", code="deadline_naive_datetime"
        )
    secs = []
    for w in warnings:
        s = int(w.total_seconds())
        if s <= 0:
            raise ValidationFailed(
                "Warnings are positive durations before the due time.",
                code="deadline_warning_invalid",
            )
        secs.append(s)
    return sorted(set(secs), reverse=True)


@transaction.atomic
def schedule_deadline(
    *,
    key: str,
    kind: str,
    subject_type: str,
    subject_id: str,
    due_at: dt.datetime,
    warnings: Sequence[dt.timedelta] = (),
    calendar: str | None = None,
    payload: dict[str, Any] | None = None,
) -> Deadline:
    """Create the deadline ``key``, or reschedule it. Idempotent on ``key``.

    Rescheduling recomputes the points; points that already fired stay fired (they do not
    fire again). A cancelled deadline becomes active again; a paused one stays paused with
    the time left until the new due time.
    """
    warn_secs = _check_due(due_at, warnings)
    points = compute_points(due_at=due_at, warnings=warn_secs, calendar=calendar)
    row = Deadline.objects.select_for_update().filter(key=key).first()
    if row is None:
        try:
            with transaction.atomic():
                row = Deadline.objects.create(
                    key=key,
                    kind=kind,
                    subject_type=subject_type,
                    subject_id=str(subject_id),
                    due_at=due_at,
                    warnings=warn_secs,
                    calendar=calendar,
                    payload=payload or {},
                    points=points,
                    next_fire_at=_next_fire(points, set()),
                )
            return row
        except IntegrityError:  # scheduled concurrently: reschedule the winner's row
            row = Deadline.objects.select_for_update().get(key=key)
    fired = set(row.firings.values_list("point", flat=True))
    row.kind, row.subject_type, row.subject_id = kind, subject_type, str(subject_id)
    row.due_at, row.warnings, row.calendar, row.points = due_at, warn_secs, calendar, points
    row.payload = payload if payload is not None else row.payload
    if row.status == DeadlineStatus.PAUSED:
        row.paused_remaining = _remaining(row, timezone.now())
        row.next_fire_at = None
    else:
        row.next_fire_at = _next_fire(points, fired)
        row.status = DeadlineStatus.ACTIVE if row.next_fire_at else DeadlineStatus.FIRED
    row.attempts, row.last_error = 0, ""
    row.save()
    return row


def _remaining(row: Deadline, now: dt.datetime) -> dt.timedelta:
    if row.calendar:
        left = business_calendar(row.calendar).working_time_between(now, row.due_at)
    else:
        left = row.due_at - now
    return max(left, dt.timedelta(0))


def _locked(key: str) -> Deadline:
    row = Deadline.objects.select_for_update().filter(key=key).first()
    if row is None:
        raise NotFound(f"No deadline {key!r}.", code="deadline_not_found")
    return row


@transaction.atomic
def cancel_deadline(*, key: str) -> None:
    """Stop the deadline ``key``; nothing more fires. A missing key is not an error."""
    Deadline.objects.filter(key=key).exclude(status=DeadlineStatus.CANCELLED).update(
        status=DeadlineStatus.CANCELLED, next_fire_at=None, updated_at=timezone.now()
    )


@transaction.atomic
def pause_deadline(*, key: str, now: dt.datetime | None = None) -> Deadline:
    """Stop the clock: remember the (working) time left until due."""
    row = _locked(key)
    if row.status != DeadlineStatus.ACTIVE:
        return row
    row.paused_remaining = _remaining(row, now or timezone.now())
    row.status, row.next_fire_at = DeadlineStatus.PAUSED, None
    row.save(update_fields=["paused_remaining", "status", "next_fire_at", "updated_at"])
    return row


@transaction.atomic
def resume_deadline(*, key: str, now: dt.datetime | None = None) -> Deadline:
    """Restart the clock: the new due time is now plus the time that was left."""
    row = _locked(key)
    if row.status != DeadlineStatus.PAUSED:
        return row
    moment = now or timezone.now()
    remaining = row.paused_remaining or dt.timedelta(0)
    if row.calendar:
        row.due_at = business_calendar(row.calendar).add_working_time(moment, remaining)
    else:
        row.due_at = moment + remaining
    row.points = compute_points(due_at=row.due_at, warnings=row.warnings, calendar=row.calendar)
    fired = set(row.firings.values_list("point", flat=True))
    row.next_fire_at = _next_fire(row.points, fired)
    row.status = DeadlineStatus.ACTIVE if row.next_fire_at else DeadlineStatus.FIRED
    row.paused_remaining = None
    row.save()
    return row


# --- the scheduler -------------------------------------------------------------------------


def run_due_deadlines(
    *, now: dt.datetime | None = None, limit: int = 10000, batch_size: int = BATCH_SIZE
) -> int:
    """Fire every point due at ``now`` (of at most ``limit`` deadlines); return how many
    points were handed to handlers. Safe to run in several processes at once.

    Each batch is one transaction, run inside a ``memo_scope`` (reference data the handlers
    read, such as the catalog's requirement map, is read once per batch, afresh for the next)
    and ``batched_delivery`` (the notifications the handlers queue are delivered together
    after the batch commits)."""
    moment = now or timezone.now()
    fired = claimed = 0
    while claimed < limit:
        size = min(batch_size, limit - claimed)
        rows, count = _run_batch(moment, size)
        fired += count
        if not rows:
            break
        claimed += len(rows)
    return fired


def _run_batch(moment: dt.datetime, size: int) -> tuple[list[Deadline], int]:
    with batched_delivery():
        try:
            with memo_scope(), transaction.atomic():
                rows = _claim(moment, size)
                return rows, _process(rows, moment)
        except Exception:
            logger.exception("Deadline batch failed; retrying its deadlines one by one.")
        with transaction.atomic():
            rows = _claim(moment, size)
            return rows, sum(_process_isolated(row, moment) for row in rows)


def _claim(now: dt.datetime, size: int) -> list[Deadline]:
    """Lock up to ``size`` due deadlines. On PostgreSQL the same statement also moves each
    one's ``next_fire_at`` to its next point (or marks it fired): one round trip, one new row
    version. Elsewhere ``_process`` advances them."""
    if connection.vendor == "postgresql":
        return _claim_and_advance_pg(now, size)
    qs = Deadline.objects.filter(next_fire_at__lte=now, status=DeadlineStatus.ACTIVE)
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    return list(qs.order_by("next_fire_at").only(*CLAIM_FIELDS)[:size])


def _claim_and_advance_pg(now: dt.datetime, size: int) -> list[Deadline]:
    quote = connection.ops.quote_name
    table = quote(Deadline._meta.db_table)
    columns = ", ".join(f"d.{quote(name)}" for name in ("id", *CLAIM_FIELDS))  # plain fields
    sql = (
        f"WITH c AS (SELECT id FROM {table} WHERE next_fire_at <= %s AND status = %s "  # noqa: S608
        f"ORDER BY next_fire_at LIMIT %s FOR UPDATE SKIP LOCKED), "
        f"n AS (SELECT c.id, (SELECT min((p ->> 1)::float8) FROM jsonb_array_elements(d.points) p "
        f"WHERE (p ->> 1)::float8 > %s) AS nxt FROM c JOIN {table} d ON d.id = c.id) "
        f"UPDATE {table} d SET next_fire_at = to_timestamp(n.nxt), "
        f"status = CASE WHEN n.nxt IS NULL THEN %s ELSE d.status END, updated_at = %s "
        f"FROM n WHERE d.id = n.id RETURNING {columns}"
    )
    params = [
        now,
        DeadlineStatus.ACTIVE.value,
        size,
        now.timestamp(),
        DeadlineStatus.FIRED.value,
        timezone.now(),
    ]
    return list(Deadline.objects.raw(sql, params))


def _plan(row: Deadline, now_ts: float) -> tuple[str | None, dt.datetime | None]:
    """The point to hand over now (the latest one due) and the time of the next one."""
    due = [name for name, ts in row.points if ts <= now_ts]
    future = [ts for _, ts in row.points if ts > now_ts]
    return (due[-1] if due else None), (_from_ts(min(future)) if future else None)


def _process(rows: list[Deadline], now: dt.datetime) -> int:
    if not rows:
        return 0
    now_ts = now.timestamp()
    firings: list[tuple[int, str]] = []
    updates: list[tuple[int, dt.datetime | None]] = []
    for row in rows:
        point, nxt = _plan(row, now_ts)
        if point is not None:
            firings.append((row.pk, point))
        updates.append((row.pk, nxt))
    inserted = _insert_firings(firings, now)
    # Advance first, so a handler that cancels or reschedules its own deadline has the last word.
    if connection.vendor != "postgresql":  # PostgreSQL advanced them while claiming
        _apply_updates(updates)
    recovered = [row.pk for row in rows if row.attempts]
    if recovered:
        Deadline.objects.filter(pk__in=recovered).update(attempts=0, last_error="")
    calls = 0
    batches: dict[str, list[tuple[Deadline, str]]] = {}
    for row in rows:
        for name, _ts in row.points:
            if (row.pk, name) not in inserted:
                continue
            calls += 1
            if row.kind in _batch_handlers:
                batches.setdefault(row.kind, []).append((row, name))
                continue
            handler = _handlers.get(row.kind)
            if handler is None:
                raise LookupError(f"No deadline handler registered for {row.kind!r}.")
            handler(row, name)
    for kind, items in batches.items():
        _batch_handlers[kind](items)
    return calls


def _process_isolated(row: Deadline, now: dt.datetime) -> int:
    try:
        with memo_scope(), transaction.atomic():
            return _process([row], now)
    except Exception as exc:
        logger.exception("Deadline %s failed at %s", row.key, now)
        backoff = min(RETRY_BACKOFF * (2 ** min(row.attempts, 10)), MAX_BACKOFF)
        Deadline.objects.filter(pk=row.pk).update(
            attempts=F("attempts") + 1,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_fire_at=now + backoff,
            status=DeadlineStatus.ACTIVE,
            updated_at=timezone.now(),
        )
        return 0
