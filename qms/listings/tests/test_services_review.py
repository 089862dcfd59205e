"""The reviewer queue: claim/release, decisions with reasons, second review, samples, appeals."""

from __future__ import annotations

import pytest

from qms.listings import services, services_review, services_routing
from qms.listings.domain.review_states import SECOND_REVIEW_AT
from qms.listings.models import Appeal, ReviewTask
from qms.shared.errors import Conflict, IllegalTransition, PermissionDenied, ValidationFailed
from qms.shared.models import AuditEvent, QualitySignal

from .factories import BANNED, category, make_listing, make_seller

pytestmark = pytest.mark.django_db

ATTRS = {"material": "cotton", "producer": "X", "spec": "1"}


@pytest.fixture
def queued():
    """A version in review (home category, missing attributes) and its merchant owner."""
    home = category("home", risk="low")
    _merchant, owner = make_seller(home)
    listing = make_listing(owner, cat="home", title="Towel")
    return listing.latest_version, owner


def _task(version, kind="first"):
    return ReviewTask.objects.get(version=version, kind=kind)


def test_claim_is_exclusive_and_release_returns_it(queued, make_user):
    version, _owner = queued
    a, b = make_user("reviewer"), make_user("reviewer")
    task = services_review.claim_task(actor=a, task_id=_task(version).pk)
    assert (task.state, task.claimed_by_id) == ("claimed", a.pk)
    with pytest.raises(Conflict) as exc:
        services_review.claim_task(actor=b, task_id=task.pk)
    assert exc.value.code == "task_not_open"
    with pytest.raises(PermissionDenied):
        services_review.release_task(actor=b, task_id=task.pk)
    services_review.release_task(actor=a, task_id=task.pk)
    assert services_review.claim_task(actor=b, task_id=task.pk).claimed_by_id == b.pk
    assert AuditEvent.objects.filter(action="listings.task.claim").count() == 2
    assert AuditEvent.objects.filter(action="listings.task.release").count() == 1


def test_merchant_cannot_claim(queued):
    version, owner = queued
    with pytest.raises(PermissionDenied):
        services_review.claim_task(actor=owner, task_id=_task(version).pk)


def test_decide_needs_claim_and_fitting_reasons(queued, reviewer):
    version, _owner = queued
    task = _task(version)
    with pytest.raises(Conflict) as exc:
        services_review.decide_task(
            actor=reviewer, task_id=task.pk, decision="approve", reason_codes=["compliant"]
        )
    assert exc.value.code == "task_not_claimed_by_you"
    services_review.claim_task(actor=reviewer, task_id=task.pk)
    for codes in ([], ["compliant"], ["nonsense"]):
        with pytest.raises(ValidationFailed) as exc:
            services_review.decide_task(
                actor=reviewer, task_id=task.pk, decision="reject", reason_codes=codes
            )
        assert exc.value.code == "reason_invalid"


def test_reject_with_reasons_then_merchant_fixes_and_resubmits(queued, reviewer):
    version, owner = queued
    task = services_review.claim_task(actor=reviewer, task_id=_task(version).pk)
    services_review.decide_task(
        actor=reviewer,
        task_id=task.pk,
        decision="reject",
        reason_codes=["missing_information"],
        note="add material",
    )
    version.refresh_from_db()
    assert version.state == "rejected"
    assert version.reason_codes == ["missing_information"]
    assert version.decided_by_id == reviewer.pk
    assert QualitySignal.objects.filter(kind="listings.version_rejected").count() == 1
    fixed = services.submit_version(
        actor=owner,
        listing_id=version.listing_id,
        data=services.ListingInput(title="Towel", attributes=ATTRS),
    )
    assert fixed.state == "auto_approved"


def test_low_risk_approval_goes_live(queued, reviewer):
    version, _owner = queued
    assert version.risk_score < SECOND_REVIEW_AT
    task = services_review.claim_task(actor=reviewer, task_id=_task(version).pk)
    services_review.decide_task(
        actor=reviewer, task_id=task.pk, decision="approve", reason_codes=["false_positive"]
    )
    version.refresh_from_db()
    assert version.state == "approved"
    assert version.listing.live_version_id == version.pk
    task.refresh_from_db()
    assert (task.state, task.decision) == ("done", "approve")


def test_high_risk_needs_a_second_different_reviewer(make_user):
    home = category("home", risk="high")
    _merchant, owner = make_seller(home)
    version = make_listing(owner, cat="home", title="Towel").latest_version
    assert version.risk_score >= SECOND_REVIEW_AT
    first, second = make_user("reviewer"), make_user("reviewer")
    services_review.claim_task(actor=first, task_id=_task(version).pk)
    services_review.decide_task(
        actor=first, task_id=_task(version).pk, decision="approve", reason_codes=["compliant"]
    )
    version.refresh_from_db()
    assert version.state == "in_review"
    assert version.first_approved_by_id == first.pk
    second_task = _task(version, "second")
    assert second_task.excluded_reviewer_ids == [first.pk]
    with pytest.raises(Conflict) as exc:
        services_review.claim_task(actor=first, task_id=second_task.pk)
    assert exc.value.code == "reviewer_excluded"
    services_review.claim_task(actor=second, task_id=second_task.pk)
    services_review.decide_task(
        actor=second, task_id=second_task.pk, decision="approve", reason_codes=["compliant"]
    )
    version.refresh_from_db()
    assert version.state == "approved"
    assert version.listing.live_version_id == version.pk


def test_sampled_auto_approval_can_be_revoked(monkeypatch, reviewer):
    monkeypatch.setattr(services_routing.SAMPLE_DRAW, "random", lambda: 0.0)
    category()
    _merchant, owner = make_seller()
    listing = make_listing(owner)
    version = listing.latest_version
    task = _task(version, "sample")
    services_review.claim_task(actor=reviewer, task_id=task.pk)
    services_review.decide_task(
        actor=reviewer, task_id=task.pk, decision="reject", reason_codes=["misleading"]
    )
    version.refresh_from_db()
    listing.refresh_from_db()
    assert version.state == "rejected"
    assert listing.live_version is None
    assert listing.state == "pending"


def test_unsampled_auto_approval_has_no_task(monkeypatch):
    monkeypatch.setattr(services_routing.SAMPLE_DRAW, "random", lambda: 0.99)
    category()
    _merchant, owner = make_seller()
    assert not ReviewTask.objects.filter(version=make_listing(owner).latest_version).exists()


def test_appeal_goes_to_a_different_reviewer(queued, make_user):
    version, owner = queued
    rejecter, other = make_user("reviewer"), make_user("reviewer")
    services_review.claim_task(actor=rejecter, task_id=_task(version).pk)
    services_review.decide_task(
        actor=rejecter, task_id=_task(version).pk, decision="reject", reason_codes=["misleading"]
    )
    appeal = services_review.appeal_version(
        actor=owner, version_id=version.pk, reason="The towel is as described."
    )
    version.refresh_from_db()
    assert version.state == "in_review"
    task = appeal.task
    assert (task.kind, task.excluded_reviewer_ids) == ("appeal", [rejecter.pk])
    with pytest.raises(Conflict):
        services_review.claim_task(actor=rejecter, task_id=task.pk)
    with pytest.raises(Conflict) as exc:
        services_review.appeal_version(actor=owner, version_id=version.pk, reason="again")
    assert exc.value.code in {"appeal_exists", "illegal_transition"}
    services_review.claim_task(actor=other, task_id=task.pk)
    services_review.decide_task(
        actor=other, task_id=task.pk, decision="approve", reason_codes=["compliant"]
    )
    version.refresh_from_db()
    assert version.state == "approved"
    assert Appeal.objects.get(pk=appeal.pk).state == "overturned"


def test_appeal_only_of_rejected_latest_version(make_user):
    category()
    _merchant, owner = make_seller()
    listing = make_listing(owner, **BANNED)
    version = listing.latest_version
    _other, intruder = make_seller()
    from qms.shared.errors import NotFound

    with pytest.raises(NotFound):
        services_review.appeal_version(actor=intruder, version_id=version.pk, reason="x")
    services.submit_version(
        actor=owner, listing_id=listing.pk, data=services.ListingInput(title="小说")
    )
    with pytest.raises(Conflict) as exc:
        services_review.appeal_version(actor=owner, version_id=version.pk, reason="x")
    assert exc.value.code == "version_not_latest"
    clean = make_listing(owner)
    with pytest.raises(IllegalTransition):
        services_review.appeal_version(actor=owner, version_id=clean.latest_version_id, reason="x")
