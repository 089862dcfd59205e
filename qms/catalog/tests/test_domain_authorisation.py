from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from qms.catalog.domain.authorisation import (
    ChainFailure,
    Link,
    best_chain,
    chain_upwards,
    evaluate_chain,
    grant_problem,
)

D = dt.date
OWNER, DISTRIBUTOR, MERCHANT, OTHER = 100, 200, 300, 400


def owner_link(**kw: object) -> Link:
    base = {
        "id": 1,
        "parent_id": None,
        "grantee_org_id": DISTRIBUTOR,
        "grantor_org_id": None,
        "markets": frozenset({"CN", "EU"}),
        "valid_from": D(2025, 1, 1),
        "valid_to": D(2027, 12, 31),
    }
    return Link(**{**base, **kw})  # type: ignore[arg-type]


def merchant_link(**kw: object) -> Link:
    base = {
        "id": 2,
        "parent_id": 1,
        "grantee_org_id": MERCHANT,
        "grantor_org_id": DISTRIBUTOR,
        "markets": frozenset({"CN"}),
        "valid_from": D(2025, 6, 1),
        "valid_to": D(2026, 5, 31),
    }
    return Link(**{**base, **kw})  # type: ignore[arg-type]


DAY = D(2025, 9, 1)


def verdict(links: list[Link], on: dt.date = DAY, market: str = "CN", **kw: object):
    return best_chain(grantee_org_id=MERCHANT, links=links, on=on, market=market, **kw)  # type: ignore[arg-type]


def test_a_whole_valid_chain_is_returned_owner_first() -> None:
    v = verdict([merchant_link(), owner_link()])
    assert v.ok
    assert [link.id for link in v.chain] == [1, 2]
    assert v.failure is None


def test_each_failure_is_named_with_the_failing_link() -> None:
    assert (
        verdict([owner_link(), merchant_link()], market="EU").failure
        is ChainFailure.MARKET_NOT_COVERED
    )
    assert (
        verdict([owner_link(), merchant_link()], on=D(2025, 5, 31)).failure
        is ChainFailure.NOT_YET_VALID
    )
    assert (
        verdict([owner_link(), merchant_link()], on=D(2026, 6, 1)).failure is ChainFailure.EXPIRED
    )
    revoked_top = verdict([owner_link(revoked_on=D(2025, 8, 1)), merchant_link()])
    assert revoked_top.failure is ChainFailure.REVOKED
    assert revoked_top.failing_link_id == 1
    assert verdict([merchant_link()]).failure is ChainFailure.CHAIN_BROKEN  # parent missing
    assert verdict([]).failure is ChainFailure.NO_AUTHORISATION
    assert (
        verdict([owner_link(), merchant_link()], brand_active=False).failure
        is ChainFailure.BRAND_SUSPENDED
    )


def test_revocation_takes_effect_from_its_day_only() -> None:
    links = [owner_link(revoked_on=D(2025, 8, 1)), merchant_link()]
    assert verdict(links, on=D(2025, 7, 31)).ok
    assert not verdict(links, on=D(2025, 8, 1)).ok


def test_a_link_granted_by_someone_else_breaks_the_chain() -> None:
    v = verdict([owner_link(), merchant_link(grantor_org_id=OTHER)])
    assert v.failure is ChainFailure.CHAIN_BROKEN
    assert v.failing_link_id == 2


def test_the_first_good_chain_wins_over_a_failing_one() -> None:
    second_owner = owner_link(id=3, grantee_org_id=OTHER, valid_to=None)
    through_other = merchant_link(id=4, parent_id=3, grantor_org_id=OTHER, valid_to=None)
    links = [owner_link(valid_to=D(2025, 8, 1)), merchant_link(), second_owner, through_other]
    v = verdict(links)
    assert v.ok
    assert [link.id for link in v.chain] == [3, 4]


def test_when_all_fail_the_closest_candidate_is_reported() -> None:
    direct = owner_link(
        id=5, grantee_org_id=MERCHANT, markets=frozenset({"EU"}), revoked_on=D(2025, 1, 2)
    )
    v = verdict([owner_link(), merchant_link(), direct], market="EU")
    assert not v.ok
    assert len(v.candidates) == 2
    # the chain through the distributor fails lower down (at the merchant's link) than the
    # revoked direct link, so it is the one reported
    assert (v.failing_link_id, v.failure) == (2, ChainFailure.MARKET_NOT_COVERED)
    assert v.message == "A link of the chain does not cover this market."


def test_chain_upwards_stops_on_cycles() -> None:
    a = owner_link(id=1, parent_id=2)
    b = merchant_link(id=2, parent_id=1)
    assert [link.id for link in chain_upwards(2, {1: a, 2: b})] == [1, 2]
    assert (
        evaluate_chain(chain_upwards(2, {1: a, 2: b}), on=D(2025, 9, 1), market="CN").failure
        is ChainFailure.CHAIN_BROKEN
    )


def test_grant_problem_keeps_sub_licences_within_their_parent() -> None:
    parent = owner_link()
    today = D(2025, 3, 1)
    ok = {
        "parent": parent,
        "markets": frozenset({"CN"}),
        "valid_from": D(2025, 2, 1),
        "valid_to": D(2026, 1, 31),
        "grantor_org_id": DISTRIBUTOR,
        "today": today,
    }
    assert grant_problem(**ok) is None  # type: ignore[arg-type]
    cases = {
        "authorisation_markets_exceed_parent": {
            "parent": owner_link(markets=frozenset({"CN"})),
            "markets": frozenset({"CN", "EU"}),
        },
        "authorisation_outlives_parent": {"valid_to": D(2028, 1, 1)},
        "authorisation_grantor_mismatch": {"grantor_org_id": OTHER},
        "authorisation_parent_revoked": {"parent": owner_link(revoked_on=D(2025, 2, 1))},
        "authorisation_parent_expired": {"today": D(2028, 1, 1)},
        "authorisation_dates_invalid": {"valid_to": D(2024, 1, 1)},
        "authorisation_markets_required": {"markets": frozenset()},
    }
    for code, change in cases.items():
        problem = grant_problem(**{**ok, **change})  # type: ignore[arg-type]
        assert problem is not None, code
        assert problem[0] == code, code
    assert grant_problem(**{**ok, "valid_to": None})[0] == "authorisation_outlives_parent"  # type: ignore[arg-type,index]


days = st.dates(min_value=D(2024, 1, 1), max_value=D(2029, 12, 31))
link_specs = st.tuples(
    days,
    st.one_of(st.none(), days),
    st.one_of(st.none(), days),
    st.frozensets(st.sampled_from(["CN", "EU"]), min_size=1),
)


@given(st.lists(link_specs, min_size=1, max_size=5), days, st.sampled_from(["CN", "EU"]))
def test_a_chain_is_valid_exactly_when_every_link_is(specs: list, on: dt.date, market: str) -> None:
    chain = []
    for i, (start, end, revoked, markets) in enumerate(specs):
        chain.append(
            Link(
                id=i + 1,
                parent_id=i or None,
                grantee_org_id=1000 + i,
                grantor_org_id=(999 + i) if i else None,
                markets=markets,
                valid_from=start,
                valid_to=end,
                revoked_on=revoked,
            )
        )
    v = evaluate_chain(chain, on=on, market=market)
    assert v.ok == all(link.failure_on(on=on, market=market) is None for link in chain)
    if not v.ok:  # the reported link is the topmost failing one
        first_bad = next(link for link in chain if link.failure_on(on=on, market=market))
        assert v.failing_link_id == first_bad.id
        assert v.failure is first_bad.failure_on(on=on, market=market)


@given(st.lists(link_specs, min_size=2, max_size=5), days)
def test_a_link_is_never_valid_when_its_parent_is_not(specs: list, on: dt.date) -> None:
    chain = [
        Link(
            id=i + 1,
            parent_id=i or None,
            grantee_org_id=1000 + i,
            grantor_org_id=(999 + i) if i else None,
            markets=m,
            valid_from=s,
            valid_to=e,
            revoked_on=r,
        )
        for i, (s, e, r, m) in enumerate(specs)
    ]
    for cut in range(1, len(chain)):
        if not evaluate_chain(chain[:cut], on=on, market="CN").ok:
            assert not evaluate_chain(chain, on=on, market="CN").ok
