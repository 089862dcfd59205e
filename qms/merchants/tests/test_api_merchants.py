from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from qms.accounts.domain.roles import Role
from qms.merchants import services_onboarding as onboarding
from qms.merchants.models import Application, Merchant, Shop
from qms.merchants.services import add_supplier, create_shop, save_contact
from qms.merchants.services_trader import save_trader_info
from qms.shared.models import AuditEvent

from .factories import give_document, make_category, make_merchant

pytestmark = pytest.mark.django_db

TRADER = {
    "name": "Tea House EU",
    "address": "Hauptstr. 1, Berlin",
    "phone": "+49 30 123456",
    "email": "eu@tea.example",
    "identity_document_id": 1,
    "payment_account_iban": "DE89370400440532013000",
    "trade_register_name": "AG Berlin",
    "trade_register_number": "HRB 12345",
    "self_certified": True,
}


@pytest.fixture
def setup(make_user: Callable[..., Any], api_client_for: Callable[..., Any]) -> dict[str, Any]:
    tea = make_category("tea", risk="low", requires={"CN": ["business_licence"]})
    merchant, app, owner = make_merchant("Tea House")
    other, other_app, other_owner = make_merchant("Rival")
    reviewer = make_user(Role.REVIEWER, username="rev")
    shop = create_shop(actor=owner, merchant_id=merchant.pk, name="Tea House Flagship")
    save_contact(
        actor=owner,
        merchant_id=merchant.pk,
        kind="quality",
        name="Li Si",
        phone="+86 21 5555 0000",
        email="quality@tea.example",
    )
    link = add_supplier(
        actor=owner,
        merchant_id=merchant.pk,
        name="Hangzhou Tea Factory",
        kind="factory",
        relation="manufactures_for",
        since=__import__("datetime").date(2024, 1, 1),
    )
    save_trader_info(actor=owner, merchant_id=merchant.pk, **TRADER)
    return {
        "tea": tea,
        "merchant": merchant,
        "app": app,
        "owner": owner,
        "other": other,
        "other_app": other_app,
        "other_owner": other_owner,
        "reviewer": reviewer,
        "shop": shop,
        "link": link,
        "api": api_client_for(owner),
        "other_api": api_client_for(other_owner),
        "rev_api": api_client_for(reviewer),
    }


def _endpoints(s: dict[str, Any]) -> list[tuple[str, str, dict[str, Any] | None]]:
    m, a = s["merchant"].pk, s["app"].pk
    base = "/api/v1/merchants"
    return [
        ("get", f"{base}/{m}", None),
        ("patch", f"{base}/{m}", {"legal_representative": "X"}),
        ("get", f"{base}/{m}/shops", None),
        ("post", f"{base}/{m}/shops", {"name": "Sneaky"}),
        ("patch", f"{base}/shops/{s['shop'].pk}", {"name": "Sneaky"}),
        ("get", f"{base}/{m}/contacts", None),
        ("put", f"{base}/{m}/contacts/legal", {"name": "X", "phone": "123456", "email": "x@x.io"}),
        ("post", f"{base}/{m}/contacts/quality/validate", {}),
        ("get", f"{base}/{m}/suppliers", None),
        (
            "post",
            f"{base}/{m}/suppliers",
            {"name": "F", "kind": "factory", "relation": "manufactures_for", "since": "2024-01-01"},
        ),
        ("post", f"{base}/{m}/suppliers/{s['link'].pk}/end", {"until": "2025-01-01"}),
        ("get", f"{base}/{m}/trader-info", None),
        ("put", f"{base}/{m}/trader-info", TRADER),
        ("post", f"{base}/{m}/trader-info/verify", {"verified": True}),
        ("get", f"{base}/applications/{a}", None),
        ("patch", f"{base}/applications/{a}", {"markets": ["CN"]}),
        ("get", f"{base}/applications/{a}/history", None),
        ("get", f"{base}/applications/{a}/checklist", None),
        ("post", f"{base}/applications/{a}/submit", {}),
        ("post", f"{base}/applications/{a}/start-review", {}),
        ("post", f"{base}/applications/{a}/request-info", {"reason_codes": ["other"], "text": "x"}),
        ("post", f"{base}/applications/{a}/resubmit", {}),
        ("post", f"{base}/applications/{a}/approve", {}),
        ("post", f"{base}/applications/{a}/second-approve", {}),
        ("post", f"{base}/applications/{a}/reject", {"reason_codes": ["other"], "text": "x"}),
        ("post", f"{base}/applications/{a}/withdraw", {}),
    ]


def test_every_endpoint_is_404_for_another_merchant(setup: dict[str, Any]) -> None:
    s = setup
    audit_before = AuditEvent.objects.count()
    for method, url, body in _endpoints(s):
        kwargs = {} if body is None else {"json": body}
        resp = getattr(s["other_api"], method)(url, **kwargs)
        assert resp.status_code == 404, (method, url, resp.status_code, resp.content)
        assert resp["Content-Type"] == "application/problem+json"
    assert AuditEvent.objects.count() == audit_before
    assert not Shop.objects.filter(name="Sneaky").exists()


def test_lists_show_only_own_rows(setup: dict[str, Any]) -> None:
    s = setup
    merchants = s["other_api"].get("/api/v1/merchants").json()["items"]
    assert [m["id"] for m in merchants] == [s["other"].pk]
    apps = s["other_api"].get("/api/v1/merchants/applications").json()["items"]
    assert [a["id"] for a in apps] == [s["other_app"].pk]
    resp = s["other_api"].post(
        "/api/v1/merchants/applications", json={"merchant_id": s["merchant"].pk}
    )
    assert resp.status_code == 404
    assert s["other_api"].get("/api/v1/merchants/applications/queue").status_code == 403


def test_staff_sees_all_and_filters(setup: dict[str, Any]) -> None:
    s = setup
    resp = s["rev_api"].get("/api/v1/merchants", params={"q": "tea house"})
    assert [m["code"] for m in resp.json()["items"]] == [s["merchant"].code]
    resp = s["rev_api"].get("/api/v1/merchants", params={"q": s["other"].registration_number})
    assert [m["id"] for m in resp.json()["items"]] == [s["other"].pk]
    resp = s["rev_api"].get("/api/v1/merchants", params={"standing": "active"})
    assert resp.json()["items"] == []


def test_cursor_pagination(setup: dict[str, Any]) -> None:
    s = setup
    first = s["rev_api"].get("/api/v1/merchants", params={"limit": 1}).json()
    assert len(first["items"]) == 1
    assert first["next_cursor"]
    second = (
        s["rev_api"]
        .get("/api/v1/merchants", params={"limit": 1, "cursor": first["next_cursor"]})
        .json()
    )
    assert {first["items"][0]["id"], second["items"][0]["id"]} == {s["merchant"].pk, s["other"].pk}
    assert second["next_cursor"] is None


def test_full_journey_over_the_api(setup: dict[str, Any]) -> None:
    s = setup
    api, rev, a = s["api"], s["rev_api"], s["app"].pk
    base = f"/api/v1/merchants/applications/{a}"
    resp = api.patch(base, json={"category_ids": [s["tea"].pk]})
    assert resp.status_code == 200
    assert resp.json()["category_ids"] == [s["tea"].pk]
    resp = api.post(f"{base}/submit", json={"lock_version": resp.json()["lock_version"]})
    assert resp.json()["state"] == "submitted"
    assert api.post(f"{base}/start-review").status_code == 403
    resp = rev.post(f"{base}/start-review")
    assert resp.json()["state"] == "in_review"
    assert resp.json()["allowed_actions"] == ["request_info", "approve", "first_approve", "reject"]
    resp = rev.post(f"{base}/approve")
    assert resp.status_code == 409
    assert resp.json()["code"] == "documents_not_verified"
    give_document(s["merchant"], "business_licence")
    version = rev.get(base).json()["lock_version"]
    resp = rev.post(f"{base}/approve", json={"lock_version": version, "probation_days": 30})
    assert resp.status_code == 200
    assert resp.json()["state"] == "approved"
    late = rev.post(
        f"{base}/reject", json={"reason_codes": ["other"], "text": "late", "lock_version": version}
    )
    assert late.status_code == 409
    assert late.json()["code"] == "stale_application"
    late = rev.post(f"{base}/reject", json={"reason_codes": ["other"], "text": "late"})
    assert late.status_code == 409
    assert late.json()["code"] == "illegal_transition"
    history = api.get(f"{base}/history").json()
    assert [h["action"] for h in history] == ["submit", "start_review", "approve"]
    assert api.get(f"/api/v1/merchants/{s['merchant'].pk}").json()["standing"] == "active"


def test_create_draft_conflicts_with_open_application(setup: dict[str, Any]) -> None:
    s = setup
    resp = s["api"].post(
        "/api/v1/merchants/applications",
        json={"merchant_id": s["merchant"].pk},
        headers={"Idempotency-Key": "k1"},
    )
    assert resp.status_code == 409
    assert resp.json()["code"] == "application_open_exists"
    onboarding.withdraw_application(actor=s["owner"], application_id=s["app"].pk)
    resp = s["api"].post(
        "/api/v1/merchants/applications",
        json={"merchant_id": s["merchant"].pk, "markets": ["CN", "EU"]},
    )
    assert resp.status_code == 201
    assert resp.json()["state"] == "draft"
    assert Application.objects.filter(merchant=s["merchant"]).count() == 2


def test_profile_update_validates_uscc(setup: dict[str, Any]) -> None:
    s = setup
    url = f"/api/v1/merchants/{s['merchant'].pk}"
    resp = s["api"].patch(url, json={"registration_number": "91350100M000100Y44"})
    assert resp.status_code == 422
    assert resp.json()["code"] == "uscc_check_char"
    resp = s["api"].patch(
        url, json={"registration_number": "91350100m000100y43", "business_scope": "Tea"}
    )
    assert resp.status_code == 200
    assert resp.json()["registration_number"] == "91350100M000100Y43"
    audit = AuditEvent.objects.filter(action="merchant.update_profile").latest("id")
    assert audit.organisation_id == s["merchant"].organisation_id
    assert set(audit.after) == {"registration_number", "business_scope"}


def test_shops_contacts_suppliers(setup: dict[str, Any]) -> None:
    s = setup
    m = s["merchant"].pk
    resp = s["api"].post(
        f"/api/v1/merchants/{m}/shops",
        json={"name": "Tea House EU", "markets": ["eu"], "slug": "tea-eu"},
    )
    assert resp.status_code == 201
    assert resp.json()["markets"] == ["EU"]
    dup = s["other_api"].post(
        f"/api/v1/merchants/{s['other'].pk}/shops", json={"name": "x", "slug": "tea-eu"}
    )
    assert dup.status_code == 409
    assert dup.json()["code"] == "shop_slug_taken"
    resp = s["api"].put(
        f"/api/v1/merchants/{m}/contacts/after_sales",
        json={"name": "Wang", "phone": "+86 400 000", "email": "as@tea.example"},
    )
    assert resp.status_code == 200
    assert resp.json()["validated"] is False
    bad = s["api"].put(
        f"/api/v1/merchants/{m}/contacts/ceo", json={"name": "Wang", "phone": "1", "email": "a@b.c"}
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "unknown_contact_kind"
    kinds = [c["kind"] for c in s["api"].get(f"/api/v1/merchants/{m}/contacts").json()]
    assert kinds == ["after_sales", "quality"]
    links = s["api"].get(f"/api/v1/merchants/{m}/suppliers").json()
    assert links[0]["supplier"]["name"] == "Hangzhou Tea Factory"
    resp = s["api"].post(
        f"/api/v1/merchants/{m}/suppliers/{s['link'].pk}/end", json={"until": "2023-01-01"}
    )
    assert resp.status_code == 422
    assert resp.json()["code"] == "invalid_period"


def test_trader_info_get_put_verify(
    setup: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    s = setup
    url = f"/api/v1/merchants/{s['merchant'].pk}/trader-info"
    assert s["api"].get(url).json()["verification_status"] == "unverified"
    with django_capture_on_commit_callbacks(execute=True):
        resp = s["api"].put(url, json={**TRADER, "phone": "+49 30 999999"})
    assert resp.json()["verification_status"] == "unverified"
    data = s["api"].get(url).json()
    # the queued re-check ran after commit: no verified identity document yet
    assert (data["verification_status"], data["verification_reasons"]) == (
        "failed",
        ["identity_document_not_verified"],
    )
    assert s["api"].post(f"{url}/verify", json={"verified": True}).status_code == 403
    resp = s["rev_api"].post(f"{url}/verify", json={"verified": True})
    assert resp.status_code == 409
    assert resp.json()["code"] == "trader_info_decided"
    doc = give_document(s["merchant"], "identity_document")
    trader = {**TRADER, "identity_document_id": doc.pk}
    with django_capture_on_commit_callbacks(execute=True):
        s["api"].put(url, json=trader)
    assert s["api"].get(url).json()["verification_status"] == "unverified"
    resp = s["rev_api"].post(f"{url}/verify", json={"verified": True})
    assert resp.status_code == 200
    assert resp.json()["verification_status"] == "verified"
    assert resp.json()["verified_by_id"] == s["reviewer"].pk
    with django_capture_on_commit_callbacks(execute=True):
        resp = s["api"].put(url, json={**trader, "payment_account_iban": "DE89370400440532013001"})
    assert resp.json()["verification_status"] == "unverified"
    data = s["api"].get(url).json()
    assert (data["verification_status"], data["verification_reasons"]) == (
        "failed",
        ["iban_check_digits"],
    )


def test_reason_codes_endpoint(setup: dict[str, Any]) -> None:
    codes = setup["api"].get("/api/v1/merchants/reason-codes").json()
    assert {
        "code": "other",
        "en": "Other (see the text)",
        "zh": "其他（见说明）",
        "uses": ["reject", "request_info"],
    } in codes


def test_queue_and_list_filters(setup: dict[str, Any]) -> None:
    s = setup
    onboarding.update_application(
        actor=s["owner"],
        application_id=s["app"].pk,
        category_ids=[s["tea"].pk],
        markets=["CN", "EU"],
    )
    onboarding.submit_application(actor=s["owner"], application_id=s["app"].pk)
    queue = "/api/v1/merchants/applications/queue"
    assert [a["id"] for a in s["rev_api"].get(queue, params={"market": "EU"}).json()["items"]] == [
        s["app"].pk
    ]
    assert s["rev_api"].get(queue, params={"market": "EU", "risk": "high"}).json()["items"] == []
    assert s["rev_api"].get(queue, params={"state": "in_review"}).json()["items"] == []
    Merchant.objects.filter(pk=s["other"].pk).update(markets=["EU"], standing="active")
    found = s["rev_api"].get("/api/v1/merchants", params={"market": "eu"}).json()["items"]
    assert [m["id"] for m in found] == [s["other"].pk]
    found = s["rev_api"].get("/api/v1/merchants", params={"category": "tea"}).json()["items"]
    assert found == []


def test_staff_validates_a_contact(setup: dict[str, Any]) -> None:
    s = setup
    url = f"/api/v1/merchants/{s['merchant'].pk}/contacts/quality/validate"
    assert s["api"].post(url).status_code == 403
    resp = s["rev_api"].post(url)
    assert resp.status_code == 200
    assert resp.json()["validated"] is True
    missing = s["rev_api"].post(f"/api/v1/merchants/{s['merchant'].pk}/contacts/legal/validate")
    assert missing.status_code == 404
