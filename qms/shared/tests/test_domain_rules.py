"""The pure rule registry: definitions, registration checks, effective dating (hypothesis)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qms.shared.domain.rules import Rule, RuleError, RuleNotInForce, RuleRegistry, UnknownRule
from qms.shared.domain.severity import Severity

D = dt.date
MSG = {"en": "Needs {doc} within {days} days.", "zh-hans": "须在 {days} 天内提供{doc}。"}


JAN_1 = D(2026, 1, 1)


def make_rule(version: int = 1, start: dt.date = JAN_1, **kw: object) -> Rule:
    fields: dict = {
        "id": "listing.food.sc_licence",
        "version": version,
        "title": "Food needs an SC licence",
        "legal_basis": "Food Safety Law of the PRC, Art. 35",
        "severity": "high",
        "effective_from": start,
        "message": MSG,
        "parameters": {"doc": "SC licence", "days": 30},
    }
    fields.update(kw)
    return Rule(**fields)


def test_rule_normalises_and_formats_messages():
    rule = make_rule(markets={"cn", "EU"}, categories={"/food/"})
    assert rule.severity is Severity.HIGH
    assert rule.markets == frozenset({"CN", "EU"})
    assert rule.categories == frozenset({"food"})
    assert rule.format_message("en") == "Needs SC licence within 30 days."
    assert rule.format_message("zh-hans", days=7) == "须在 7 天内提供SC licence。"
    assert rule.format_message("fr") == "Needs SC licence within 30 days."
    assert rule.citation() == {
        "rule_id": "listing.food.sc_licence",
        "version": 1,
        "legal_basis": "Food Safety Law of the PRC, Art. 35",
    }


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"id": "Bad Id"}, "rule_id_invalid"),
        ({"version": 0}, "rule_version_invalid"),
        ({"title": " "}, "rule_title_required"),
        ({"legal_basis": ""}, "rule_legal_basis_required"),
        ({"effective_to": D(2026, 1, 1)}, "rule_period_invalid"),
        ({"announced_on": D(2026, 2, 1)}, "rule_announcement_invalid"),
        ({"message": {"en": "only English"}}, "rule_message_missing"),
    ],
)
def test_invalid_rules_are_refused_with_a_code(change, code):
    with pytest.raises(RuleError) as exc:
        make_rule(**change)
    assert exc.value.code == code


def test_rules_are_immutable():
    rule = make_rule()
    with pytest.raises(TypeError):
        rule.parameters["days"] = 5  # type: ignore[index]


def test_scope_matches_market_and_category_descendants():
    rule = make_rule(markets={"CN"}, categories={"food"})
    assert rule.applies_to(market="cn", category="food/tea")
    assert rule.applies_to(market="CN", category="food")
    assert not rule.applies_to(market="CN", category="foodstuff")
    assert not rule.applies_to(market="EU", category="food")
    assert make_rule().applies_to(market="EU", category="toys")


def test_register_refuses_duplicates_older_versions_and_out_of_order_dates():
    reg = RuleRegistry("listings")
    reg.register(make_rule(1, D(2026, 1, 1)))
    reg.register(make_rule(3, D(2026, 6, 1)))
    with pytest.raises(RuleError) as dup:
        reg.register(make_rule(3, D(2026, 7, 1)))
    assert dup.value.code == "rule_duplicate"
    with pytest.raises(RuleError) as old:
        reg.register(make_rule(2, D(2026, 7, 1)))
    assert old.value.code == "rule_version_not_newer"
    with pytest.raises(RuleError) as order:
        reg.register(make_rule(4, D(2026, 5, 1)))
    assert order.value.code == "rule_effective_out_of_order"
    assert [r.version for r in reg.history("listing.food.sc_licence")] == [1, 3]


def test_get_returns_the_version_in_force():
    reg = RuleRegistry("listings")
    reg.register(make_rule(1, D(2026, 1, 1)))
    reg.register(make_rule(2, D(2026, 7, 1), effective_to=D(2027, 1, 1), parameters={"days": 15}))
    assert reg.get("listing.food.sc_licence", on=D(2026, 6, 30)).version == 1
    assert reg.get("listing.food.sc_licence", on=D(2026, 7, 1)).version == 2
    with pytest.raises(RuleNotInForce):
        reg.get("listing.food.sc_licence", on=D(2025, 12, 31))
    with pytest.raises(RuleNotInForce):
        reg.get("listing.food.sc_licence", on=D(2027, 1, 1))
    with pytest.raises(UnknownRule):
        reg.get("listing.nope", on=D(2026, 7, 1))


def test_active_filters_by_scope_and_upcoming_lists_announced_changes():
    reg = RuleRegistry("returns")
    reg.register(make_rule(1, D(2026, 1, 1), id="returns.cn.7day", markets={"CN"}))
    reg.register(make_rule(1, D(2026, 1, 1), id="returns.eu.14day", markets={"EU"}))
    reg.register(
        make_rule(
            2, D(2026, 3, 1), id="returns.cn.7day", markets={"CN"}, announced_on=D(2026, 1, 15)
        )
    )
    reg.register(
        make_rule(
            2, D(2026, 3, 10), id="returns.eu.14day", markets={"EU"}, announced_on=D(2026, 2, 20)
        )
    )
    assert [r.id for r in reg.active(on=D(2026, 2, 1), market="CN")] == ["returns.cn.7day"]
    upcoming = reg.upcoming(today=D(2026, 2, 1), within=dt.timedelta(days=60))
    assert [(r.id, r.version) for r in upcoming] == [("returns.cn.7day", 2)]
    later = reg.upcoming(today=D(2026, 2, 25), within=dt.timedelta(days=30))
    assert [(r.id, r.version) for r in later] == [("returns.cn.7day", 2), ("returns.eu.14day", 2)]
    assert (
        reg.upcoming(today=D(2026, 2, 25), within=dt.timedelta(days=30), market="EU")[0].version
        == 2
    )
    assert reg.upcoming(today=D(2026, 3, 1), within=dt.timedelta(days=30), market="CN") == []


# --- effective dating, property-based ---------------------------------------------------

BASE = D(2026, 1, 1)


@st.composite
def timelines(draw: st.DrawFn) -> list[Rule]:
    """A valid history of one rule: increasing versions, non-decreasing start dates,
    optional end dates, optional announcement dates."""
    n = draw(st.integers(min_value=1, max_value=6))
    offsets = sorted(draw(st.lists(st.integers(0, 400), min_size=n, max_size=n)))
    numbers = sorted(draw(st.sets(st.integers(1, 50), min_size=n, max_size=n)))
    out = []
    for version, offset in zip(numbers, offsets, strict=True):
        start = BASE + dt.timedelta(days=offset)
        length = draw(st.none() | st.integers(1, 200))
        lead = draw(st.none() | st.integers(0, 90))
        out.append(
            make_rule(
                version,
                start,
                effective_to=None if length is None else start + dt.timedelta(days=length),
                announced_on=None if lead is None else start - dt.timedelta(days=lead),
            )
        )
    return out


def reference_in_force(versions: list[Rule], on: dt.date) -> Rule | None:
    """The obvious definition: the latest version already started, unless it has ended."""
    started = [v for v in versions if v.effective_from <= on]
    if not started:
        return None
    latest = started[-1]
    if latest.effective_to is not None and on >= latest.effective_to:
        return None
    return latest


dates = st.integers(-30, 700).map(lambda d: BASE + dt.timedelta(days=d))


@settings(max_examples=200, deadline=None)
@given(versions=timelines(), on=dates)
def test_get_agrees_with_the_reference_definition(versions, on):
    reg = RuleRegistry("t")
    reg.register_all(versions)
    expected = reference_in_force(versions, on)
    assert reg.find(versions[0].id, on=on) == expected
    if expected is None:
        with pytest.raises(RuleNotInForce):
            reg.get(versions[0].id, on=on)
        assert reg.active(on=on) == []
    else:
        assert reg.get(versions[0].id, on=on) == expected
        assert reg.active(on=on) == [expected]


@settings(max_examples=200, deadline=None)
@given(versions=timelines(), on=dates)
def test_at_most_one_version_is_in_force_and_periods_do_not_overlap(versions, on):
    reg = RuleRegistry("t")
    reg.register_all(versions)
    periods = reg.periods(versions[0].id)
    assert sum(p.contains(on) for p in periods) <= 1
    for earlier, later in itertools.pairwise(periods):
        assert earlier.end is not None
        assert earlier.start < earlier.end <= later.start
        assert earlier.rule.version < later.rule.version


@settings(max_examples=200, deadline=None)
@given(versions=timelines(), today=dates, days=st.integers(0, 120))
def test_upcoming_lists_exactly_the_announced_versions_starting_within_the_window(
    versions, today, days
):
    reg = RuleRegistry("t")
    reg.register_all(versions)
    within = dt.timedelta(days=days)
    upcoming = reg.upcoming(today=today, within=within)
    in_force_today = reg.find(versions[0].id, on=today)
    expected = [
        p.rule
        for p in reg.periods(versions[0].id)
        if today < p.start <= today + within
        and (p.rule.announced_on is None or p.rule.announced_on <= today)
    ]
    assert upcoming == expected
    assert in_force_today not in upcoming
    for rule in upcoming:
        assert reg.find(rule.id, on=rule.effective_from) == rule


@given(versions=timelines())
def test_a_version_number_not_above_the_latest_is_refused(versions):
    reg = RuleRegistry("t")
    reg.register_all(versions)
    latest = versions[-1]
    with pytest.raises(RuleError):
        reg.register(make_rule(latest.version, latest.effective_from + dt.timedelta(days=1)))
    if latest.version > 1:
        with pytest.raises(RuleError):
            reg.register(make_rule(latest.version - 1, latest.effective_from))


def test_severity_ordering():
    assert Severity.at_least("high") == [Severity.HIGH, Severity.CRITICAL]
    assert Severity.INFO.rank < Severity.CRITICAL.rank
