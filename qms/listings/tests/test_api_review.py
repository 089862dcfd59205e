"""Review queue, appeals and re-scans over the API, including who may not use them."""

from __future__ import annotations

import pytest

from qms.catalog.models import CategoryDocumentRequirement
from qms.listings.models import ReviewTask

from .factories import category, make_listing, make_seller

pytestmark = pytest.mark.django_db
BASE = "/api/v1/listings"


@pytest.fixture
def queued():
    home = category("home", risk="low")
    _merchant, owner = make_seller(home)
    listing = make_listing(owner, cat="home", title="Towel")
    return listing, owner


def test_queue_claim_release_decide(queued, reviewer, make_user, api_client_for):
    listing, owner = queued
    rc = api_client_for(reviewer)
    page = rc.get(f"{BASE}/review-tasks").json()
    [task] = page["items"]
    assert (task["listing_id"], task["kind"], task["state"]) == (listing.pk, "first", "open")
    r = rc.post(f"{BASE}/review-tasks/{task['id']}/claim")
    assert r.status_code == 200
    assert r.json()["state"] == "claimed"
    other = api_client_for(make_user("reviewer"))
    r = other.post(f"{BASE}/review-tasks/{task['id']}/claim")
    assert r.status_code == 409
    assert r.json()["code"] == "task_not_open"
    r = other.post(
        f"{BASE}/review-tasks/{task['id']}/decide",
        json={"decision": "approve", "reason_codes": ["compliant"]},
    )
    assert r.status_code == 409
    assert r.json()["code"] == "task_not_claimed_by_you"
    assert rc.post(f"{BASE}/review-tasks/{task['id']}/release").json()["state"] == "open"
    rc.post(f"{BASE}/review-tasks/{task['id']}/claim")
    r = rc.post(
        f"{BASE}/review-tasks/{task['id']}/decide",
        json={"decision": "reject", "reason_codes": ["missing_information"], "note": "<i>add</i>"},
    )
    assert r.status_code == 200
    assert r.json()["decision"] == "reject"
    # the merchant sees the reasons and appeals; the rejecting reviewer is excluded
    oc = api_client_for(owner)
    version = oc.get(f"{BASE}/{listing.pk}/verdict").json()
    assert version["state"] == "rejected"
    assert version["reason_codes"] == ["missing_information"]
    r = oc.post(f"{BASE}/versions/{version['id']}/appeal", json={"reason": "complete"})
    assert r.status_code == 201
    appeal_task = r.json()["task_id"]
    assert rc.post(f"{BASE}/review-tasks/{appeal_task}/claim").json()["code"] == (
        "reviewer_excluded"
    )
    assert other.post(f"{BASE}/review-tasks/{appeal_task}/claim").status_code == 200
    assert oc.get(f"{BASE}/appeals").json()["items"][0]["state"] == "open"


def test_reasons_taxonomy(reviewer, api_client_for):
    codes = {r["code"] for r in api_client_for(reviewer).get(f"{BASE}/reasons").json()}
    assert {"compliant", "banned_claim", "missing_certificate"} <= codes


def test_merchant_gets_404_for_another_merchants_appeal(queued, reviewer, api_client_for):
    listing, owner = queued
    task = ReviewTask.objects.get(version=listing.latest_version)
    rc = api_client_for(reviewer)
    rc.post(f"{BASE}/review-tasks/{task.pk}/claim")
    rc.post(
        f"{BASE}/review-tasks/{task.pk}/decide",
        json={"decision": "reject", "reason_codes": ["other"]},
    )
    appeal = (
        api_client_for(owner)
        .post(f"{BASE}/versions/{listing.latest_version_id}/appeal", json={"reason": "x"})
        .json()
    )
    _m, intruder = make_seller()
    ic = api_client_for(intruder)
    assert ic.get(f"{BASE}/appeals/{appeal['id']}").status_code == 404
    assert ic.get(f"{BASE}/review-tasks/{task.pk}").status_code == 403
    assert ic.post(f"{BASE}/review-tasks/{task.pk}/claim").status_code == 403
    assert ic.post(f"{BASE}/review-tasks/{task.pk}/release").status_code == 403
    assert (
        ic.post(f"{BASE}/review-tasks/{task.pk}/decide", json={"decision": "approve"}).status_code
        == 403
    )


def test_rescan_job_progress_and_findings(
    admin_user, api_client_for, reviewer, django_capture_on_commit_callbacks
):
    books = category()
    _m1, o1 = make_seller()
    _m2, o2 = make_seller()
    flagged = make_listing(o1)
    make_listing(o2)
    CategoryDocumentRequirement.objects.create(
        category=books, market="CN", document_type_code="business_licence"
    )
    ac = api_client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        r = ac.post(f"{BASE}/rescans", json={"reason": "licence required", "grace_days": 7})
    assert r.status_code == 201
    job_id = r.json()["id"]
    job = ac.get(f"{BASE}/rescans/{job_id}").json()
    assert (job["state"], job["processed"], job["flagged"], job["percent"]) == ("done", 2, 2, 100)
    findings = ac.get(f"{BASE}/rescans/{job_id}/findings").json()["items"]
    assert len(findings) == 2
    # a merchant sees only findings about its own listings
    mine = api_client_for(o1).get(f"{BASE}/findings").json()["items"]
    assert [f["listing_id"] for f in mine] == [flagged.pk]
    assert api_client_for(o1).get(f"{BASE}/rescans/{job_id}").status_code == 403
    assert api_client_for(reviewer).get(f"{BASE}/rescans/{job_id}").status_code == 200
    assert ac.post(f"{BASE}/rescans", json={"reason": "x", "grace_days": 0}).status_code == 422


def test_rule_changes_listed_for_all_and_announced_by_managers(
    monkeypatch, admin_user, api_client_for
):
    from qms.listings import services_announce

    from .test_services_announce import EFFECTIVE, _rule

    monkeypatch.setattr(services_announce, "upcoming_rules", lambda within: [_rule({"books"})])
    category()
    _m, owner = make_seller()
    oc = api_client_for(owner)
    [change] = oc.get(f"{BASE}/rule-changes").json()
    assert (change["effective_from"], change["categories"]) == (EFFECTIVE.isoformat(), ["books"])
    assert oc.post(f"{BASE}/rule-changes/announce", json={}).status_code == 403
    r = api_client_for(admin_user).post(f"{BASE}/rule-changes/announce", json={})
    assert r.status_code == 200
    assert r.json()["dates"] == [EFFECTIVE.isoformat()]


def test_queue_is_highest_risk_first_across_pages(reviewer, api_client_for):
    low = category("home", risk="low")
    category("home/bath", risk="high", parent=low)
    _m, owner = make_seller(low)
    make_listing(owner, cat="home", title="Towel")
    make_listing(owner, cat="home/bath", title="Bath towel")
    rc = api_client_for(reviewer)
    first = rc.get(f"{BASE}/review-tasks", params={"limit": 1}).json()
    second = rc.get(
        f"{BASE}/review-tasks", params={"limit": 1, "cursor": first["next_cursor"]}
    ).json()
    scores = [first["items"][0]["risk_score"], second["items"][0]["risk_score"]]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[1]
