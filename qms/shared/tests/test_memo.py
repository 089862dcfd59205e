"""memo_scope(): a read is computed once per scope, afresh in the next, and on demand."""

from __future__ import annotations

from qms.shared.memo import forget, in_scope, memo_scope, memoised


def _counting_loader(calls: list[str], value: str):
    def load() -> str:
        calls.append(value)
        return value

    return load


def test_outside_a_scope_every_call_loads() -> None:
    calls: list[str] = []
    assert not in_scope()
    assert memoised(("test.a",), _counting_loader(calls, "x")) == "x"
    assert memoised(("test.a",), _counting_loader(calls, "y")) == "y"
    assert calls == ["x", "y"]


def test_a_scope_loads_once_per_key_and_the_next_scope_loads_again() -> None:
    calls: list[str] = []
    with memo_scope():
        assert in_scope()
        assert memoised(("test.a", 1), _counting_loader(calls, "one")) == "one"
        assert memoised(("test.a", 1), _counting_loader(calls, "changed")) == "one"
        assert memoised(("test.a", 2), _counting_loader(calls, "two")) == "two"
    assert calls == ["one", "two"]
    with memo_scope():
        assert memoised(("test.a", 1), _counting_loader(calls, "changed")) == "changed"
    assert calls == ["one", "two", "changed"]
    assert not in_scope()


def test_an_inner_scope_joins_the_outer_one() -> None:
    calls: list[str] = []
    with memo_scope():
        memoised(("test.a",), _counting_loader(calls, "outer"))
        with memo_scope():
            assert memoised(("test.a",), _counting_loader(calls, "inner")) == "outer"
        assert in_scope()
    assert calls == ["outer"]


def test_forget_drops_only_the_keys_under_the_prefix() -> None:
    calls: list[str] = []
    with memo_scope():
        memoised(("test.a", 1), _counting_loader(calls, "a1"))
        memoised(("test.b", 1), _counting_loader(calls, "b1"))
        forget("test.a")
        assert memoised(("test.a", 1), _counting_loader(calls, "a2")) == "a2"
        assert memoised(("test.b", 1), _counting_loader(calls, "b2")) == "b1"
    assert calls == ["a1", "b1", "a2"]
    forget("test.a")  # outside a scope: nothing to forget, no error
