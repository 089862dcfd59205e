"""The agreements API, from outside: templates, status, signing; isolation between merchants."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from qms.accounts.domain.roles import Role
from qms.merchants import services_agreements as agreements
from qms.merchants.models import AgreementSignature
from qms.merchants.selectors import dashboard_counts
from qms.merchants.selectors_agreements import agreement_counts
from qms.shared.models import AuditEvent

from .factories import add_staff, make_category, make_live_merchant
from .test_services_agreements import BODY_EN, BODY_ZH

pytestmark = pytest.mark.django_db
BASE = "/api/v1/merchants"


@pytest.fixture
def world(make_user: Callable[..., Any], api_client_for: Callable[..., Any]) -> dict[str, Any]:
    toys = make_category("toys")
    merchant, owner = make_live_merchant("Toy Shop", categories=(toys,))
    other, other_owner = make_live_merchant("Other Shop", categories=(toys,))
    qm = make_user(Role.QUALITY_MANAGER, username="qm1")
    return {
        "merchant": merchant,
        "other": other,
        "owner": owner,
        "qm": qm,
        "api_qm": api_client_for(qm),
        "api_owner": api_client_for(owner),
        "api_other": api_client_for(other_owner),
        "api_reviewer": api_client_for(make_user(Role.REVIEWER, username="rev1")),
        "api_staff": api_client_for(add_staff(merchant, "clerk")),
    }


def _create(api: Any) -> Any:
    return api.post(
        f"{BASE}/agreement-templates",
        {
            "code": "quality",
            "title": "Quality Agreement",
            "title_zh": "质量协议",
            "body_en": BODY_EN,
            "body_zh": BODY_ZH,
            "change_summary": "First",
        },
    )


def test_manager_creates_edits_and_publishes(world):
    w = world
    res = _create(w["api_qm"])
    assert res.status_code == 201, res.content
    t = res.json()
    assert (t["version"], t["status"], len(t["text_sha256"])) == (1, "draft", 64)
    res = w["api_qm"].patch(f"{BASE}/agreement-templates/{t['id']}", {"title": "Quality Pact"})
    assert res.status_code == 200
    assert res.json()["title"] == "Quality Pact"
    assert res.json()["text_sha256"] != t["text_sha256"]
    res = w["api_qm"].post(f"{BASE}/agreement-templates/{t['id']}/publish", {"resign_days": 3})
    assert res.status_code == 422
    assert res.json()["code"] == "resign_days_invalid"
    res = w["api_qm"].post(f"{BASE}/agreement-templates/{t['id']}/publish", {"resign_days": 10})
    assert res.status_code == 200
    assert res.json()["status"] == "published"
    res = w["api_qm"].patch(f"{BASE}/agreement-templates/{t['id']}", {"title": "Late edit"})
    assert res.status_code == 409
    assert res.json()["code"] == "illegal_transition"
    listed = w["api_qm"].get(f"{BASE}/agreement-templates").json()
    assert [i["id"] for i in listed["items"]] == [t["id"]]


def test_others_may_not_manage_templates(world):
    w = world
    for key in ("api_reviewer", "api_owner"):
        res = _create(w[key])
        assert res.status_code == 403
        assert res.json()["code"] == "permission_denied"
    draft = _create(w["api_qm"]).json()
    # merchants never see drafts
    assert w["api_owner"].get(f"{BASE}/agreement-templates/{draft['id']}").status_code == 404
    assert w["api_owner"].get(f"{BASE}/agreement-templates").json()["items"] == []
    res = w["api_owner"].post(f"{BASE}/agreement-templates/{draft['id']}/publish", {})
    assert res.status_code == 404
    res = w["api_reviewer"].post(f"{BASE}/agreement-templates/{draft['id']}/publish", {})
    assert res.status_code == 403


def _published(w: dict[str, Any]) -> Any:
    draft = agreements.create_template_draft(
        actor=w["qm"],
        code="quality",
        title="Quality",
        title_zh="质量协议",
        body_en=BODY_EN,
        body_zh=BODY_ZH,
    )
    return agreements.publish_template(actor=w["qm"], template_id=draft.pk)


def test_owner_reads_status_and_signs_with_the_fingerprint(world):
    w = world
    t = _published(w)
    mine = w["api_owner"].get(f"{BASE}/me/agreement").json()
    assert mine["merchant_id"] == w["merchant"].pk
    assert [(i["template_id"], i["state"], i["text_sha256"]) for i in mine["items"]] == [
        (t.pk, "grace", t.text_sha256)
    ]
    url = f"{BASE}/{w['merchant'].pk}/agreement/sign"
    res = w["api_owner"].post(
        url, {"template_id": t.pk, "text_sha256": "a" * 64}, headers={"User-Agent": "Mozilla/5.0"}
    )
    assert res.status_code == 409
    assert res.json()["code"] == "agreement_text_changed"
    res = w["api_owner"].post(
        url,
        {"template_id": t.pk, "text_sha256": t.text_sha256, "language": "en"},
        headers={"User-Agent": "Mozilla/5.0"},
    )
    assert res.status_code == 201, res.content
    sig = AgreementSignature.objects.get(pk=res.json()["id"])
    assert (sig.user_agent, sig.ip, sig.language) == ("Mozilla/5.0", "127.0.0.1", "en")
    assert AuditEvent.objects.filter(action="agreement.sign", object_id=str(sig.pk)).exists()
    status = w["api_owner"].get(f"{BASE}/{w['merchant'].pk}/agreement").json()
    assert status["ok"] is True
    assert status["items"][0]["state"] == "signed"
    cov = w["api_qm"].get(f"{BASE}/agreement-templates/{t.pk}/coverage").json()
    assert [m["merchant_id"] for m in cov["signed"]] == [w["merchant"].pk]
    assert [m["merchant_id"] for m in cov["unsigned"]] == [w["other"].pk]
    assert cov["percent"] == 50
    assert dashboard_counts(actor=w["qm"])["agreements_unsigned"] == 1
    assert agreement_counts(actor=w["owner"]) == {}


def test_staff_may_read_but_not_sign(world):
    w = world
    t = _published(w)
    assert w["api_staff"].get(f"{BASE}/me/agreement").status_code == 200
    res = w["api_staff"].post(
        f"{BASE}/{w['merchant'].pk}/agreement/sign",
        {"template_id": t.pk, "text_sha256": t.text_sha256},
    )
    assert res.status_code == 403


def test_isolation_between_merchants(world):
    w = world
    t = _published(w)
    mid = w["merchant"].pk
    assert w["api_other"].get(f"{BASE}/{mid}/agreement").status_code == 404
    res = w["api_other"].post(
        f"{BASE}/{mid}/agreement/sign", {"template_id": t.pk, "text_sha256": t.text_sha256}
    )
    assert res.status_code == 404
    assert res.json()["code"] == "merchant_not_found"
    assert w["api_other"].get(f"{BASE}/agreement-templates/{t.pk}/coverage").status_code == 404
    assert not AgreementSignature.objects.exists()
    # a staff member without a merchant has no "me"
    assert w["api_qm"].get(f"{BASE}/me/agreement").status_code == 404


def test_merchants_cannot_touch_drafts(world):
    w = world
    draft = _create(w["api_qm"]).json()
    url = f"{BASE}/agreement-templates/{draft['id']}"
    res = w["api_owner"].patch(url, {"title": "Mine now"})
    assert res.status_code == 404
    assert res.json()["code"] == "agreement_not_found"
    assert w["api_qm"].get(url).json()["title"] == "Quality Agreement"


def test_template_list_queries_do_not_grow(world, django_assert_max_num_queries):
    w = world
    for n in range(5):
        agreements.create_template_draft(
            actor=w["qm"],
            code=f"annex-{n}",
            title="Annex",
            title_zh="附件",
            body_en=BODY_EN,
            body_zh=BODY_ZH,
        )
    with django_assert_max_num_queries(6):
        res = w["api_qm"].get(f"{BASE}/agreement-templates")
    assert len(res.json()["items"]) == 5
