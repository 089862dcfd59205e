"""Reading the category tree and its document requirements. Everyone logged in may read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from qms.accounts.permissions import ensure_can
from qms.shared.memo import memoised

from ..domain.constants import CATEGORY_CODE_SEPARATOR, ancestor_codes
from ..domain.requirements import (
    Requirement,
    codes_requiring,
    effective_requirements,
    index_by_category,
)
from ..errors import ErrorCode, not_found
from ..models import Category, CategoryDocumentRequirement

# Key prefix of what a ``qms.shared.memo`` scope (a scheduler batch) keeps of these reads;
# the services that change categories or requirements forget it.
MEMO_PREFIX = "catalog.requirements"


def _requirement_index(codes: list[str] | None = None) -> dict[str, list[Requirement]]:
    qs = CategoryDocumentRequirement.objects.select_related("category")
    if codes is not None:
        qs = qs.filter(category__code__in=codes)
    return index_by_category(
        Requirement(
            category_code=r.category.code,
            market=r.market,
            document_type_code=r.document_type_code,
            mandatory=r.mandatory,
            note=r.note,
        )
        for r in qs
    )


# ---- reference reads (no actor: reference data, used by other contexts) ----


def category_by_code(code: str) -> Category:
    """The category with this exact code; ``NotFound`` (``category_not_found``) otherwise."""
    try:
        return Category.objects.select_related("parent").get(code=code)
    except Category.DoesNotExist:
        raise not_found(ErrorCode.CATEGORY_NOT_FOUND, "Category", category_code=code) from None


def category_by_id(category_id: int) -> Category:
    try:
        return Category.objects.select_related("parent").get(pk=category_id)
    except Category.DoesNotExist:
        raise not_found(ErrorCode.CATEGORY_NOT_FOUND, "Category", category_id=category_id) from None


def categories_by_ids(ids: list[int]) -> dict[int, Category]:
    return {c.pk: c for c in Category.objects.filter(pk__in=ids)}


def active_categories() -> QuerySet[Category]:
    """All active categories in tree order (code order keeps children under parents)."""
    return Category.objects.filter(is_active=True).order_by("code")


def effective_requirements_of(*, category_id: int, market: str | None = None) -> list[Requirement]:
    """Own and inherited requirements in force for the category (nearest statement wins)."""
    category = category_by_id(category_id)
    index = _requirement_index(ancestor_codes(category.code))
    return effective_requirements(category.code, index, market)


def required_document_codes(
    *, category_id: int, market: str, mandatory_only: bool = True
) -> list[str]:
    """Document type codes a merchant must hold for this category and market, walking up
    the tree. Sorted. ``mandatory_only=False`` adds the recommended ones."""
    return [
        r.document_type_code
        for r in effective_requirements_of(category_id=category_id, market=market)
        if r.mandatory or not mandatory_only
    ]


def categories_requiring(*, document_type_code: str, market: str | None = None) -> list[int]:
    """Ids of all categories (descendants included) for which the document type is a
    mandatory requirement in force, in ``market`` or in any market. Sorted.

    Inside a ``qms.shared.memo.memo_scope`` (the deadline scheduler opens one per batch) the
    category tree and requirement map are read once and each answer is computed once."""
    return list(
        memoised(
            (MEMO_PREFIX, "categories_requiring", document_type_code, market),
            lambda: _categories_requiring(document_type_code, market),
        )
    )


def _categories_requiring(document_type_code: str, market: str | None) -> tuple[int, ...]:
    ids_by_code, index = memoised((MEMO_PREFIX, "tree"), _tree_and_index)
    codes = codes_requiring(ids_by_code, index, document_type_code, market)
    return tuple(sorted(ids_by_code[c] for c in codes))


def _tree_and_index() -> tuple[dict[str, int], dict[str, list[Requirement]]]:
    return dict(Category.objects.values_list("code", "id")), _requirement_index()


def descendant_ids(*, category_id: int, include_self: bool = True) -> list[int]:
    category = category_by_id(category_id)
    qs = Category.objects.filter(code__startswith=category.code + CATEGORY_CODE_SEPARATOR)
    ids = list(qs.values_list("id", flat=True))
    return sorted([category.pk, *ids] if include_self else ids)


# ---- actor-scoped reads for API and pages ----


def list_categories(
    *,
    actor: Any,
    q: str = "",
    risk_level: str = "",
    parent_code: str = "",
    include_inactive: bool = False,
) -> QuerySet[Category]:
    ensure_can(actor, "catalog.view")
    qs = Category.objects.select_related("parent")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name_en__icontains=q) | Q(name_zh__icontains=q))
    if risk_level:
        qs = qs.filter(risk_level=risk_level)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    return qs.order_by("code")


def get_category(*, actor: Any, category_id: int) -> Category:
    ensure_can(actor, "catalog.view")
    return category_by_id(category_id)


def get_category_by_code(*, actor: Any, code: str) -> Category:
    ensure_can(actor, "catalog.view")
    return category_by_code(code)


@dataclass
class CategoryNode:
    category: Category
    children: list[CategoryNode] = field(default_factory=list)
    requirements: dict[str, list[Requirement]] = field(default_factory=dict)  # market -> list


def category_tree(
    *, actor: Any, include_inactive: bool = False, with_requirements: bool = False
) -> list[CategoryNode]:
    """The whole tree, roots in sort order, children under them. Two queries."""
    ensure_can(actor, "catalog.view")
    qs = Category.objects.all() if include_inactive else Category.objects.filter(is_active=True)
    cats = list(qs.order_by("sort_order", "code"))
    index = _requirement_index() if with_requirements else {}
    nodes = {c.pk: CategoryNode(category=c) for c in cats}
    roots: list[CategoryNode] = []
    for c in cats:
        node = nodes[c.pk]
        if with_requirements:
            for req in effective_requirements(c.code, index):
                node.requirements.setdefault(req.market, []).append(req)
        parent = nodes.get(c.parent_id) if c.parent_id else None
        if parent is not None:
            parent.children.append(node)
        elif c.parent_id is None:
            roots.append(node)
    return roots
