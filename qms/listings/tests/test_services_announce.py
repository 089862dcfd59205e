"""Rule changes announced to the merchants they concern, and the re-scan on the day."""

from __future__ import annotations

import datetime as dt

import pytest

from qms.listings import services_announce
from qms.listings.models import RescanJob
from qms.shared.deadlines import run_due_deadlines
from qms.shared.errors import PermissionDenied
from qms.shared.models import AuditEvent, Deadline, Notification
from qms.shared.rules import Rule, Severity

from .factories import category, make_listing, make_seller

pytestmark = pytest.mark.django_db

EFFECTIVE = dt.date.today() + dt.timedelta(days=10)


def _rule(categories: set[str]) -> Rule:
    return Rule(
        id="listing.term.test-announce.zuiquan",
        version=1,
        title="Absolute claim: 最全",
        legal_basis="PRC Advertising Law Art. 9(3)",
        severity=Severity.HIGH,
        effective_from=EFFECTIVE,
        announced_on=dt.date.today(),
        markets={"CN"},
        categories=categories,
        message={"en": "Remove “{term}”.", "zh-hans": "请删除“{term}”。"},
        parameters={"type": "term", "kind": "absolute_claim", "term": "最全", "allow": ()},
    )


def test_only_merchants_with_affected_live_listings_are_told(
    monkeypatch, admin_user, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services_announce, "upcoming_rules", lambda within: [_rule({"books"})])
    category()
    toys = category("toys")
    _m1, reader = make_seller()
    make_listing(reader)
    _m2, toymaker = make_seller(toys)
    make_listing(toymaker, cat="toys", title="积木")
    with django_capture_on_commit_callbacks(execute=True):
        summary = services_announce.announce_rule_changes(actor=admin_user)
        services_announce.announce_rule_changes(actor=admin_user)  # idempotent
    assert summary == {"dates": [EFFECTIVE.isoformat()], "rules": 1, "notices": 1}
    assert Notification.objects.filter(kind="listings.rules_announced").count() == 1
    assert Notification.objects.get(kind="listings.rules_announced").user_id == reader.pk
    assert Deadline.objects.filter(key=f"listings:rules-effective:{EFFECTIVE}").count() == 1
    assert AuditEvent.objects.filter(action="listings.rules.announce").count() == 2


def test_the_rescan_starts_on_the_effective_date(
    monkeypatch, admin_user, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services_announce, "upcoming_rules", lambda within: [_rule(set())])
    category()
    make_listing(make_seller()[1])
    services_announce.announce_rule_changes(actor=admin_user)
    run_due_deadlines(now=services_announce._start_of(EFFECTIVE) - dt.timedelta(minutes=1))
    assert not RescanJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        run_due_deadlines(now=services_announce._start_of(EFFECTIVE) + dt.timedelta(minutes=1))
    job = RescanJob.objects.get()
    assert job.reason == f"rule versions in force from {EFFECTIVE.isoformat()}"
    assert (job.state, job.processed) == ("done", 1)


def test_announcing_needs_the_rescan_permission(reviewer):
    with pytest.raises(PermissionDenied):
        services_announce.announce_rule_changes(actor=reviewer)
