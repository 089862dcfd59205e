"""The standing and re-verification API, from outside, with isolation between merchants."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from qms.accounts.domain.roles import Role
from qms.merchants import services_reverification as reverification
from qms.merchants import services_standing as standing
from qms.merchants.models import StandingChange

from .factories import make_category, make_live_merchant

pytestmark = pytest.mark.django_db
BASE = "/api/v1/merchants"


@pytest.fixture
def world(make_user: Callable[..., Any], api_client_for: Callable[..., Any]) -> dict[str, Any]:
    toys = make_category("toys")
    tea = make_category("tea")
    merchant, owner = make_live_merchant("Toy Shop", categories=(toys, tea))
    other, other_owner = make_live_merchant("Other Shop", categories=(toys,))
    qm = make_user(Role.QUALITY_MANAGER, username="qm1")
    reviewer = make_user(Role.REVIEWER, username="rev1")
    return {
        "merchant": merchant,
        "other": other,
        "toys": toys,
        "tea": tea,
        "qm": qm,
        "api_qm": api_client_for(qm),
        "api_reviewer": api_client_for(reviewer),
        "api_owner": api_client_for(owner),
        "api_other": api_client_for(other_owner),
    }


def test_quality_manager_restricts_a_category_and_lifts_it(world):
    w = world
    mid, cid = w["merchant"].pk, w["toys"].pk
    res = w["api_qm"].post(
        f"{BASE}/{mid}/categories/{cid}/restrict",
        {
            "reason_code": "quality_violation",
            "reason_text": "Failed EN 71-3",
            "evidence": {"lab_order": 12},
        },
    )
    assert res.status_code == 200, res.content
    body = res.json()
    assert (body["standing"], body["can_sell"], body["why_not"]) == ("restricted", True, [])
    assert [(r["category_id"], r["reason_code"]) for r in body["restrictions"]] == [
        (cid, "quality_violation")
    ]
    sell = w["api_owner"].get(f"{BASE}/{mid}/can-sell", params={"category_id": cid}).json()
    assert sell == {"can_sell": False, "reasons": ["category_restricted"]}
    res = w["api_qm"].post(
        f"{BASE}/{mid}/categories/{cid}/lift",
        {"reason_code": "rectified", "reason_text": "Retest passed"},
    )
    assert res.json()["standing"] == "active"
    history = w["api_owner"].get(f"{BASE}/{mid}/standing-history").json()["items"]
    assert [(h["action"], h["to_standing"]) for h in history] == [
        ("lift_category", "active"),
        ("restrict_category", "restricted"),
    ]
    assert history[1]["evidence"] == {"lab_order": 12}


def test_change_standing_and_its_errors(world):
    w = world
    mid = w["merchant"].pk
    url = f"{BASE}/{mid}/standing"
    res = w["api_qm"].post(url, {"to": "suspended", "reason_code": "counterfeit"})
    assert res.status_code == 422
    assert res.json()["code"] == "reason_text_required"
    res = w["api_qm"].post(
        url,
        {"to": "suspended", "reason_code": "counterfeit", "reason_text": "Counterfeit headphones"},
    )
    assert res.status_code == 200
    assert (res.json()["standing"], res.json()["why_not"]) == ("suspended", ["standing_suspended"])
    res = w["api_qm"].post(
        url, {"to": "suspended", "reason_code": "counterfeit", "reason_text": "again"}
    )
    assert res.status_code == 409
    assert res.json()["code"] == "illegal_transition"
    res = w["api_reviewer"].post(url, {"to": "active", "reason_code": "appeal_upheld"})
    assert res.status_code == 403
    res = w["api_owner"].post(url, {"to": "active", "reason_code": "appeal_upheld"})
    assert res.status_code == 403
    assert w["api_owner"].get(url).json()["standing"] == "suspended"
    assert StandingChange.objects.count() == 1


def test_isolation_of_standing_endpoints(world):
    w = world
    mid, cid = w["merchant"].pk, w["toys"].pk
    for path in ("standing", "standing-history", "can-sell"):
        res = w["api_other"].get(f"{BASE}/{mid}/{path}")
        assert res.status_code == 404, path
        assert res.json()["code"] == "merchant_not_found"
    for path, body in (
        (f"{mid}/standing", {"to": "active", "reason_code": "rectified"}),
        (f"{mid}/categories/{cid}/restrict", {"reason_code": "counterfeit"}),
        (f"{mid}/categories/{cid}/lift", {"reason_code": "rectified"}),
    ):
        assert w["api_other"].post(f"{BASE}/{path}", body).status_code == 404, path
    assert w["api_qm"].get(f"{BASE}/999999/standing").status_code == 404


def test_reverification_queue_and_completion(world):
    w = world
    mine = reverification.schedule_reverification(merchant_id=w["merchant"].pk)
    theirs = reverification.schedule_reverification(merchant_id=w["other"].pk)
    queue = w["api_reviewer"].get(f"{BASE}/reverification-tasks", params={"state": "open"}).json()
    assert sorted(i["id"] for i in queue["items"]) == sorted([mine.pk, theirs.pk])
    assert (
        w["api_reviewer"]
        .get(f"{BASE}/reverification-tasks", params={"state": "due"})
        .json()["items"]
        == []
    )
    own = w["api_owner"].get(f"{BASE}/reverification-tasks").json()["items"]
    assert [i["id"] for i in own] == [mine.pk]
    assert own[0]["merchant_name"] == w["merchant"].legal_name
    assert w["api_owner"].get(f"{BASE}/reverification-tasks/{theirs.pk}").status_code == 404
    res = w["api_owner"].post(
        f"{BASE}/reverification-tasks/{mine.pk}/complete", {"outcome": "confirmed"}
    )
    assert res.status_code == 403
    res = w["api_other"].post(
        f"{BASE}/reverification-tasks/{mine.pk}/complete", {"outcome": "confirmed"}
    )
    assert res.status_code == 404
    res = w["api_reviewer"].post(
        f"{BASE}/reverification-tasks/{mine.pk}/complete",
        {"outcome": "confirmed", "notes": "USCC checked on GSXT"},
    )
    assert res.status_code == 200
    assert (res.json()["state"], res.json()["outcome"]) == ("done", "confirmed")
    assert (
        w["api_reviewer"]
        .get(
            f"{BASE}/reverification-tasks",
            params={"merchant_id": w["merchant"].pk, "state": "open"},
        )
        .json()["items"][0]["id"]
        != mine.pk
    )


def test_standing_list_needs_no_n_plus_one(world, django_assert_max_num_queries):
    w = world
    for _ in range(3):
        standing.restrict_category(
            actor=None,
            merchant_id=w["merchant"].pk,
            category_id=w["tea"].pk,
            reason_code="document_expired",
            document_type_code="food_business_licence",
        )
        standing.lift_category_restriction(
            actor=None,
            merchant_id=w["merchant"].pk,
            category_id=w["tea"].pk,
            reason_code="documents_valid",
        )
    with django_assert_max_num_queries(8):
        res = w["api_qm"].get(f"{BASE}/{w['merchant'].pk}/standing-history")
    assert len(res.json()["items"]) == 6


def test_reverification_list_queries_do_not_grow(world, django_assert_max_num_queries):
    for n in range(4):
        merchant, _ = make_live_merchant(f"Shop {n}")
        reverification.schedule_reverification(merchant_id=merchant.pk)
    with django_assert_max_num_queries(6):
        res = world["api_reviewer"].get(f"{BASE}/reverification-tasks")
    assert len(res.json()["items"]) == 4
