"""Agreement pages, as users see them: console list/detail/publish/coverage, portal signing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from qms.accounts.domain.roles import Role
from qms.merchants import services_agreements as agreements
from qms.merchants.models import AgreementSignature, AgreementTemplate

from .factories import add_staff, make_category, make_live_merchant
from .test_services_agreements import BODY_EN, BODY_ZH

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def world(make_user: Callable[..., Any]) -> dict[str, Any]:
    toys = make_category("toys")
    merchant, owner = make_live_merchant("Toy Shop", categories=(toys,))
    other, other_owner = make_live_merchant("Other Shop", categories=(toys,))
    qm = make_user(Role.QUALITY_MANAGER, username="qm1")
    return {
        "merchant": merchant,
        "owner": owner,
        "other": other,
        "other_owner": other_owner,
        "qm": qm,
        "reviewer": make_user(Role.REVIEWER, username="rev1"),
    }


def test_manager_writes_and_publishes_a_version(world):
    c = _client(world["qm"])
    assert "No agreement yet" in c.get("/console/merchants/agreements/").content.decode()
    res = c.post(
        "/console/merchants/agreements/new/",
        {
            "code": "quality",
            "title": "Quality Agreement",
            "title_zh": "质量协议",
            "body_en": BODY_EN,
            "body_zh": BODY_ZH,
            "change_summary": "First",
        },
    )
    assert res.status_code == 302
    t = AgreementTemplate.objects.get()
    assert res["Location"] == f"/console/merchants/agreements/{t.pk}/"
    page = c.get(res["Location"]).content.decode()
    assert "Publish this version" in page
    assert "四、召回义务" in page
    assert t.text_sha256 in page
    res = c.post(f"/console/merchants/agreements/{t.pk}/publish/", {"resign_days": "2"})
    assert res.status_code == 400
    res = c.post(f"/console/merchants/agreements/{t.pk}/publish/", {"resign_days": "20"})
    assert res.status_code == 302
    assert res["Location"] == f"/console/merchants/agreements/{t.pk}/coverage/"
    coverage = c.get(res["Location"]).content.decode()
    assert "Toy Shop Co., Ltd." in coverage
    assert "0%" in coverage


def test_publishing_errors_are_shown_inline(world):
    t = agreements.create_template_draft(
        actor=world["qm"],
        code="q",
        title="Q",
        title_zh="质",
        body_en="## 1. Quality standards\nx\n",
        body_zh=BODY_ZH,
    )
    res = _client(world["qm"]).post(
        f"/console/merchants/agreements/{t.pk}/publish/", {"resign_days": "30"}
    )
    assert res.status_code == 400
    assert "The agreement lacks required sections." in res.content.decode()


def test_reviewer_reads_but_cannot_manage(world):
    c = _client(world["reviewer"])
    assert c.get("/console/merchants/agreements/").status_code == 200
    assert c.get("/console/merchants/agreements/new/").status_code == 403


def test_merchants_cannot_open_the_console_pages(world):
    t = agreements.ensure_default_agreement()
    c = _client(world["owner"])
    for url in (
        "/console/merchants/agreements/",
        f"/console/merchants/agreements/{t.pk}/",
        f"/console/merchants/agreements/{t.pk}/coverage/",
    ):
        assert c.get(url).status_code == 403, url


def test_owner_reads_both_languages_and_signs(world):
    t = agreements.ensure_default_agreement()
    c = _client(world["owner"])
    page = c.get("/portal/agreement/").content.decode()
    assert "商品质量协议" in page
    assert "4. Recall duties" in page
    assert "四、召回义务" in page
    assert t.text_sha256 in page
    res = c.post("/portal/agreement/", {"template_id": t.pk, "text_sha256": t.text_sha256})
    assert res.status_code == 400  # the box was not ticked
    res = c.post(
        "/portal/agreement/",
        {"template_id": t.pk, "text_sha256": t.text_sha256, "accept": "on"},
        HTTP_USER_AGENT="Firefox",
    )
    assert res.status_code == 302
    sig = AgreementSignature.objects.get()
    assert (sig.merchant, sig.signer, sig.user_agent) == (
        world["merchant"],
        world["owner"],
        "Firefox",
    )
    assert "Signed by" in c.get("/portal/agreement/").content.decode()


def test_changed_text_is_refused_on_the_page(world):
    t = agreements.ensure_default_agreement()
    res = _client(world["owner"]).post(
        "/portal/agreement/", {"template_id": t.pk, "text_sha256": "f" * 64, "accept": "on"}
    )
    assert res.status_code == 409
    assert "The agreement text changed since it was shown to you" in res.content.decode()
    assert not AgreementSignature.objects.exists()


def test_staff_of_the_merchant_reads_but_cannot_sign(world):
    t = agreements.ensure_default_agreement()
    clerk = add_staff(world["merchant"], "clerk")
    c = _client(clerk)
    page = c.get("/portal/agreement/").content.decode()
    assert "Ask the owner to sign it." in page
    res = c.post(
        "/portal/agreement/", {"template_id": t.pk, "text_sha256": t.text_sha256, "accept": "on"}
    )
    assert res.status_code == 403
    assert not AgreementSignature.objects.exists()


def test_next_version_starts_from_the_published_text(world):
    t = agreements.ensure_default_agreement()
    c = _client(world["qm"])
    page = c.get(f"/console/merchants/agreements/new/?from={t.pk}").content.decode()
    assert "quality-agreement" in page
    assert "五、期限、变更与重新签署" in page
    assert c.get("/console/merchants/agreements/new/?from=abc").status_code == 200
