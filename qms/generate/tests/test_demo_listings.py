"""Demo listings (``qms.generate.demo_listings``): made through the listings services, in every
state, the demo merchant's mix, idempotent, deterministic, and in granted categories only."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from qms.accounts.models import Membership
from qms.generate.demo import ensure_demo_logins
from qms.generate.demo_listings import create_demo_listings, report_lines
from qms.generate.services import generate_marketplace
from qms.generate.tests.helpers import AS_OF
from qms.listings.models import (
    Appeal,
    Listing,
    ListingStatusChange,
    ListingVersion,
    ReviewTask,
    RuleVersion,
)
from qms.merchants.models import MerchantCategory
from qms.merchants.selectors_agreements import can_sell
from qms.shared.models import AuditEvent, Notification
from qms.shared.rules import business_today

pytestmark = pytest.mark.django_db

SEED = 42


def _marketplace(merchants: int = 40) -> None:
    generate_marketplace(seed=SEED, merchants=merchants, batch=merchants, as_of=AS_OF)
    ensure_demo_logins()


def _rules(version: ListingVersion) -> set[str]:
    return {str(h["rule"]) for h in version.hits}


def test_demo_listings_reach_every_state_through_the_services(
    django_capture_on_commit_callbacks: Any,
) -> None:
    _marketplace()
    with django_capture_on_commit_callbacks(execute=True):  # notices are sent after commit
        report = create_demo_listings(seed=SEED)
    listings = Listing.objects.count()
    assert report.listings == listings >= 60
    versions = ListingVersion.objects.all()
    states = {v.state for v in versions}
    assert {"auto_approved", "rejected", "in_review"} <= states
    assert {x.state for x in Listing.objects.all()} == {"live", "pending"}
    for v in versions:  # every version was checked and routed by the services
        assert v.verdict in {"approve", "reject", "review"}
        assert v.checked_at is not None
        assert ListingStatusChange.objects.filter(version=v, to_state=v.state).exists()
        assert (v.state == "auto_approved") == (v.verdict == "approve")
        assert bool(v.hits) == (v.verdict != "approve")
        assert v.price is not None
        assert v.currency in {"CNY", "EUR"}
    rejected = [v for v in versions if v.state == "rejected"]
    # banned or evasive terms, missing attributes, and merchants that may not sell
    assert any(r.startswith("listing.term.") for v in rejected for r in _rules(v))
    assert any(
        r in {"listing.merchant.cannot_sell", "listing.documents.required"}
        for v in rejected
        for r in _rules(v)
    )
    queued = [v for v in versions if v.state == "in_review"]
    assert all(ReviewTask.objects.filter(version=v, state="open").exists() for v in queued)
    assert {t.kind for t in ReviewTask.objects.all()} >= {"first", "appeal"}
    # some of the merchants' own branded products, with SKU and GTIN
    branded = Listing.objects.exclude(product=None)
    assert branded.exists()
    assert all(x.brand_id and x.sku_id and x.gtin for x in branded)
    assert AuditEvent.objects.filter(action="listings.listing.create").count() == listings
    assert Notification.objects.filter(kind="listings.version_decided").exists()
    shares = {s: sum(1 for x in Listing.objects.all() if _latest_state(x) == s) for s in states}
    assert 0.55 <= shares["auto_approved"] / listings <= 0.85
    assert 0.08 <= shares["rejected"] / listings <= 0.25
    assert 0.08 <= shares["in_review"] / listings <= 0.25
    assert report_lines(report)[0].startswith(f"Listed {listings} demo listings")


def _latest_state(listing: Listing) -> str:
    version = listing.latest_version
    assert version is not None
    return version.state


def test_the_demo_merchant_shows_live_rejected_queued_and_an_open_appeal() -> None:
    _marketplace()
    create_demo_listings(seed=SEED)
    org = Membership.objects.get(user__username="merchant").organisation
    mine = list(Listing.objects.filter(merchant_org=org))
    assert len(mine) >= 8
    latest = {_latest_state(x) for x in mine}
    assert {"auto_approved", "rejected", "in_review"} <= latest
    appeal = Appeal.objects.get(merchant_org_id=org.pk)
    assert appeal.state == "open"
    assert appeal.created_by.username == "merchant"
    assert appeal.task is not None
    assert appeal.task.kind == "appeal"
    assert ListingStatusChange.objects.filter(
        version=appeal.version, from_state="rejected", to_state="in_review", action="appeal"
    ).exists()
    # a rejected listing corrected: version 1 rejected, version 2 live
    corrected = [x for x in mine if x.versions.count() == 2]
    assert len(corrected) == 1
    v1, v2 = corrected[0].versions.order_by("number")
    assert (v1.state, v2.state, corrected[0].state) == ("rejected", "auto_approved", "live")


def test_listings_are_in_granted_categories_and_refused_where_the_merchant_may_not_sell() -> None:
    _marketplace()
    create_demo_listings(seed=SEED)
    for listing in Listing.objects.select_related("latest_version"):
        assert MerchantCategory.objects.filter(
            merchant_id=listing.merchant_id, category_id=listing.category_id
        ).exists()
        ok, _reasons = can_sell(merchant_id=listing.merchant_id, category_id=listing.category_id)
        if not ok:  # intended: such a merchant lists one product and is told why not
            version = listing.latest_version
            assert version is not None
            assert version.state == "rejected"
            assert "listing.merchant.cannot_sell" in _rules(version)


def _fingerprint() -> list[tuple[Any, ...]]:
    return list(
        Listing.objects.order_by("merchant_org_id", "external_id").values_list(
            "merchant_org_id",
            "external_id",
            "category__code",
            "brand_id",
            "gtin",
            "state",
            "latest_version__title",
            "latest_version__price",
            "latest_version__state",
            "latest_version__risk_score",
        )
    ) + sorted(ReviewTask.objects.values_list("version__listing__external_id", "kind", "state"))


def test_same_seed_same_listings() -> None:
    class Undo(Exception):
        pass

    runs = []
    for _ in range(2):
        try:
            with transaction.atomic():
                _marketplace(merchants=24)
                create_demo_listings(seed=7)
                runs.append(_fingerprint())
                raise Undo
        except Undo:
            pass
    assert runs[0] == runs[1]
    assert len(runs[0]) > 50


def test_demo_command_lists_once(django_capture_on_commit_callbacks: Any) -> None:
    args = ("demo", "--no-serve", "--merchants", "16", "--seed", "3")
    err = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(*args, stdout=StringIO(), stderr=err)
    first = Listing.objects.count()
    assert first > 0
    assert f"Listed {first} demo listings" in err.getvalue()
    versions = ListingVersion.objects.count()
    err = StringIO()
    call_command(*args, stdout=StringIO(), stderr=err)
    assert Listing.objects.count() == first
    assert ListingVersion.objects.count() == versions
    assert "demo listings" not in err.getvalue()
    assert create_demo_listings(seed=3).listings == 0
    # one coming rule change, announced once, to the merchants with a live listing
    [change] = RuleVersion.objects.all()
    assert change.effective_from > business_today()
    assert not change.urgent
    assert "Announced a coming listing rule change" not in err.getvalue()
    assert Notification.objects.filter(kind="listings.rules_announced").exists()
