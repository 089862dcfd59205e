"""The builder process: items arrive in order, errors and deaths reach the caller."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from qms.generate.pipeline import prefetch_in_process


def _numbers() -> Iterator[int]:
    yield from range(10)


def _failing() -> Iterator[int]:
    yield 1
    raise ValueError("builder broke")


def _dying() -> Iterator[int]:
    yield 1
    os._exit(3)


def test_items_arrive_in_order() -> None:
    assert list(prefetch_in_process(_numbers, depth=2)) == list(range(10))


def test_a_builder_error_is_raised_in_the_parent() -> None:
    items = prefetch_in_process(_failing)
    assert next(items) == 1
    with pytest.raises(RuntimeError, match="builder broke"):
        next(items)


def test_a_dead_builder_is_noticed() -> None:
    with pytest.raises(RuntimeError, match="died"):
        list(prefetch_in_process(_dying))


def test_stopping_early_ends_the_child() -> None:
    items = prefetch_in_process(_numbers, depth=1)
    assert next(items) == 0
    items.close()  # the consumer gives up: the child is terminated, nothing hangs
