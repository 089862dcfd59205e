from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from qms.shared import deadlines
from qms.shared.deadlines import (
    cancel_deadline,
    pause_deadline,
    register_handler,
    resume_deadline,
    run_due_deadlines,
    schedule_deadline,
)
from qms.shared.errors import ValidationFailed
from qms.shared.models import Deadline, DeadlineFiring

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
DUE = T0 + dt.timedelta(days=60)
DAY = dt.timedelta(days=1)
WARN = [dt.timedelta(days=30), dt.timedelta(days=7), dt.timedelta(days=1)]


@pytest.fixture
def calls() -> Iterator[list[tuple[str, str]]]:
    seen: list[tuple[str, str]] = []
    register_handler("test.timer", lambda d, point: seen.append((d.key, point)))
    yield seen
    deadlines._handlers.pop("test.timer", None)


def _schedule(
    key: str = "t:1", due: dt.datetime = DUE, warnings: Any = WARN, **kw: Any
) -> Deadline:
    return schedule_deadline(
        key=key,
        kind="test.timer",
        subject_type="test",
        subject_id="1",
        due_at=due,
        warnings=warnings,
        **kw,
    )


def test_points_and_first_fire_time(calls: list) -> None:
    d = _schedule()
    assert [p[0] for p in d.points] == ["warn:30d", "warn:7d", "warn:1d", "due"]
    assert d.next_fire_at == DUE - dt.timedelta(days=30)
    assert d.warnings == [30 * 86400, 7 * 86400, 86400]
    assert d.status == "active"


def test_warnings_at_30_7_1_days_then_due_each_fire_once(calls: list) -> None:
    _schedule()
    assert run_due_deadlines(now=DUE - dt.timedelta(days=31)) == 0
    for days, point in [(30, "warn:30d"), (7, "warn:7d"), (1, "warn:1d"), (0, "due")]:
        moment = DUE - dt.timedelta(days=days)
        assert run_due_deadlines(now=moment) == 1
        assert run_due_deadlines(now=moment) == 0  # a second scheduler pass: nothing again
        assert calls[-1] == ("t:1", point)
    assert len(calls) == 4
    d = Deadline.objects.get(key="t:1")
    assert (d.status, d.next_fire_at) == ("fired", None)
    assert DeadlineFiring.objects.filter(deadline=d).count() == 4


def test_late_run_hands_over_only_the_latest_point(calls: list) -> None:
    _schedule()
    assert run_due_deadlines(now=DUE - dt.timedelta(days=3)) == 1
    assert calls == [("t:1", "warn:7d")]
    assert list(DeadlineFiring.objects.values_list("point", flat=True)) == ["warn:7d"]
    assert Deadline.objects.get(key="t:1").next_fire_at == DUE - DAY


def test_restart_safety_state_is_only_in_the_database(
    calls: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    _schedule()
    run_due_deadlines(now=DUE - dt.timedelta(days=30))
    # the process dies; a new one starts with no handlers and registers them again
    monkeypatch.setattr(deadlines, "_handlers", {})
    seen_after: list[str] = []
    register_handler("test.timer", lambda d, point: seen_after.append(point))
    assert run_due_deadlines(now=DUE - dt.timedelta(days=30)) == 0
    assert run_due_deadlines(now=DUE + DAY) == 1
    assert seen_after == ["due"]


def test_schedule_is_idempotent_and_reschedule_keeps_fired_points(calls: list) -> None:
    first = _schedule()
    assert _schedule().pk == first.pk
    run_due_deadlines(now=DUE - dt.timedelta(days=30))
    later = DUE + dt.timedelta(days=10)
    d = _schedule(due=later)
    assert d.pk == first.pk
    assert d.due_at == later
    assert d.next_fire_at == later - dt.timedelta(days=7)  # warn:30d already fired
    run_due_deadlines(now=later - dt.timedelta(days=30))
    assert [p for _, p in calls] == ["warn:30d"]
    run_due_deadlines(now=later)
    assert [p for _, p in calls] == ["warn:30d", "due"]


def test_cancel_stops_everything(calls: list) -> None:
    _schedule()
    cancel_deadline(key="t:1")
    cancel_deadline(key="nope")  # unknown keys are fine
    assert run_due_deadlines(now=DUE + DAY) == 0
    assert Deadline.objects.get(key="t:1").status == "cancelled"
    assert _schedule().status == "active"  # scheduling again revives it


def test_pause_and_resume_shift_the_due_time(calls: list) -> None:
    _schedule(warnings=[dt.timedelta(days=7)])
    paused = pause_deadline(key="t:1", now=T0 + dt.timedelta(days=10))
    assert (paused.status, paused.next_fire_at) == ("paused", None)
    assert paused.paused_remaining == dt.timedelta(days=50)
    assert run_due_deadlines(now=DUE + DAY) == 0
    resumed = resume_deadline(key="t:1", now=T0 + dt.timedelta(days=20))
    assert resumed.due_at == DUE + dt.timedelta(days=10)
    assert resumed.next_fire_at == DUE + dt.timedelta(days=3)
    assert run_due_deadlines(now=resumed.due_at) == 1
    assert calls == [("t:1", "due")]


def test_pause_with_a_calendar_keeps_working_time(calls: list) -> None:
    sh = dt.timezone(dt.timedelta(hours=8))
    due = dt.datetime(2026, 3, 13, 18, tzinfo=sh)  # Friday 18:00
    _schedule(due=due, warnings=[dt.timedelta(hours=2)], calendar="CN")
    d = Deadline.objects.get(key="t:1")
    assert d.next_fire_at == dt.datetime(2026, 3, 13, 16, tzinfo=sh)
    pause_deadline(key="t:1", now=dt.datetime(2026, 3, 13, 15, tzinfo=sh))
    resumed = resume_deadline(key="t:1", now=dt.datetime(2026, 3, 16, 9, tzinfo=sh))
    assert resumed.due_at == dt.datetime(2026, 3, 16, 12, tzinfo=sh)


def test_calendar_day_warnings_count_working_days(calls: list) -> None:
    sh = dt.timezone(dt.timedelta(hours=8))
    due = dt.datetime(2026, 2, 25, 10, tzinfo=sh)  # Wednesday after Spring Festival
    d = _schedule(due=due, warnings=[dt.timedelta(days=1)], calendar="CN")
    # one working day before 25 Feb is 24 Feb; 15-23 Feb are off, 14 Feb (Sat) is working.
    assert d.next_fire_at == dt.datetime(2026, 2, 24, 10, tzinfo=sh)
    d = _schedule(due=due, warnings=[dt.timedelta(days=2)], calendar="CN")
    assert d.next_fire_at == dt.datetime(2026, 2, 14, 10, tzinfo=sh)


def test_failing_handler_is_isolated_and_retried(calls: list) -> None:
    def boom(d: Deadline, point: str) -> None:
        raise RuntimeError("handler down")

    register_handler("test.boom", boom)
    try:
        schedule_deadline(
            key="b:1", kind="test.boom", subject_type="test", subject_id="1", due_at=DUE
        )
        _schedule(warnings=[])
        assert run_due_deadlines(now=DUE) == 1
        assert calls == [("t:1", "due")]
        bad = Deadline.objects.get(key="b:1")
        assert bad.status == "active"
        assert bad.attempts == 1
        assert "handler down" in bad.last_error
        assert bad.next_fire_at == DUE + deadlines.RETRY_BACKOFF
        assert not DeadlineFiring.objects.filter(deadline=bad).exists()
        register_handler("test.boom", lambda d, p: calls.append((d.key, p)))
        assert run_due_deadlines(now=DUE + dt.timedelta(minutes=5)) == 1
        bad.refresh_from_db()
        assert (bad.status, bad.attempts, bad.last_error) == ("fired", 0, "")
    finally:
        deadlines._handlers.pop("test.boom", None)


def test_batches_and_limit(calls: list) -> None:
    for i in range(25):
        _schedule(key=f"t:{i}", warnings=[])
    assert run_due_deadlines(now=DUE, limit=10, batch_size=4) == 10
    assert run_due_deadlines(now=DUE, batch_size=4) == 15
    assert run_due_deadlines(now=DUE) == 0
    assert len({k for k, _ in calls}) == 25


def test_bad_input() -> None:
    with pytest.raises(ValidationFailed) as exc:
        _schedule(due=dt.datetime(2026, 1, 1))
    assert exc.value.code == "deadline_naive_datetime"
    with pytest.raises(ValidationFailed) as exc:
        _schedule(warnings=[dt.timedelta(0)])
    assert exc.value.code == "deadline_warning_invalid"


def test_run_scheduler_command_once(calls: list, monkeypatch: pytest.MonkeyPatch) -> None:
    _schedule(due=T0, warnings=[])
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert calls == [("t:1", "due")]
    assert "fired 1" in out.getvalue()


def test_a_stale_claim_cannot_fire_a_point_twice(calls: list) -> None:
    """Two schedulers that read the same due rows: the firing's unique row decides."""
    for i in range(5):
        _schedule(key=f"t:{i}", warnings=[])
    first = deadlines._claim(DUE, 10)
    second = deadlines._claim(DUE, 10)
    assert deadlines._process(first, DUE) == 5
    assert deadlines._process(second, DUE) == 0
    assert sorted(k for k, _ in calls) == [f"t:{i}" for i in range(5)]


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_in_parallel_fire_each_point_once() -> None:
    import threading
    import time

    from django.db import OperationalError, connection

    seen: list[tuple[str, str]] = []
    lock = threading.Lock()

    def handler(d: Deadline, point: str) -> None:
        with lock:
            seen.append((d.key, point))

    register_handler("test.parallel", handler)
    try:
        for i in range(60):
            schedule_deadline(
                key=f"p:{i}",
                kind="test.parallel",
                subject_type="test",
                subject_id=str(i),
                due_at=DUE,
                warnings=[DAY],
            )
        results: list[int] = []
        errors: list[BaseException] = []

        def worker() -> None:
            # SQLite's shared-cache test database reports "table is locked" instead of
            # waiting; a real scheduler would run again on its next tick, so do that.
            try:
                for _ in range(200):
                    try:
                        results.append(run_due_deadlines(now=DUE, batch_size=7))
                        return
                    except OperationalError:
                        time.sleep(0.01)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert len(results) == 2
        assert set(seen) == {(f"p:{i}", "due") for i in range(60)}
        assert set(Deadline.objects.values_list("status", flat=True)) == {"fired"}
        assert DeadlineFiring.objects.count() == 60  # the passed-over warnings leave no row
    finally:
        deadlines._handlers.pop("test.parallel", None)


def test_run_scheduler_loop_runs_until_stopped(
    calls: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal

    from qms.shared.management.commands.run_scheduler import Command

    passes: list[int] = []

    def fake_sleep(self: Command, seconds: float) -> None:
        passes.append(1)
        if len(passes) == 1:  # something becomes due while the scheduler sleeps
            _schedule(due=T0, warnings=[])
        else:
            self._stop = True

    monkeypatch.setattr(Command, "_sleep", fake_sleep)
    before = signal.getsignal(signal.SIGINT)
    call_command("run_scheduler", "--interval", "0", stdout=StringIO())
    assert calls == [("t:1", "due")]
    assert len(passes) == 2
    assert signal.getsignal(signal.SIGINT) is before


def test_a_batch_handler_gets_every_point_of_its_batch_in_one_call() -> None:
    batches: list[list[tuple[str, str]]] = []
    deadlines.register_batch_handler(
        "test.batch", lambda items: batches.append([(d.key, p) for d, p in items])
    )
    try:
        for i in range(5):
            schedule_deadline(
                key=f"bh:{i}",
                kind="test.batch",
                subject_type="test",
                subject_id=str(i),
                due_at=DUE + i * dt.timedelta(seconds=1),
                warnings=[DAY],
            )
        assert "test.batch" in deadlines.registered_kinds()
        assert run_due_deadlines(now=DUE - DAY + dt.timedelta(minutes=1), batch_size=3) == 5
        assert batches == [
            [("bh:0", "warn:1d"), ("bh:1", "warn:1d"), ("bh:2", "warn:1d")],
            [("bh:3", "warn:1d"), ("bh:4", "warn:1d")],
        ]
        assert run_due_deadlines(now=DUE - DAY + dt.timedelta(minutes=2)) == 0  # once only
        assert run_due_deadlines(now=DUE + DAY) == 5
        assert batches[-1] == [(f"bh:{i}", "due") for i in range(5)]
        assert DeadlineFiring.objects.filter(deadline__kind="test.batch").count() == 10
    finally:
        deadlines._batch_handlers.pop("test.batch", None)


def test_a_failing_batch_is_retried_one_deadline_at_a_time() -> None:
    seen: list[list[str]] = []

    def handler(items: list[tuple[Deadline, str]]) -> None:
        keys = [d.key for d, _ in items]
        seen.append(keys)
        if "bad:1" in keys:
            Deadline.objects.filter(key="marker").update(last_error="written by a failed batch")
            raise RuntimeError("one bad deadline")

    deadlines.register_batch_handler("test.batchboom", handler)
    try:
        for key in ("ok:0", "bad:1", "ok:2"):
            schedule_deadline(
                key=key, kind="test.batchboom", subject_type="test", subject_id="1", due_at=DUE
            )
        _schedule(key="marker", due=DUE + DAY, warnings=[])
        assert run_due_deadlines(now=DUE) == 2
        assert seen == [["ok:0", "bad:1", "ok:2"], ["ok:0"], ["bad:1"], ["ok:2"]]
        assert Deadline.objects.get(key="marker").last_error == ""  # rolled back
        bad = Deadline.objects.get(key="bad:1")
        assert (bad.status, bad.attempts) == ("active", 1)
        assert set(
            DeadlineFiring.objects.filter(deadline__kind="test.batchboom").values_list(
                "deadline__key", flat=True
            )
        ) == {"ok:0", "ok:2"}
    finally:
        deadlines._batch_handlers.pop("test.batchboom", None)


def test_registering_a_plain_handler_replaces_a_batch_handler(calls: list) -> None:
    deadlines.register_batch_handler("test.timer", lambda items: None)
    register_handler("test.timer", lambda d, point: calls.append((d.key, point)))
    _schedule(warnings=[])
    assert run_due_deadlines(now=DUE) == 1
    assert calls == [("t:1", "due")]
    assert "test.timer" not in deadlines._batch_handlers
