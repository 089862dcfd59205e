from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qms.catalog.domain.constants import ancestor_codes, parent_code
from qms.catalog.domain.requirements import (
    Requirement,
    codes_requiring,
    effective_requirements,
    index_by_category,
    required_codes,
)

INDEX = index_by_category(
    [
        Requirement("food", "CN", "business_licence"),
        Requirement("food", "CN", "food_production_licence_sc"),
        Requirement("food", "EU", "eu_trade_register_extract"),
        Requirement(
            "food/fresh_produce",
            "CN",
            "food_production_licence_sc",
            mandatory=False,
            note="no SC for edible agricultural products",
        ),
        Requirement("food/imported", "CN", "import_customs_declaration"),
    ]
)


def test_codes_and_parents() -> None:
    assert parent_code("food/tea") == "food"
    assert parent_code("food") is None
    assert ancestor_codes("a/b/c") == ["a", "a/b", "a/b/c"]


def test_requirements_inherit_down_the_tree() -> None:
    assert required_codes("food/tea", INDEX, "CN") == [
        "business_licence",
        "food_production_licence_sc",
    ]
    assert required_codes("food/imported", INDEX, "CN") == [
        "business_licence",
        "food_production_licence_sc",
        "import_customs_declaration",
    ]
    assert required_codes("food/tea", INDEX, "EU") == ["eu_trade_register_extract"]


def test_the_nearest_statement_wins() -> None:
    assert required_codes("food/fresh_produce", INDEX, "CN") == ["business_licence"]
    optional = required_codes("food/fresh_produce", INDEX, "CN", mandatory_only=False)
    assert "food_production_licence_sc" in optional
    sc = [
        r
        for r in effective_requirements("food/fresh_produce/fruit", INDEX, "CN")
        if r.document_type_code == "food_production_licence_sc"
    ]
    assert sc[0].category_code == "food/fresh_produce"
    assert not sc[0].mandatory


def test_codes_requiring_includes_descendants_but_not_overrides() -> None:
    codes = ["food", "food/tea", "food/fresh_produce", "food/imported", "books"]
    assert codes_requiring(codes, INDEX, "food_production_licence_sc") == {
        "food",
        "food/tea",
        "food/imported",
    }
    assert codes_requiring(codes, INDEX, "eu_trade_register_extract", "CN") == set()
    assert codes_requiring(codes, INDEX, "eu_trade_register_extract", "EU") == {
        "food",
        "food/tea",
        "food/fresh_produce",
        "food/imported",
    }


SEGMENTS = st.sampled_from(["a", "b", "c"])
CODES = st.lists(SEGMENTS, min_size=1, max_size=4).map("/".join)
DOCS = st.sampled_from(["business_licence", "ccc_certificate", "test_report"])
REQS = st.lists(
    st.builds(Requirement, CODES, st.sampled_from(["CN", "EU"]), DOCS, st.booleans()),
    max_size=12,
)


@given(REQS, CODES, CODES)
def test_a_descendant_inherits_unless_something_nearer_restates(
    reqs: list[Requirement], ancestor: str, tail: str
) -> None:
    index = index_by_category(reqs)
    descendant = f"{ancestor}/{tail}"
    between = ancestor_codes(descendant)[len(ancestor_codes(ancestor)) :]
    for market in ("CN", "EU"):
        for code in required_codes(ancestor, index, market):
            restated = any(
                r.category_code in between and r.market == market and r.document_type_code == code
                for r in reqs
            )
            if not restated:
                assert code in required_codes(descendant, index, market)


@given(REQS, DOCS)
def test_codes_requiring_agrees_with_required_codes(reqs: list[Requirement], doc: str) -> None:
    index = index_by_category(reqs)
    universe = {c for r in reqs for c in ancestor_codes(r.category_code)} | {"a/b/c/a/b"}
    found = codes_requiring(universe, index, doc, "CN")
    assert found == {c for c in universe if doc in required_codes(c, index, "CN")}
