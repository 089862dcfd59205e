"""The rule book over the API: read by staff and merchants, changed by the quality team."""

from __future__ import annotations

import pytest

from qms.listings.models import RuleVersion

from .factories import make_seller

pytestmark = pytest.mark.django_db
BASE = "/api/v1/listings/rules"
URGENT = {"urgent": True, "reason": "regulator order of 2026-11-20 on quantum claims"}


def test_merchants_and_staff_read_the_rule_book(api_client_for, reviewer):
    _m, owner = make_seller()
    for user in (owner, reviewer):
        page = api_client_for(user).get(f"{BASE}?q=最佳&limit=5").json()
        assert page["count"] >= 1
        assert len(page["items"]) <= 5
        assert all("最佳" in r["term"] or "最佳" in r["title"] for r in page["items"])
    page = api_client_for(owner).get(f"{BASE}?kind=attribute_required&market=EU&limit=500").json()
    assert page["items"]
    assert {r["type"] for r in page["items"]} == {"attribute_required"}
    rule = api_client_for(owner).get(f"{BASE}/listing.attr.cn-food.sc_licence_no").json()
    assert rule["status"] == "in_force"
    assert rule["source"] == "starting_set"
    assert [v["version"] for v in rule["history"]] == [1]


def test_bad_paging_and_unknown_rules_are_problems(api_client_for, reviewer):
    c = api_client_for(reviewer)
    assert c.get(f"{BASE}?limit=0").json()["code"] == "invalid_limit"
    assert c.get(f"{BASE}?status=nope").json()["code"] == "invalid_status"
    r = c.get(f"{BASE}/listing.term.nope")
    assert (r.status_code, r.json()["code"]) == (404, "rule_not_found")


def test_add_change_retire_over_the_api(api_client_for, admin_user):
    c = api_client_for(admin_user)
    r = c.post(
        BASE, json={"term": "量子能量", "kind": "medical_claim", "markets": ["CN"], **URGENT}
    )
    assert r.status_code == 201, r.json()
    rule = r.json()
    assert (rule["status"], rule["source"], rule["term"]) == (
        "in_force",
        "quality_team",
        "量子能量",
    )
    rid = rule["id"]
    r = c.post(BASE, json={"term": "量子 能量", "kind": "medical_claim", "markets": ["CN"]})
    assert (r.status_code, r.json()["code"]) == (409, "rule_term_exists")
    r = c.post(f"{BASE}/{rid}/versions", json={"severity": "medium", "reason": "review only"})
    assert r.status_code == 201
    assert r.json()["severity"] == "medium"
    r = c.post(
        f"{BASE}/{rid}/versions",
        json={"markets": ["CN", "EU"], "reason": "EU", "effective_from": "2020-01-01"},
    )
    assert (r.status_code, r.json()["code"]) == (422, "rule_effective_in_past")
    r = c.post(f"{BASE}/{rid}/retire", json={"reason": "merged into another rule"})
    assert r.status_code == 201
    assert r.json()["status"] == "retired"
    assert RuleVersion.objects.filter(rule_id=rid).count() == 3


def test_merchants_and_reviewers_cannot_change_rules(api_client_for, reviewer):
    _m, owner = make_seller()
    body = {"term": "量子能量", "kind": "medical_claim", "markets": ["CN"], **URGENT}
    for user in (owner, reviewer):
        r = api_client_for(user).post(BASE, json=body)
        assert r.status_code == 403
        r = api_client_for(user).post(
            f"{BASE}/listing.attr.cn-food.sc_licence_no/retire", json={"reason": "x"}
        )
        assert r.status_code == 403
    assert not RuleVersion.objects.exists()
