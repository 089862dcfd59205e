"""Test data for the listings context: a live merchant selling in a category, listings."""

from __future__ import annotations

import itertools
from typing import Any

from qms.accounts.models import User
from qms.catalog.models import Category
from qms.listings.models import Listing
from qms.listings.services import ListingInput, create_listing
from qms.merchants.models import Merchant
from qms.merchants.tests.factories import (
    add_staff,
    give_document,
    make_brand,
    make_category,
    make_live_merchant,
)

__all__ = [
    "add_staff",
    "category",
    "give_document",
    "make_brand",
    "make_category",
    "make_listing",
    "make_seller",
]

_seq = itertools.count(1)

CLEAN = {"title": "三体 小说 精装版", "description": "刘慈欣著，科幻长篇。"}
BANNED = {"title": "全网最佳 小说", "description": "<script>alert(1)</script>好书"}
# an evasive spelling of 最佳 (full-width space and a zero-width space between the characters)
EVASIVE = {"title": "全网最\u3000\u200b佳 小说", "description": "好书"}


def category(code: str = "books", **kw: Any) -> Category:
    found = Category.objects.filter(code=code).first()
    return found or make_category(code, **kw)


def make_seller(cat: Category | None = None, **kw: Any) -> tuple[Merchant, User]:
    """An active merchant allowed to sell in ``cat`` (books by default) and its owner."""
    cat = cat or category()
    return make_live_merchant(f"Seller {next(_seq)}", categories=(cat,), **kw)


def make_listing(
    owner: User, *, cat: str = "books", markets: tuple[str, ...] = ("CN",), **fields: Any
) -> Listing:
    # a title of its own, so that listings of different merchants are not duplicates
    data = {**CLEAN, "title": f"{CLEAN['title']} 卷{next(_seq)}", **fields}
    return create_listing(
        actor=owner, data=ListingInput(category=cat, markets=list(markets), **data)
    )
