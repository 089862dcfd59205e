"""Memoising reference reads for the length of one unit of work (a scheduler batch).

Some reads are the same for every item of a batch: the catalog's requirement map, say, which
every fired expiry point consults. Inside ``memo_scope()`` such a read is computed once and
reused; outside any scope ``memoised`` simply calls the loader, so callers that are not part
of a batch always read fresh data. The scope is per thread/task (a ``ContextVar``), and each
scope starts empty, so the next batch sees whatever changed in between.

A writer that changes memoised data calls ``forget(prefix)`` so that a reader later in the
same scope (a handler changing requirements halfway through a batch) does not see stale data.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

_scope: contextvars.ContextVar[dict[Hashable, Any] | None] = contextvars.ContextVar(
    "qms_memo_scope", default=None
)


@contextmanager
def memo_scope() -> Iterator[None]:
    """Memoise reads made inside the block; a scope opened inside another reuses the outer."""
    if _scope.get() is not None:
        yield
        return
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def in_scope() -> bool:
    return _scope.get() is not None


def memoised(key: tuple[Hashable, ...], loader: Callable[[], T]) -> T:
    """``loader()``, computed once per scope for ``key`` (first item: the owner's prefix,
    e.g. ``"catalog.requirements"``); without a scope, every call loads."""
    store = _scope.get()
    if store is None:
        return loader()
    if key not in store:
        store[key] = loader()
    return store[key]


def forget(prefix: str) -> None:
    """Drop what the current scope memoised under keys starting with ``prefix``."""
    store = _scope.get()
    if not store:
        return
    for key in [k for k in store if isinstance(k, tuple) and str(k[0]).startswith(prefix)]:
        del store[key]
