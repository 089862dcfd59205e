"""Two callers at the same moment, in two threads, on PostgreSQL (row locks, unique indexes).

Collected only when ``DATABASE_URL`` is PostgreSQL (see ``conftest.py``). The sequential forms
of the same races run everywhere (``test_services_brands``, ``test_services_products``)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections

from qms.catalog import services
from qms.catalog.models import Sku
from qms.shared.errors import DomainError
from qms.shared.models import AuditEvent

from .factories import BrandAuthorisationFactory, CategoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def race(calls: dict[str, Callable[[], Any]]) -> dict[str, str]:
    barrier = threading.Barrier(len(calls))
    outcomes: dict[str, str] = {}

    def run(name: str, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            call()
            outcomes[name] = "ok"
        except DomainError as exc:
            outcomes[name] = exc.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def test_two_managers_revoking_one_link_one_wins(make_user: Callable[..., Any]) -> None:
    link = BrandAuthorisationFactory()
    a, b = make_user("quality_manager"), make_user("admin")
    outcomes = race(
        {
            name: (
                lambda u=user: services.revoke_brand_authorisation(
                    actor=u, authorisation_id=link.pk, reason="Letter withdrawn"
                )
            )
            for name, user in (("a", a), ("b", b))
        }
    )
    assert sorted(outcomes.values()) == ["illegal_transition", "ok"]
    assert AuditEvent.objects.filter(action="catalog.authorisation.revoke").count() == 1


def test_one_gtin_added_twice_at_once_is_stored_once(make_user: Callable[..., Any]) -> None:
    owner = make_user("merchant_owner")
    org_id = owner.memberships.get().organisation_id
    tea = CategoryFactory(code="food")
    products = [
        services.create_product(
            actor=owner, merchant_org_id=org_id, category_id=tea.pk, name=f"Tea {n}", markets=["CN"]
        )
        for n in range(2)
    ]
    outcomes = race(
        {
            f"p{n}": (
                lambda p=p, n=n: services.create_sku(
                    actor=owner, product_id=p.pk, sku_code=f"S{n}", gtin="4006381333931"
                )
            )
            for n, p in enumerate(products)
        }
    )
    assert sorted(outcomes.values()) == ["gtin_taken", "ok"]
    assert Sku.objects.filter(gtin14="04006381333931").count() == 1
