"""Which documents a category requires, with inheritance down the tree. Pure Python.

A requirement stated on a category applies to all its descendants. A descendant may restate
the same (market, document type) to change it, typically to make it optional
(``mandatory=False``: fresh produce needs no SC licence although food does). The nearest
statement, walking up from the category, wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .constants import ancestor_codes


@dataclass(frozen=True)
class Requirement:
    category_code: str
    market: str
    document_type_code: str
    mandatory: bool = True
    note: str = ""


def index_by_category(requirements: Iterable[Requirement]) -> dict[str, list[Requirement]]:
    out: dict[str, list[Requirement]] = {}
    for req in requirements:
        out.setdefault(req.category_code, []).append(req)
    return out


def effective_requirements(
    category_code: str, by_category: Mapping[str, Iterable[Requirement]], market: str | None = None
) -> list[Requirement]:
    """Requirements in force for ``category_code`` (own and inherited; nearest wins), sorted
    by market then document type. ``market`` limits them to one market."""
    chosen: dict[tuple[str, str], Requirement] = {}
    for code in ancestor_codes(category_code):  # root first; later (nearer) ones overwrite
        for req in by_category.get(code, ()):
            if market is None or req.market == market:
                chosen[(req.market, req.document_type_code)] = req
    return sorted(chosen.values(), key=lambda r: (r.market, r.document_type_code))


def required_codes(
    category_code: str,
    by_category: Mapping[str, Iterable[Requirement]],
    market: str,
    *,
    mandatory_only: bool = True,
) -> list[str]:
    return [
        r.document_type_code
        for r in effective_requirements(category_code, by_category, market)
        if r.mandatory or not mandatory_only
    ]


def codes_requiring(
    category_codes: Iterable[str],
    by_category: Mapping[str, Iterable[Requirement]],
    document_type_code: str,
    market: str | None = None,
) -> set[str]:
    """The category codes among ``category_codes`` for which ``document_type_code`` is a
    mandatory requirement in force (in ``market``, or in any market when None)."""
    out: set[str] = set()
    for code in category_codes:
        for req in effective_requirements(code, by_category, market):
            if req.document_type_code == document_type_code and req.mandatory:
                out.add(code)
                break
    return out
