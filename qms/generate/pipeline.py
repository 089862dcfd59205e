"""Building batches of rows in a forked child process while the parent writes the previous one.

Builders are pure Python and never touch the database, so a child process forked after the
reference data was read can build batch ``n + 1`` on another core while the parent (which
keeps the database connection and the transaction) writes batch ``n``. Rows cross over as
pickles through a bounded queue (``depth`` batches ahead), so memory stays bounded.
The child never uses the parent's database connection and leaves with ``os._exit``.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import traceback
from collections.abc import Callable, Iterator
from typing import Any

_DONE = "done"
_ERROR = "error"
_ITEM = "item"


def _child(make: Callable[[], Iterator[Any]], out: Any) -> None:
    try:
        for item in make():
            out.put((_ITEM, item))
        out.put((_DONE, None))
    except BaseException:  # reported to the parent, which raises it
        out.put((_ERROR, traceback.format_exc()))


def prefetch_in_process(make: Callable[[], Iterator[Any]], *, depth: int = 2) -> Iterator[Any]:
    """Iterate ``make()`` in a forked child, ``depth`` items ahead of the consumer."""
    ctx = mp.get_context("fork")
    out = ctx.Queue(maxsize=depth)
    proc = ctx.Process(target=_child, args=(make, out), name="qms-generate-builder", daemon=True)
    proc.start()
    try:
        while True:
            try:
                kind, payload = out.get(timeout=1.0)
            except queue.Empty:
                if not proc.is_alive():
                    raise RuntimeError(
                        f"The row builder process died (exit {proc.exitcode})."
                    ) from None
                continue
            if kind == _DONE:
                return
            if kind == _ERROR:
                raise RuntimeError(f"The row builder process failed:\n{payload}")
            yield payload
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join(timeout=10)
        out.close()
        out.cancel_join_thread()
