"""``qms run_scheduler``: fire due deadlines, in a loop or once.

All state lives in the database (``shared_deadline`` and ``shared_deadlinefiring``), so the
process can be stopped and started at any time and several can run side by side: each point
fires exactly once. SIGTERM/SIGINT stop the loop after the current batch.
"""

from __future__ import annotations

import logging
import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections, connection

from qms.shared.deadlines import run_due_deadlines

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Fire due deadlines (document expiry, SLA timers, …). Loops unless --once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=30.0,
            help="Seconds to sleep when nothing is due (default 30).",
        )
        parser.add_argument(
            "--limit", type=int, default=10000, help="Deadlines handled per pass (default 10000)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._stop = False
        if options["once"]:
            self._loop(options)
            return
        previous = {
            sig: signal.signal(sig, self._request_stop) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            self._loop(options)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _loop(self, options: dict[str, Any]) -> None:
        limit: int = options["limit"]
        while True:
            if not connection.in_atomic_block:  # drop a dead or stale connection
                close_old_connections()
            try:
                fired = run_due_deadlines(limit=limit)
            except DatabaseError:
                if options["once"]:
                    raise
                logger.exception("Scheduler pass failed; retrying after the interval.")
                close_old_connections()
                fired = 0
            if fired or options["verbosity"] > 1:
                self.stdout.write(f"fired {fired} deadline point(s)")
            if options["once"] or self._stop:
                break
            if fired < limit:
                self._sleep(options["interval"])
            if self._stop:
                break

    def _request_stop(self, signum: int, frame: Any) -> None:
        self._stop = True

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self._stop and time.monotonic() < end:
            time.sleep(min(0.5, end - time.monotonic()))
