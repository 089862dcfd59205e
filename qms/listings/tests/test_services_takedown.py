"""The platform takes a live listing down; the merchant appeals or corrects it under a review
hold that only a reviewer's approval lifts."""

from __future__ import annotations

import pytest
from django.test import Client

from qms.accounts.domain.roles import Role
from qms.listings import services, services_review, services_takedown
from qms.listings.models import ReviewTask
from qms.listings.services import ListingInput
from qms.shared.errors import Conflict, PermissionDenied, ValidationFailed
from qms.shared.models import AuditEvent, Notification, QualitySignal

from .factories import CLEAN, category, make_listing, make_seller

pytestmark = pytest.mark.django_db

NOTE = "Lab report SZ-2026-1142: lead content 3x the GB 6675.4 limit."


def _take_down(actor, listing, **kw):
    data = {"reason_codes": ["prohibited_item"], "note": NOTE, "evidence": "SZ-2026-1142"}
    return services_takedown.take_down_listing(actor=actor, listing_id=listing.pk, **{**data, **kw})


@pytest.fixture
def live():
    category()
    _merchant, owner = make_seller()
    listing = make_listing(owner)
    assert listing.state == "live"
    return listing, owner


def test_take_down_rejects_the_live_version_with_reasons_and_evidence(
    live, reviewer, django_capture_on_commit_callbacks
):
    listing, owner = live
    version = listing.live_version
    with django_capture_on_commit_callbacks(execute=True):
        listing = _take_down(reviewer, listing)
    version.refresh_from_db()
    assert (listing.state, listing.live_version, version.state) == ("pending", None, "rejected")
    assert listing.review_hold.startswith("taken down on ")
    assert (version.decided_by, version.reason_codes, version.decision_note) == (
        reviewer,
        ["prohibited_item"],
        NOTE,
    )
    event = AuditEvent.objects.get(action="listings.listing.take_down")
    assert event.after["evidence"] == "SZ-2026-1142"
    signal = QualitySignal.objects.get(kind="listings.listing_taken_down")
    assert signal.evidence["reason_codes"] == ["prohibited_item"]
    notice = Notification.objects.get(user=owner, kind="listings.taken_down")
    assert NOTE in notice.body


def test_a_corrected_version_goes_to_a_reviewer_whose_approval_lifts_the_hold(
    live, reviewer, make_user
):
    listing, owner = live
    _take_down(reviewer, listing)
    v2 = services.submit_version(
        actor=owner,
        listing_id=listing.pk,
        data=ListingInput(category="books", markets=["CN"], **{**CLEAN, "title": "三体 新版"}),
    )
    assert (v2.verdict, v2.state) == ("approve", "in_review")  # the rules see nothing wrong
    task = ReviewTask.objects.get(version=v2)
    other = make_user(Role.REVIEWER, username="rev-b")
    services_review.claim_task(actor=other, task_id=task.pk)
    services_review.decide_task(
        actor=other, task_id=task.pk, decision="approve", reason_codes=["compliant"]
    )
    listing.refresh_from_db()
    assert (listing.state, listing.live_version_id, listing.review_hold) == ("live", v2.pk, "")
    v3 = services.submit_version(
        actor=owner,
        listing_id=listing.pk,
        data=ListingInput(category="books", markets=["CN"], **{**CLEAN, "title": "三体 新版 2"}),
    )
    assert v3.state == "auto_approved"  # hold lifted: the rules decide again


def test_an_appeal_goes_to_another_reviewer_and_can_restore_the_listing(live, reviewer, make_user):
    listing, owner = live
    version = listing.live_version
    _take_down(reviewer, listing)
    services_review.appeal_version(
        actor=owner, version_id=version.pk, reason="The report is for another batch."
    )
    task = ReviewTask.objects.get(version=version, kind="appeal")
    assert reviewer.pk in task.excluded_reviewer_ids
    with pytest.raises(Conflict):
        services_review.claim_task(actor=reviewer, task_id=task.pk)
    second = make_user(Role.REVIEWER, username="rev2")
    services_review.claim_task(actor=second, task_id=task.pk)
    services_review.decide_task(
        actor=second, task_id=task.pk, decision="approve", reason_codes=["false_positive"]
    )
    listing.refresh_from_db()
    assert (listing.state, listing.live_version_id, listing.review_hold) == (
        "live",
        version.pk,
        "",
    )


def test_who_may_and_what_is_refused(live, reviewer, make_user):
    listing, owner = live
    for actor in (owner, make_user(Role.CS_AGENT), make_user(Role.INSPECTOR)):
        with pytest.raises(PermissionDenied):
            _take_down(actor, listing)
    with pytest.raises(ValidationFailed) as exc:
        _take_down(reviewer, listing, note="bad")
    assert exc.value.code == "note_required"
    with pytest.raises(ValidationFailed) as exc:
        _take_down(reviewer, listing, reason_codes=["compliant"])
    assert exc.value.code == "reason_invalid"
    _take_down(reviewer, listing)
    with pytest.raises(Conflict) as exc:
        _take_down(reviewer, listing)
    assert exc.value.code == "listing_not_live"


def test_over_the_api_and_in_the_console(live, reviewer, api_client_for, make_user):
    listing, owner = live
    url = f"/api/v1/listings/{listing.pk}/take-down"
    body = {"reason_codes": ["misleading"], "note": NOTE, "evidence": "ticket 88"}
    r = api_client_for(owner).post(url, json=body)
    assert r.status_code == 403
    other_owner = make_seller()[1]
    assert api_client_for(other_owner).post(url, json=body).status_code == 403
    c = Client()
    c.force_login(reviewer)
    page = c.get(f"/console/listings/{listing.pk}/").content.decode()
    assert 'id="take-down"' in page
    r = c.post(f"/console/listings/{listing.pk}/", {"reason_codes": ["misleading"], "note": "x"})
    assert r.status_code == 422
    r = api_client_for(reviewer).post(url, json=body)
    assert r.status_code == 200
    assert r.json()["state"] == "pending"
    assert r.json()["review_hold"]
    page = c.get(f"/console/listings/{listing.pk}/").content.decode()
    assert 'data-testid="review-hold"' in page
    assert 'id="take-down"' not in page
    mine = Client()
    mine.force_login(owner)
    portal = mine.get(f"/portal/listings/{listing.pk}/").content.decode()
    assert 'data-testid="review-hold"' in portal
    assert 'data-reason="misleading"' in portal
    assert "Misleading title" in portal
