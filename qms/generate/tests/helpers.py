"""Helpers for the generator's tests: table snapshots and a rolled-back run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from qms.generate.services import MODELS, generate_marketplace

AS_OF = dt.date(2026, 11, 25)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every generated table, every column, ordered by primary key."""
    out = {}
    for model in MODELS:
        names = [f.attname for f in model._meta.concrete_fields]
        out[model._meta.label] = list(model.objects.order_by("pk").values_list(*names))
    return out


def generated_then_rolled_back(**kwargs: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Generate with ``kwargs``, snapshot the tables, and undo it all."""

    class Undo(Exception):
        pass

    result: dict[str, list[tuple[Any, ...]]] = {}
    try:
        with transaction.atomic():
            generate_marketplace(as_of=AS_OF, **kwargs)
            result.update(snapshot())
            raise Undo
    except Undo:
        pass
    return result
