"""categories_requiring inside a memo scope (a scheduler batch): read once, never stale."""

from __future__ import annotations

from typing import Any

import pytest

from qms.catalog import selectors, services
from qms.shared.memo import memo_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> services.LoadReport:
    return services.load_reference_catalog()


def test_read_once_per_scope_and_changes_are_seen(
    loaded: services.LoadReport, make_user: Any, django_assert_num_queries: Any
) -> None:
    manager = make_user("admin")
    books = selectors.category_by_code("books")
    code = "iso9001"
    before = selectors.categories_requiring(document_type_code=code)
    assert books.pk not in before
    with memo_scope():
        with django_assert_num_queries(2):  # the tree and the requirement map, once
            first = selectors.categories_requiring(document_type_code=code)
            for _ in range(5):
                assert selectors.categories_requiring(document_type_code=code) == first
            selectors.categories_requiring(document_type_code=code, market="EU")
            selectors.categories_requiring(document_type_code="test_report")
        assert first == before
        first.append(-1)  # a caller's copy: the memo is not changed through it
        assert selectors.categories_requiring(document_type_code=code) == before
        req = services.set_category_requirement(
            actor=manager, category_id=books.pk, market="CN", document_type_code=code
        )
        # the change is seen later in the same scope, too: the service forgets the memo
        changed = selectors.categories_requiring(document_type_code=code)
        assert books.pk in changed
    with memo_scope():
        assert selectors.categories_requiring(document_type_code=code) == changed
    services.remove_category_requirement(actor=manager, requirement_id=req.pk)
    assert selectors.categories_requiring(document_type_code=code) == before
