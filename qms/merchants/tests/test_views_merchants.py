from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qms.accounts.domain.roles import Role
from qms.merchants import services_onboarding as onboarding

from .factories import give_document, make_category, make_merchant

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def w(make_user: Callable[..., Any]) -> dict[str, Any]:
    tea = make_category("tea", requires={"CN": ["business_licence"]})
    merchant, app, owner = make_merchant("Tea House")
    other, other_app, other_owner = make_merchant("Rival")
    onboarding.update_application(actor=owner, application_id=app.pk, category_ids=[tea.pk])
    onboarding.submit_application(actor=owner, application_id=app.pk)
    return {
        "tea": tea,
        "merchant": merchant,
        "app": app,
        "owner": owner,
        "other": other,
        "other_app": other_app,
        "other_owner": other_owner,
        "rev": make_user(Role.REVIEWER, username="rev"),
        "rev2": make_user(Role.REVIEWER, username="rev2"),
    }


def test_console_list_search_and_detail(w: dict[str, Any]) -> None:
    c = _client(w["rev"])
    resp = c.get(reverse("merchants:merchant_list"), {"q": "rival"})
    assert resp.status_code == 200
    assert w["other"].code.encode() in resp.content
    assert w["merchant"].code.encode() not in resp.content
    resp = c.get(reverse("merchants:merchant_detail", args=[w["merchant"].pk]))
    assert resp.status_code == 200
    assert b"merchant.register" in resp.content
    assert b"submit" in resp.content


def test_console_is_closed_to_merchants(w: dict[str, Any]) -> None:
    c = _client(w["owner"])
    assert c.get(reverse("merchants:merchant_list")).status_code == 403
    assert c.get(reverse("merchants:application_review", args=[w["app"].pk])).status_code == 403


def test_review_page_checklist_and_decision(w: dict[str, Any]) -> None:
    c = _client(w["rev"])
    url = reverse("merchants:application_review", args=[w["app"].pk])
    resp = c.get(url)
    assert resp.status_code == 200
    assert b"business_licence" in resp.content
    assert b"Missing or unverified" in resp.content
    resp = c.post(
        reverse("merchants:application_action", args=[w["app"].pk, "start_review"]),
        {"lock_version": 2},  # after update and submit
    )
    assert resp.status_code == 302
    give_document(w["merchant"], "business_licence")
    w["app"].refresh_from_db()
    version = w["app"].lock_version
    resp = c.post(
        reverse("merchants:application_action", args=[w["app"].pk, "approve"]),
        {"lock_version": version, "probation_days": "30"},
    )
    assert resp.status_code == 302
    w["app"].refresh_from_db()
    assert w["app"].state == "approved"
    # a second reviewer with the page open from before: the conflict is shown in place
    c2 = _client(w["rev2"])
    resp = c2.post(
        reverse("merchants:application_action", args=[w["app"].pk, "reject"]),
        {"lock_version": version, "reason_codes": ["other"], "text": "no"},
    )
    assert resp.status_code == 409
    assert b"Someone else changed this application" in resp.content
    assert b'id="decision-error"' in resp.content
    w["app"].refresh_from_db()
    assert w["app"].state == "approved"


def test_reject_form_errors_in_place(w: dict[str, Any]) -> None:
    onboarding.start_review(actor=w["rev"], application_id=w["app"].pk)
    w["app"].refresh_from_db()
    c = _client(w["rev"])
    resp = c.post(
        reverse("merchants:application_action", args=[w["app"].pk, "reject"]),
        {"lock_version": w["app"].lock_version, "reason_codes": ["other"], "text": ""},
    )
    assert resp.status_code == 422
    assert b"Explain the reason" in resp.content


def test_application_queue(w: dict[str, Any]) -> None:
    c = _client(w["rev"])
    resp = c.get(reverse("merchants:application_queue"))
    assert resp.status_code == 200
    assert f"A{w['app'].pk}".encode() in resp.content
    assert f"A{w['other_app'].pk}".encode() not in resp.content  # still a draft


def test_portal_home_and_isolation(w: dict[str, Any]) -> None:
    c = _client(w["owner"])
    resp = c.get(reverse("portal:home"))
    assert resp.status_code == 200
    assert b'aria-current="step"' in resp.content
    assert b"Tea House" in resp.content
    assert b"Rival" not in resp.content
    resp = _client(w["other_owner"]).get(reverse("portal:application"))
    assert b"Rival" in resp.content
    assert b"Tea House" not in resp.content


def test_portal_application_form_flow(w: dict[str, Any]) -> None:
    c = _client(w["other_owner"])
    url = reverse("portal:application_section", args=["scope"])
    resp = c.post(url, {"markets": ["CN"], "categories": [w["tea"].pk]})
    assert resp.status_code == 302
    resp = c.post(
        reverse("portal:application_section", args=["contact"]),
        {"kind": "quality", "name": "Li", "phone": "+86 21 1", "email": "q@r.example"},
    )
    assert resp.status_code == 302
    resp = c.post(
        reverse("portal:application_section", args=["company"]),
        {
            "legal_name": "Rival Co., Ltd.",
            "country": "CN",
            "registration_scheme": "cn_uscc",
            "registration_number": "91350100M000100Y44",
            "legal_representative": "Wang",
            "registered_address": "2 Road",
        },
    )
    assert resp.status_code == 422
    assert b"unified social credit code" in resp.content
    resp = c.post(reverse("portal:application_section", args=["submit"]))
    assert resp.status_code == 302
    w["other_app"].refresh_from_db()
    assert w["other_app"].state == "submitted"
    assert w["other"].contacts.get().kind == "quality"


def test_live_registration_check(w: dict[str, Any]) -> None:
    c = _client(w["owner"])
    url = reverse("portal:check_registration")
    resp = c.get(
        url,
        {
            "registration_number": "91350100m000100y43",
            "country": "CN",
            "registration_scheme": "cn_uscc",
        },
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 200
    assert b"Valid: 91350100M000100Y43" in resp.content
    resp = c.get(
        url,
        {
            "registration_number": "91350100M000100Y44",
            "country": "CN",
            "registration_scheme": "cn_uscc",
        },
    )
    assert b"field-error" in resp.content


def test_portal_withdraw(w: dict[str, Any]) -> None:
    c = _client(w["owner"])
    assert b'id="withdraw"' in c.get(reverse("portal:application")).content
    resp = c.post(reverse("portal:application_section", args=["withdraw"]))
    assert resp.status_code == 302
    w["app"].refresh_from_db()
    assert w["app"].state == "withdrawn"
    assert c.post(reverse("portal:application_section", args=["nope"])).status_code == 404


def test_console_trader_verification(w: dict[str, Any]) -> None:
    from qms.merchants.services_trader import save_trader_info

    save_trader_info(
        actor=w["owner"],
        merchant_id=w["merchant"].pk,
        name="Tea EU",
        address="Hauptstr. 1, Berlin",
        phone="+49 30 123456",
        email="eu@tea.example",
    )
    c = _client(w["rev"])
    url = reverse("merchants:trader_verify", args=[w["merchant"].pk])
    resp = c.post(url, {"decision": "verify", "application_id": w["app"].pk})
    assert resp.status_code == 302
    assert resp["Location"] == reverse("merchants:application_review", args=[w["app"].pk])
    info = w["merchant"].trader_info
    info.refresh_from_db()
    assert info.verification_status == "unverified"  # automatic checks fail: nothing changed
    resp = c.post(url, {"decision": "fail", "reasons": "address unknown\nphone dead"})
    info.refresh_from_db()
    assert (info.verification_status, info.verification_reasons) == (
        "failed",
        ["address unknown", "phone dead"],
    )
    assert _client(w["other_owner"]).post(url, {"decision": "verify"}).status_code == 403
